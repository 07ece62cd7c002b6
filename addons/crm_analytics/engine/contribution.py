# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Customer contribution to revenue (Pareto analysis).

Customers are ranked by revenue, highest first; equal revenues are
ranked by key ascending, so the ranking never depends on input order.

>>> ranking = cumulative_shares([(1, 50), (2, 20), (3, 30)])
>>> ranking.keys.tolist(), ranking.cumulative_share.tolist()
([1, 3, 2], [0.5, 0.8, 1.0])
>>> top_share([(1, 50), (2, 20), (3, 30)], 0.8)
2
"""
from typing import NamedTuple

import numpy as np

# Shares are compared within this relative rounding of float sums.
_ROUNDING = 1e-12


class Ranking(NamedTuple):
    keys: np.ndarray
    revenues: np.ndarray
    cumulative_share: np.ndarray  # of total revenue, top customers first


def cumulative_shares(pairs):
    """Rank (key, revenue) pairs and give each rank's cumulative share

    Revenues must be >= 0; with a total of 0 every share is 0.

    >>> ranking = cumulative_shares([('b', 10), ('a', 10), ('c', 0)])
    >>> ranking.keys.tolist(), ranking.cumulative_share.tolist()
    (['a', 'b', 'c'], [0.5, 1.0, 1.0])
    """
    pairs = list(pairs)
    if not pairs:
        return Ranking(np.empty(0), np.empty(0), np.empty(0))
    keys, revenues = (np.asarray(c) for c in zip(*pairs))
    revenues = revenues.astype(float)
    if not np.isfinite(revenues).all() or (revenues < 0).any():
        raise ValueError("revenues must be finite and >= 0")
    if len(np.unique(keys)) != len(keys):
        raise ValueError("keys must be distinct")
    order = np.lexsort((keys, -revenues))
    revenues = revenues[order]
    cumulative = np.cumsum(revenues)
    total = cumulative[-1]
    share = cumulative / total if total > 0 else np.zeros(len(revenues))
    return Ranking(keys[order], revenues, share)


def top_share(pairs, share):
    """How many top customers make at least `share` (0-1] of the revenue

    0 when the total revenue is 0.

    >>> top_share([(1, 70), (2, 10), (3, 10), (4, 10)], 0.7)
    1
    >>> top_share([(1, 70), (2, 10), (3, 10), (4, 10)], 0.71)
    2
    """
    if not (0 < share <= 1):
        raise ValueError(f"share must be in (0, 1], not {share!r}")
    ranking = cumulative_shares(pairs)
    if not len(ranking.keys) or ranking.cumulative_share[-1] == 0:
        return 0
    reached = ranking.cumulative_share >= share * (1 - _ROUNDING)
    return int(np.argmax(reached)) + 1
