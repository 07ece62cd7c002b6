"""The lifetimes reference of bench/analytics_clv.py, run by that script
with the Python of its own virtualenv (bench/requirements-lifetimes.txt:
lifetimes 0.11.3 needs the numpy, scipy and pandas of its time).

    python lifetimes_reference.py INPUT.npz OUTPUT.npz

INPUT holds the purchase lines (customer, day as days since 1970-01-01,
amount), the observation end (a day number), the horizon in days, the
months and monthly discount rate of the lifetime value.  This script
times, in order: lifetimes' summary_data_from_transaction_data (freq
'D'), BetaGeoFitter.fit on it, GammaGammaFitter.fit on the repeat buyers
with a positive mean value, then the scoring of every customer
(conditional_probability_alive,
conditional_expected_number_of_purchases_up_to_time(horizon),
conditional_expected_average_profit, customer_lifetime_value(time=months,
discount_rate, freq='D')), and writes the summary, the parameters, the
scores, the seconds of each step and its peak memory to OUTPUT.
"""
import resource
import sys
import time
import warnings


def main(source, target):
    import numpy as np
    import pandas as pd
    import lifetimes
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data
    warnings.simplefilter('ignore')
    data = np.load(source)
    epoch = pd.Timestamp('1970-01-01')
    seconds = {}

    started = time.perf_counter()
    lines = pd.DataFrame({
            'customer': data['customer'],
            'date': epoch + pd.to_timedelta(data['day'], unit='D'),
            'amount': data['amount']})
    summary = summary_data_from_transaction_data(lines, 'customer', 'date',
        monetary_value_col='amount',
        observation_period_end=epoch + pd.Timedelta(
            days=int(data['end'])), freq='D')
    seconds['summary'] = time.perf_counter() - started

    started = time.perf_counter()
    bgf = BetaGeoFitter()
    bgf.fit(summary['frequency'], summary['recency'], summary['T'])
    seconds['fit_bgnbd'] = time.perf_counter() - started

    started = time.perf_counter()
    spenders = summary[(summary['frequency'] > 0)
        & (summary['monetary_value'] > 0)]
    ggf = GammaGammaFitter()
    ggf.fit(spenders['frequency'], spenders['monetary_value'])
    seconds['fit_gamma_gamma'] = time.perf_counter() - started

    started = time.perf_counter()
    frequency, recency, age = (summary['frequency'], summary['recency'],
        summary['T'])
    alive = bgf.conditional_probability_alive(frequency, recency, age)
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(
        int(data['horizon']), frequency, recency, age)
    value_frequency = frequency.where(summary['monetary_value'] > 0, 0)
    value_monetary = summary['monetary_value'].where(
        summary['monetary_value'] > 0, 0)
    average = ggf.conditional_expected_average_profit(
        value_frequency, value_monetary)
    lifetime = ggf.customer_lifetime_value(bgf, value_frequency, recency,
        age, value_monetary, time=int(data['months']),
        discount_rate=float(data['discount']), freq='D')
    seconds['score'] = time.perf_counter() - started

    np.savez(target,
        customer=summary.index.to_numpy(),
        frequency=frequency.to_numpy(), recency=recency.to_numpy(),
        T=age.to_numpy(), monetary=summary['monetary_value'].to_numpy(),
        bgnbd=np.array([bgf.params_[k] for k in ['r', 'alpha', 'a', 'b']]),
        gamma_gamma=np.array([ggf.params_[k] for k in ['p', 'q', 'v']]),
        alive=np.asarray(alive, dtype=float),
        expected=np.asarray(expected, dtype=float),
        average=np.asarray(average, dtype=float),
        lifetime=np.asarray(lifetime, dtype=float),
        seconds_names=np.array(list(seconds)),
        seconds=np.array(list(seconds.values())),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        versions=np.array([lifetimes.__version__, np.__version__,
                pd.__version__]))


if __name__ == '__main__':
    main(*sys.argv[1:3])
