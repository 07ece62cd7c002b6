# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Scoring of KPI indicators, weighted totals and grades.

An indicator compares an actual figure with a target.  Its achievement is
actual / target when higher is better and target / actual when lower is
better (an actual of 0 against a lower-is-better target is full marks).
Scoring bands map achievement to a score: the band with the highest
minimum achievement not above the achievement wins.  Without bands the
score is the achievement in percent, capped at ``CAP``.

>>> score(45, 50, 'higher')
90.0
>>> score(6, 5, 'lower')
83.33
>>> bands = [(0, 0), (80, 60), (100, 100), (120, 120)]
>>> score(45, 50, 'higher', bands)
60.0
>>> total([(90, 60), (50, 40)])
74.0
>>> grade(74.0, [('A', 90), ('B', 80), ('C', 70), ('D', 60), ('E', 0)])
'C'
"""
import calendar
import datetime as dt
from decimal import Decimal

CAP = 150
DIRECTIONS = ('higher', 'lower')


def achievement(actual, target, direction):
    """Achievement in percent of the target, or None when it cannot be
    told (no actual figure yet).

    >>> achievement(120, 100, 'higher')
    120.0
    >>> achievement(0, 10, 'lower')
    150.0
    """
    if actual is None:
        return None
    actual, target = float(actual), float(target)
    if direction == 'higher':
        if target == 0:
            return float(CAP) if actual > 0 else 100.0
        return max(actual / target * 100, 0.0)
    if direction == 'lower':
        if actual <= 0:
            return float(CAP)
        return target / actual * 100
    raise ValueError(f"unknown direction {direction!r}")


def band_score(value, bands):
    """Score of the band with the highest minimum not above value; bands
    are (minimum achievement, score) pairs in any order.

    >>> band_score(95, [(100, 100), (0, 0), (80, 60)])
    60.0
    >>> band_score(-1, [(0, 10)])
    0.0
    """
    best = None
    for minimum, points in bands:
        if value >= minimum and (best is None or minimum > best[0]):
            best = (minimum, points)
    return float(best[1]) if best else 0.0


def score(actual, target, direction, bands=None):
    "Score of one indicator (see the module's docstring), 2 decimals."
    value = achievement(actual, target, direction)
    if value is None:
        return None
    if bands:
        return round(band_score(value, bands), 2)
    return round(min(value, CAP), 2)


def total(lines):
    """Weighted total of (score, weight) pairs, weights in percent; None
    when a score is missing.

    >>> total([(100, 50), (None, 50)]) is None
    True
    """
    result = 0.0
    for points, weight in lines:
        if points is None:
            return None
        result += float(points) * float(weight) / 100
    return round(result, 2)


def grade(value, bands):
    """The grade of the first band, from the highest minimum down, whose
    minimum the value reaches; None when it reaches none.

    >>> grade(59.99, [('D', 60)]) is None
    True
    """
    if value is None:
        return None
    for code, minimum in sorted(bands, key=lambda b: b[1], reverse=True):
        if value >= minimum:
            return code
    return None


def weights_error(weights):
    """None when the weights are all positive and sum to 100, else the
    sum (for the message).

    >>> weights_error([60, 40]) is None
    True
    >>> weights_error([60, 30])
    Decimal('90')
    """
    weights = [Decimal(str(w or 0)) for w in weights]
    if any(w <= 0 for w in weights) or sum(weights) != 100:
        return sum(weights)
    return None


def target_error(target, direction):
    """Why a target does not fit its direction, or None.  Figures are
    counts, rates, durations or scores: a negative target is always
    wrong, and lower-is-better needs a target above zero.

    >>> target_error(-5, 'higher')
    'negative'
    >>> target_error(0, 'lower')
    'zero'
    >>> target_error(0, 'higher') is None
    True
    """
    if target is None:
        return None
    if target < 0:
        return 'negative'
    if direction == 'lower' and target == 0:
        return 'zero'
    return None


def periods_overlap(start1, end1, start2, end2):
    """Whether [start1, end1] and [start2, end2] share a day.

    >>> import datetime as dt
    >>> periods_overlap(dt.date(2026, 1, 1), dt.date(2026, 3, 31),
    ...     dt.date(2026, 3, 31), dt.date(2026, 6, 30))
    True
    """
    return start1 <= end2 and start2 <= end1


def period_end(kind, start):
    """Last day of the month, quarter or year that starts on start.

    >>> import datetime as dt
    >>> period_end('quarter', dt.date(2026, 11, 1))
    datetime.date(2027, 1, 31)
    >>> period_end('month', dt.date(2024, 2, 1))
    datetime.date(2024, 2, 29)
    >>> period_end('month', dt.date(2024, 1, 31))
    datetime.date(2024, 2, 28)
    """
    months = start.month - 1 + {'month': 1, 'quarter': 3, 'year': 12}[kind]
    year, month = start.year + months // 12, months % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last)) - dt.timedelta(days=1)
