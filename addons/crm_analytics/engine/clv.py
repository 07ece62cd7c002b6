# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Purchase (BG/NBD), spend (Gamma-Gamma) and customer lifetime value.

BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers the easy
way: an alternative to the Pareto/NBD model", Marketing Science 24(2).
Gamma-Gamma: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value
curves for customer base analysis", Journal of Marketing Research 42(4).

Per customer, in one time unit (the period): frequency x is the number of
repeat purchases, recency t_x the age at the last purchase (0 when x is 0),
T the age at the end of observation, monetary the mean value of the repeat
purchases.  Every function takes numpy arrays (or scalars) and works on
all customers at once.

>>> cdnow = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
>>> round(float(expected_purchases(cdnow, 39, 2, 30.43, 38.86)), 3)
1.226
>>> spend = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
>>> round(float(expected_average_value(spend, 0, 0)), 2)
35.22
"""
from typing import NamedTuple

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

# Fitted log-parameters are kept within exp(+-15); an estimate on that
# bound means the likelihood has no finite maximum for this data.
LOG_BOUND = 15.0


class FitError(ValueError):
    pass


class BgNbdParams(NamedTuple):
    r: float
    alpha: float
    a: float
    b: float


class GammaGammaParams(NamedTuple):
    p: float
    q: float
    gamma: float


class Fit(NamedTuple):
    params: tuple  # BgNbdParams or GammaGammaParams
    log_likelihood: float  # summed over customers
    converged: bool
    message: str


class Summary(NamedTuple):
    customers: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    monetary: np.ndarray


def _customer_arrays(frequency, recency, T):
    x, t_x, T = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (frequency, recency, T)))
    if not (np.isfinite(x).all() and np.isfinite(t_x).all()
            and np.isfinite(T).all()):
        raise ValueError("frequency, recency and T must be finite")
    if (x < 0).any() or (x % 1 != 0).any():
        raise ValueError("frequency must be a whole number >= 0")
    if (t_x < 0).any() or (t_x > T).any():
        raise ValueError("recency must be between 0 and T")
    if ((x == 0) & (t_x != 0)).any():
        raise ValueError("recency must be 0 when frequency is 0")
    return x, t_x, T


def _levels(x):
    """The distinct frequencies and where each customer's is among them:
    the special functions of x are computed once per distinct value (a
    few hundred at most) and spread to the customers."""
    values, index = np.unique(x, return_inverse=True)
    return values, index.reshape(np.shape(x))


def _bgnbd_terms(params, x, t_x, T, levels=None):
    """Per customer log-likelihood and the log weights of alive / dropped,
    and the logs of alpha + T and alpha + t_x"""
    r, alpha, a, b = params
    xs, at = _levels(x) if levels is None else levels
    repeat = x > 0
    base = (gammaln(r + xs) - gammaln(r) + r * np.log(alpha)
        + betaln(a, b + xs) - betaln(a, b))[at]
    log_age = np.log(alpha + T)
    log_last = np.log(alpha + t_x)
    log_alive = -(r + x) * log_age
    # Dropping out needs a repeat purchase to drop out after.
    log_dropped = np.where(repeat,
        (np.log(a) - np.log(np.where(xs > 0, b + xs - 1, 1)))[at]
        - (r + x) * log_last, -np.inf)
    total = np.logaddexp(log_alive, log_dropped)
    return (base + total, log_alive - total, log_dropped - total, log_age,
        log_last)


def bgnbd_log_likelihood(params, frequency, recency, T):
    """BG/NBD log-likelihood of each customer

    >>> params = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> bgnbd_log_likelihood(params, [0, 2], [0, 30.43], [38.86, 38.86]
    ...     ).round(4).tolist()
    [-0.5547, -9.4586]
    """
    x, t_x, T = _customer_arrays(frequency, recency, T)
    return _bgnbd_terms(params, x, t_x, T)[0]


def _bgnbd_objective(log_params, x, t_x, T, weights, levels=None):
    "Mean negative log-likelihood and its gradient in log-parameters"
    r, alpha, a, b = params = np.exp(log_params)
    xs, at = _levels(x) if levels is None else levels
    log_likelihood, log_alive, log_dropped, log_age, log_last = (
        _bgnbd_terms(params, x, t_x, T, (xs, at)))
    alive, dropped = np.exp(log_alive), np.exp(log_dropped)
    repeat_b = np.where(xs > 0, b + xs - 1, 1)[at]
    shared = digamma(a + b) - digamma(a + b + xs)
    gradient = np.stack([
            (digamma(r + xs) - digamma(r) + np.log(alpha))[at]
            - alive * log_age - dropped * log_last,
            r / alpha
            - (r + x) * (alive / (alpha + T) + dropped / (alpha + t_x)),
            shared[at] + dropped / a,
            (shared + digamma(b + xs) - digamma(b))[at] - dropped / repeat_b,
            ]) * params[:, None]
    total = weights.sum()
    return (-(weights @ log_likelihood) / total,
        -(gradient @ weights) / total)


def _distinct_rows(*columns):
    "Distinct customers' data and how many customers share each"
    rows, counts = np.unique(
        np.column_stack(columns), axis=0, return_counts=True)
    return [rows[:, i] for i in range(len(columns))] + [counts.astype(float)]


def _maximise(objective, starts, data, max_iterations, strict, make,
        weights):
    best = None
    for start in starts:
        result = minimize(
            objective, np.log(start), args=tuple(data), jac=True,
            method='L-BFGS-B', bounds=[(-LOG_BOUND, LOG_BOUND)] * len(start),
            options={'maxiter': max_iterations})
        if np.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    if best is None:
        raise FitError("the likelihood cannot be evaluated on this data")
    converged, message = bool(best.success), str(best.message)
    if np.abs(best.x).max() >= LOG_BOUND - 1e-6:
        converged = False
        message = "a parameter ran to its bound: the data cannot fix it"
    if strict and not converged:
        raise FitError(f"the fit did not converge: {message}")
    return Fit(make(*map(float, np.exp(best.x))),
        float(-best.fun * weights.sum()),
        converged, message)


def fit_bgnbd(frequency, recency, T, max_iterations=1000, strict=True):
    """Fit BG/NBD by maximum likelihood, from several starting points

    Raise FitError when the fit does not converge (with strict, else
    return converged False) or the data cannot be fitted.

    Customers simulated with r=2, alpha=8, a=1, b=4, all aged 30:

    >>> rng = np.random.default_rng(2)
    >>> T = np.full(5000, 30.0)
    >>> rate = rng.gamma(2.0, 1 / 8.0, 5000)
    >>> lifetime = rng.geometric(rng.beta(1.0, 4.0, 5000))
    >>> seen = rng.poisson(rate * T)
    >>> x = np.minimum(seen, lifetime)
    >>> t_x = np.where(x > 0, T * rng.beta(np.maximum(x, 1), seen - x + 1), 0)
    >>> fit = fit_bgnbd(x, t_x, T)
    >>> fit.converged, [round(v, 1) for v in fit.params]
    (True, [2.0, 8.0, 1.0, 4.2])
    >>> fit_bgnbd([0, 0], [0, 0], [5, 5])  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
        ...
    FitError: no repeat purchases: the model cannot be fitted
    """
    x, t_x, T = (v.ravel() for v in _customer_arrays(frequency, recency, T))
    if not len(x):
        raise FitError("no customers to fit")
    if not (x > 0).any():
        raise FitError("no repeat purchases: the model cannot be fitted")
    if not (T > 0).any():
        raise FitError("all customers have age 0")
    data = _distinct_rows(x, t_x, T)
    data.append(_levels(data[0]))
    scale = T.sum() / x.sum()  # periods between purchases
    starts = [(1, scale, 1, 1), (0.5, scale / 2, 0.5, 2), (2, 2 * scale, 2, 5)]
    return _maximise(_bgnbd_objective, starts, data, max_iterations, strict,
        BgNbdParams, data[3])


def probability_alive(params, frequency, recency, T):
    """P(alive | x, t_x, T); 1 without repeat purchase (none to drop after)

    >>> params = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> probability_alive(params, [0, 2, 2], [0, 30.43, 5],
    ...     [38.86, 38.86, 38.86]).round(3).tolist()
    [1.0, 0.727, 0.124]
    """
    r, alpha, a, b = params
    x, t_x, T = _customer_arrays(frequency, recency, T)
    repeat = x > 0
    log_odds_dropped = (np.log(a) - np.log(np.where(repeat, b + x - 1, 1))
        + (r + x) * np.log1p((T - t_x) / (alpha + t_x)))
    return np.where(repeat, expit(-log_odds_dropped), 1.0)


def _expected_purchases(params, t, x, T, alive):
    r, alpha, a, b = params
    if abs(a - 1) < 1e-7:
        # a = 1 is a removable singularity of the closed form.
        return (_expected_purchases((r, alpha, 1 - 1e-6, b), t, x, T, alive)
            + _expected_purchases((r, alpha, 1 + 1e-6, b), t, x, T, alive)
            ) / 2
    z = t / (alpha + T + t)
    # Euler's transformation of the paper's 2F1(r+x, b+x; a+b+x-1; z)
    # (1-z)^(r+x): its parameters stay small for large x.
    with np.errstate(invalid='ignore', over='ignore', under='ignore'):
        tail = np.exp((a - 1) * np.log1p(-z)) * hyp2f1(
            a + b - 1 - r, a - 1, a + b + x - 1, z)
        lost = ~np.isfinite(tail)
        if lost.any():
            # With large a and b (a dropout rate the same for everyone)
            # that form is 0 * inf; the paper's own form stays finite.
            tail = np.where(lost, np.exp((r + x) * np.log1p(-z)) * hyp2f1(
                    r + x, b + x, a + b + x - 1, z), tail)
    return (a + b + x - 1) / (a - 1) * (1 - tail) * alive


def expected_purchases(params, t, frequency, recency, T):
    """Expected purchases in the next t periods, given x, t_x and T

    With frequency, recency and T all 0 it is the expected number of
    purchases of a new customer in its first t periods.

    >>> params = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> expected_purchases(params, [39, 39, 39], [0, 2, 10000],
    ...     [0, 30.43, 38.86], [38.86, 38.86, 38.86]).round(3).tolist()
    [0.195, 1.226, 6871.789]
    """
    t = np.asarray(t, dtype=float)
    if (t < 0).any() or not np.isfinite(t).all():
        raise ValueError("t must be a finite number >= 0")
    x, t_x, T = _customer_arrays(frequency, recency, T)
    alive = probability_alive(params, x, t_x, T)
    return _expected_purchases(params, t, x, T, alive)


def _monetary_arrays(frequency, monetary):
    x, m = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (frequency, monetary)))
    if not (np.isfinite(x).all() and np.isfinite(m).all()):
        raise ValueError("frequency and monetary must be finite")
    if (x < 0).any() or (x % 1 != 0).any():
        raise ValueError("frequency must be a whole number >= 0")
    if (m[x > 0] <= 0).any():
        raise ValueError("monetary must be > 0 for repeat buyers")
    return x, m


def _gamma_gamma_terms(params, x, m, levels=None):
    """Per repeat buyer log-likelihood, and the logs of m, x and
    gamma + m x"""
    p, q, gamma = params
    xs, at = _levels(x) if levels is None else levels
    log_m = np.log(m)
    log_x = np.log(xs)[at]
    log_total = np.log(gamma + m * x)
    return ((gammaln(p * xs + q) - gammaln(p * xs) - gammaln(q)
            + q * np.log(gamma))[at] + (p * x - 1) * log_m + p * x * log_x
        - (p * x + q) * log_total), log_m, log_x, log_total


def gamma_gamma_log_likelihood(params, frequency, monetary):
    """Gamma-Gamma log-likelihood of each repeat buyer's mean value

    >>> params = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
    >>> gamma_gamma_log_likelihood(params, [1, 4], [20.0, 35.5]
    ...     ).round(4).tolist()
    [-3.5942, -4.0743]
    """
    x, m = _monetary_arrays(frequency, monetary)
    if (x == 0).any():
        raise ValueError("the Gamma-Gamma likelihood needs frequency > 0")
    return _gamma_gamma_terms(params, x, m)[0]


def _gamma_gamma_objective(log_params, x, m, weights, levels=None):
    p, q, gamma = params = np.exp(log_params)
    xs, at = _levels(x) if levels is None else levels
    log_likelihood, log_m, log_x, log_total = _gamma_gamma_terms(
        params, x, m, (xs, at))
    common = digamma(p * xs + q)
    gradient = np.stack([
            x * ((common - digamma(p * xs))[at] + log_m + log_x
                - log_total),
            (common - digamma(q) + np.log(gamma))[at] - log_total,
            q / gamma - (p * x + q) / (gamma + m * x),
            ]) * params[:, None]
    total = weights.sum()
    return (-(weights @ log_likelihood) / total,
        -(gradient @ weights) / total)


def fit_gamma_gamma(frequency, monetary, max_iterations=1000, strict=True):
    """Fit Gamma-Gamma by maximum likelihood on the repeat buyers

    Customers with frequency 0 are left out, as in the paper.

    Customers simulated with p=6, q=3, gamma=20:

    >>> rng = np.random.default_rng(1)
    >>> x = rng.integers(1, 8, 3000)
    >>> nu = rng.gamma(3.0, 1 / 20.0, 3000)
    >>> m = rng.gamma(6.0 * x, 1 / (nu * x))
    >>> fit = fit_gamma_gamma(x, m)
    >>> fit.converged, [round(v, 1) for v in fit.params]
    (True, [7.0, 2.9, 16.6])
    """
    x, m = (v.ravel() for v in _monetary_arrays(frequency, monetary))
    repeat = x > 0
    if repeat.sum() < 2:
        raise FitError("fewer than 2 repeat buyers: cannot fit spend model")
    x, m = x[repeat], m[repeat]
    data = _distinct_rows(x, m)
    data.append(_levels(data[0]))
    mean = m.mean()
    # Each start has the observed mean as the population mean value.
    starts = [(1, 2, mean), (4, 4, 0.75 * mean), (10, 3, 0.2 * mean)]
    return _maximise(_gamma_gamma_objective, starts, data, max_iterations,
        strict, GammaGammaParams, data[2])


def expected_average_value(params, frequency, monetary):
    """Conditional expected mean value of a customer's purchases

    With frequency 0 it is the population mean p gamma / (q - 1).

    >>> params = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
    >>> expected_average_value(params, [0, 1, 10], [0, 20.0, 20.0]
    ...     ).round(2).tolist()
    [35.22, 24.64, 20.64]
    """
    p, q, gamma = params
    if q <= 1:
        raise ValueError("the mean value is infinite when q <= 1")
    x, m = _monetary_arrays(frequency, monetary)
    return p * (gamma + m * x) / (p * x + q - 1)


def customer_lifetime_value(bgnbd, gamma_gamma, frequency, recency, T,
        monetary, months=12, monthly_discount_rate=0.0,
        periods_per_month=30.0):
    """Expected value of each customer's purchases over the next months

    Expected purchases month by month times the expected mean value, each
    month discounted by (1 + monthly_discount_rate) ** month, as the
    lifetimes package does (periods_per_month: 30 for days).

    >>> bgnbd = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> spend = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
    >>> customer_lifetime_value(bgnbd, spend, [2], [30.43], [38.86],
    ...     [20.0], months=9, periods_per_month=4.345).round(2).tolist()
    [27.94]
    """
    if int(months) != months or months < 1:
        raise ValueError("months must be a whole number >= 1")
    if not (monthly_discount_rate >= 0 and periods_per_month > 0):
        raise ValueError("need monthly_discount_rate >= 0, periods > 0")
    value = expected_average_value(gamma_gamma, frequency, monetary)
    x, t_x, T = _customer_arrays(frequency, recency, T)
    alive = probability_alive(bgnbd, x, t_x, T)
    month = np.arange(1, int(months) + 1).reshape((-1,) + (1,) * x.ndim)
    cumulative = _expected_purchases(
        bgnbd, month * periods_per_month, x, T, alive)
    per_month = np.diff(cumulative, axis=0, prepend=0)
    discount = (1 + monthly_discount_rate) ** -month
    return value * (per_month * discount).sum(axis=0)


def summary_from_transactions(customer_ids, dates_as_day_numbers, amounts,
        observation_end, period_length=1):
    """Frequency, recency, T and monetary per customer, as lifetimes does

    Days are cut into periods of period_length days counted from day 0;
    purchases of one customer in the same period make one purchase (their
    amounts added); transactions after observation_end are ignored.
    frequency = distinct periods - 1, recency = last - first period,
    T = observation end's period - first period, monetary = mean value of
    the repeat periods (0 without repeat).  Customers come sorted.

    >>> summary = summary_from_transactions([7, 7, 7, 9, 7],
    ...     [0, 0, 3, 4, 6], [10.0, 5.0, 20.0, 8.0, 30.0], 10)
    >>> summary.customers.tolist(), summary.frequency.tolist()
    ([7, 9], [2, 0])
    >>> summary.recency.tolist(), summary.T.tolist()
    ([6.0, 0.0], [10.0, 6.0])
    >>> summary.monetary.tolist()
    [25.0, 0.0]
    """
    customer_ids = np.asarray(customer_ids)
    days = np.asarray(dates_as_day_numbers, dtype=float)
    amounts = np.asarray(amounts, dtype=float)
    if not (customer_ids.ndim == days.ndim == amounts.ndim == 1
            and len(customer_ids) == len(days) == len(amounts)):
        raise ValueError("expected 1-D arrays of equal length")
    if not (np.isfinite(days).all() and np.isfinite(amounts).all()):
        raise ValueError("dates and amounts must be finite")
    if period_length <= 0:
        raise ValueError("period_length must be > 0")
    kept = days <= observation_end
    periods = np.floor(days[kept] / period_length)
    customers, code = np.unique(customer_ids[kept], return_inverse=True)
    order = np.lexsort((periods, code))
    code, periods, amounts = code[order], periods[order], amounts[kept][order]
    new_period = np.ones(len(code), dtype=bool)
    new_period[1:] = (code[1:] != code[:-1]) | (periods[1:] != periods[:-1])
    period_start = np.flatnonzero(new_period)
    period_amount = np.add.reduceat(amounts, period_start) if len(
        period_start) else np.empty(0)
    period_code, period = code[period_start], periods[period_start]
    new_customer = np.ones(len(period_code), dtype=bool)
    new_customer[1:] = period_code[1:] != period_code[:-1]
    first = np.flatnonzero(new_customer)
    n_periods = np.diff(np.append(first, len(period_code)))
    repeat_amount = period_amount.copy()
    repeat_amount[first] = 0
    repeat_total = np.add.reduceat(repeat_amount, first) if len(
        first) else np.empty(0)
    frequency = n_periods - 1
    monetary = np.divide(repeat_total, frequency,
        out=np.zeros(len(first)), where=frequency > 0)
    first_period = period[first]
    return Summary(
        customers=customers,
        frequency=frequency.astype(np.int64),
        recency=period[first + n_periods - 1] - first_period,
        T=np.floor(observation_end / period_length) - first_period,
        monetary=monetary)
