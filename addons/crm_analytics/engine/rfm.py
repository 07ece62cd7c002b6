# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Recency, frequency and monetary scores (1-5) and the segments they make.

Scores are quintiles computed exactly as SQL does it, so the module can
score in the database and the engine stays the reference:

    NTILE(5) OVER (ORDER BY value, customer_id)        higher_is_better
    6 - NTILE(5) OVER (ORDER BY value, customer_id)    lower is better

Tie rule: rows are ordered by value, then by key (customer id) ascending,
and cut into 5 buckets whose sizes differ by at most one, the first
``n % 5`` buckets (the lowest values) taking one extra row.  Equal values
may therefore fall in two neighbouring quintiles; which of them gets the
higher score is decided by the key alone, never by input order.

>>> scores = quintile_scores([(1, 10.0), (2, 250.0), (3, 40.0)])
>>> scores == {1: 1, 3: 2, 2: 3}
True
>>> segment(5, 5, 4)
'champions'
>>> segment(1, 5, 5)
'cant_lose'
"""
import numpy as np

SCORES = 5

# Rules over the R score and the FM score (the mean of F and M, rounded
# half up); each range is inclusive, the first rule that matches wins and
# the last one is a catch-all.
DEFAULT_MAPPING = (
    ('champions', (4, 5), (4, 5)),
    ('loyal', (3, 5), (3, 5)),
    ('new', (4, 5), (1, 1)),
    ('potential', (3, 5), (1, 2)),
    ('cant_lose', (1, 1), (4, 5)),
    ('at_risk', (1, 2), (3, 5)),
    ('hibernating', (2, 2), (1, 2)),
    ('lost', (1, 5), (1, 5)),
    )


def ntile(n, buckets=SCORES):
    """The NTILE(buckets) number (1-based) of each of n ordered rows

    >>> ntile(7).tolist()
    [1, 1, 2, 2, 3, 4, 5]
    >>> ntile(3).tolist()
    [1, 2, 3]
    """
    rows = np.arange(n)
    size, extra = divmod(n, buckets)
    # The first `extra` buckets hold size + 1 rows each.
    boundary = extra * (size + 1)
    return np.where(
        rows < boundary,
        rows // (size + 1),
        extra + (rows - boundary) // max(size, 1)) + 1


def quintile_scores(pairs, higher_is_better=True):
    """Score 1-5 each (key, value) pair by quintile of value

    Keys must be distinct and sortable (customer ids); values must be
    numbers (no NaN).  The result is a dict key -> score.

    >>> quintile_scores([('a', 3), ('b', 1), ('c', 2)],
    ...     higher_is_better=False) == {'b': 5, 'c': 4, 'a': 3}
    True
    >>> quintile_scores([(k, 7.0) for k in range(10)]) == {
    ...     0: 1, 1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4, 8: 5, 9: 5}
    True
    """
    pairs = list(pairs)
    if not pairs:
        return {}
    keys, values = (np.asarray(c) for c in zip(*pairs))
    values = values.astype(float)
    if np.isnan(values).any():
        raise ValueError("quintile_scores: values must not be NaN")
    if len(np.unique(keys)) != len(keys):
        raise ValueError("quintile_scores: keys must be distinct")
    order = np.lexsort((keys, values))
    scores = np.empty(len(keys), dtype=int)
    scores[order] = ntile(len(keys))
    if not higher_is_better:
        scores = SCORES + 1 - scores
    return dict(zip(keys[order].tolist(), scores[order].tolist()))


def fm_score(f, m):
    """The FM score: mean of F and M rounded half up

    >>> fm_score([4, 1, 3], [5, 2, 3]).tolist()
    [5, 2, 3]
    """
    return (np.asarray(f) + np.asarray(m) + 1) // 2


class MappingError(ValueError):
    "kind: 'name', 'range', 'hidden' or 'gap'; rule: its index or None"

    def __init__(self, message, kind, rule=None, r=None, fm=None):
        super().__init__(message)
        self.kind, self.rule, self.r, self.fm = kind, rule, r, fm


def validate_mapping(mapping):
    """Raise ValueError unless every (R, FM) cell is matched by a rule and
    every rule wins at least one cell; return the 5x5 table of rule indexes

    >>> validate_mapping([('all', (1, 5), (1, 5))]).tolist() == [[0] * 5] * 5
    True
    >>> validate_mapping([('top', (5, 5), (1, 5))])
    ... # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
        ...
    MappingError: RFM mapping leaves R=1, FM=1 without segment
    """
    table = np.full((SCORES, SCORES), -1)
    for index, rule in enumerate(mapping):
        name, (r_low, r_high), (fm_low, fm_high) = rule
        if not name or not isinstance(name, str):
            raise MappingError(
                f"RFM mapping rule {index} has no name", 'name', index)
        if not (1 <= r_low <= r_high <= SCORES
                and 1 <= fm_low <= fm_high <= SCORES):
            raise MappingError(
                f"RFM mapping rule {name!r} has bad ranges", 'range', index)
        cells = table[r_low - 1:r_high, fm_low - 1:fm_high]
        free = cells == -1
        if not free.any():
            raise MappingError(
                f"RFM mapping rule {name!r} is hidden by earlier rules",
                'hidden', index)
        cells[free] = index
    gaps = np.argwhere(table == -1)
    if len(gaps):
        r, fm = gaps[0] + 1
        raise MappingError(
            f"RFM mapping leaves R={r}, FM={fm} without segment", 'gap',
            r=int(r), fm=int(fm))
    return table


def segment(r, f, m, mapping=DEFAULT_MAPPING):
    """The segment name of scores r, f, m (scalars or arrays of 1-5)

    >>> segment(5, 1, 1), segment(2, 2, 1)
    ('new', 'hibernating')
    >>> segment([5, 1], [5, 1], [4, 1]).tolist()
    ['champions', 'lost']
    """
    table = validate_mapping(mapping)
    r = np.asarray(r)
    fm = fm_score(f, m)
    for name, score in [('R', r), ('F', f), ('M', m)]:
        score = np.asarray(score)
        if ((score < 1) | (score > SCORES) | (score % 1 != 0)).any():
            raise ValueError(f"segment: {name} scores must be 1 to 5")
    names = np.array([rule[0] for rule in mapping], dtype=object)
    result = names[table[r.astype(int) - 1, fm.astype(int) - 1]]
    return result if isinstance(result, np.ndarray) else str(result)
