# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A 0-100 relationship index from satisfaction, loyalty, stability, value.

Each component is first mapped to 0-1:

- satisfaction: CSAT 1-5 as (csat - 1) / 4; no survey (NaN) is neutral,
  0.5;
- loyalty: u / (u + LOYALTY_HALF) with u = repeat purchases +
  REFERRAL_WORTH * referrals, so 3 repeat purchases (or 1 referral and 1
  repeat purchase) give 0.5;
- stability: geometric mean of tenure / (tenure + TENURE_HALF_DAYS)
  (a year: 0.5) and 0.5 ** (recency / RECENCY_HALF_LIFE_DAYS) (90 days
  without activity: 0.5), so it needs both a long and a live relationship;
- value: v / (v + reference), reference being by default the median of
  the positive values given (the median customer gets 0.5); v <= 0 gives 0.

With weights w normalised to add up to 1, each component contributes
100 * w * score points and the index is the sum of the contributions.

>>> result = relationship_index(csat=[5, np.nan], repeat_purchases=[3, 0],
...     referrals=[0, 0], tenure_days=[365, 30], recency_days=[0, 200],
...     value=[100.0, 100.0])
>>> result.index.round(1).tolist()
[67.7, 28.2]
>>> result.contributions['satisfaction'].tolist()
[25.0, 12.5]
"""
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

LOYALTY_HALF = 3.0
REFERRAL_WORTH = 2.0
TENURE_HALF_DAYS = 365.0
RECENCY_HALF_LIFE_DAYS = 90.0
DEFAULT_WEIGHTS = MappingProxyType({
        'satisfaction': 1.0,
        'loyalty': 1.0,
        'stability': 1.0,
        'value': 1.0,
        })


class RelationshipIndex(NamedTuple):
    index: np.ndarray  # 0-100
    components: dict  # name -> 0-1 score
    contributions: dict  # name -> points of the index


def normalised_weights(weights=None):
    """Weights by component, adding up to 1; missing components weigh 0

    >>> normalised_weights({'satisfaction': 3, 'value': 1})['satisfaction']
    0.75
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown components: {sorted(unknown)}")
    values = {name: float(weights.get(name, 0)) for name in DEFAULT_WEIGHTS}
    if any(not np.isfinite(w) or w < 0 for w in values.values()):
        raise ValueError("weights must be finite and >= 0")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("weights must add up to more than 0")
    return {name: w / total for name, w in values.items()}


def _non_negative(name, values):
    values = np.asarray(values, dtype=float)
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError(f"{name} must be finite and >= 0")
    return values


def satisfaction_score(csat):
    """CSAT 1-5 to 0-1; NaN (no survey) is 0.5

    >>> satisfaction_score([1, 4, 5, np.nan]).tolist()
    [0.0, 0.75, 1.0, 0.5]
    """
    csat = np.asarray(csat, dtype=float)
    if ((csat < 1) | (csat > 5)).any():
        raise ValueError("CSAT must be between 1 and 5")
    return np.where(np.isnan(csat), 0.5, (csat - 1) / 4)


def loyalty_score(repeat_purchases, referrals):
    """Repeat purchases and referrals to 0-1, saturating

    >>> loyalty_score([0, 3, 1, 30], [0, 0, 1, 0]).round(3).tolist()
    [0.0, 0.5, 0.5, 0.909]
    """
    worth = (_non_negative('repeat purchases', repeat_purchases)
        + REFERRAL_WORTH * _non_negative('referrals', referrals))
    return worth / (worth + LOYALTY_HALF)


def stability_score(tenure_days, recency_days):
    """Tenure and days since last activity to 0-1

    >>> stability_score([365, 365, 0], [0, 90, 0]).round(3).tolist()
    [0.707, 0.5, 0.0]
    """
    tenure = _non_negative('tenure', tenure_days)
    recency = _non_negative('recency', recency_days)
    return np.sqrt(tenure / (tenure + TENURE_HALF_DAYS)
        * 0.5 ** (recency / RECENCY_HALF_LIFE_DAYS))


def value_score(value, reference=None):
    """Value to 0-1, the reference value (default median > 0) giving 0.5

    >>> value_score([0.0, 50.0, 100.0, 300.0]).round(3).tolist()
    [0.0, 0.333, 0.5, 0.75]
    """
    value = np.asarray(value, dtype=float)
    if not np.isfinite(value).all():
        raise ValueError("value must be finite")
    value = np.maximum(value, 0)
    if reference is None:
        positive = value[value > 0]
        reference = np.median(positive) if len(positive) else 1.0
    if not reference > 0:
        raise ValueError("the reference value must be > 0")
    return value / (value + reference)


def relationship_index(csat, repeat_purchases, referrals, tenure_days,
        recency_days, value, weights=None, value_reference=None):
    """The 0-100 index with each component's score and contribution

    >>> only_satisfaction = relationship_index([4], [0], [0], [0], [0],
    ...     [0], weights={'satisfaction': 1})
    >>> only_satisfaction.index.tolist()
    [75.0]
    """
    weights = normalised_weights(weights)
    components = {
        'satisfaction': satisfaction_score(csat),
        'loyalty': loyalty_score(repeat_purchases, referrals),
        'stability': stability_score(tenure_days, recency_days),
        'value': value_score(value, value_reference),
        }
    components = dict(zip(components, np.broadcast_arrays(
                *components.values())))
    contributions = {
        name: 100 * weights[name] * score
        for name, score in components.items()}
    return RelationshipIndex(
        sum(contributions.values()), components, contributions)
