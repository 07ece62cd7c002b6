# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A transparent score of how well a unit meets a customer's wishes.

Each criterion the customer stated earns up to its weight in points; the
score is the share of the points available, from 0 to 100.  Worked
example: a budget of at most 3,000,000, 80 to 100 m2, 3 rooms in Pudong,
against a unit at 3,150,000, 76 m2, 2 rooms in Pudong New Area:

- budget: 5 % over the maximum, a quarter of the 20 % allowed, so
  40 * (1 - 0.05 / 0.2) = 30 points;
- area: 4 m2 short of 80 is 5 %, a fifth of the 25 % allowed, so
  25 * (1 - 0.05 / 0.25) = 20 points;
- rooms: one less, half of 20 = 10 points;
- district: one name contains the other, 15 points.

75 of 100 points:

>>> wish = {'budget_max': 3000000, 'area_min': 80, 'area_max': 100,
...     'rooms': 3, 'district': 'Pudong'}
>>> unit = {'price': 3150000, 'area': 76, 'rooms': 2,
...     'district': 'Pudong New Area'}
>>> total, parts = score(wish, unit)
>>> total
75.0
>>> [(p['criterion'], p['points'], p['reason']) for p in parts]
... # doctest: +NORMALIZE_WHITESPACE
[('budget', 30.0, 'over_budget'), ('area', 20.0, 'area_small'),
 ('rooms', 10.0, 'rooms_near'), ('district', 15.0, 'district_match')]
"""
import unicodedata

DEFAULT_WEIGHTS = {'budget': 40, 'area': 25, 'rooms': 20, 'district': 15}
CRITERIA = ('budget', 'area', 'rooms', 'district')
# How far beyond the wish the points fall to nothing, as a share of it
BUDGET_TOLERANCE = 0.20
AREA_TOLERANCE = 0.25


def _number(value):
    return None if value is None else float(value)


def _fading(excess, bound, tolerance):
    "The share of the points left when excess lies beyond bound"
    if bound <= 0:
        return 0.0
    return max(0.0, 1 - excess / bound / tolerance)


def _name(value):
    if value is None:
        return ''
    return unicodedata.normalize('NFKC', str(value)).strip().casefold()


def _budget(wish, unit):
    "(share of the points, reason), None when no budget is stated"
    low = _number(wish.get('budget_min'))
    high = _number(wish.get('budget_max'))
    if low is None and high is None:
        return None
    price = _number(unit.get('price'))
    if price is None:
        return 0.0, 'unknown'
    if high is not None and price > high:
        return _fading(price - high, high, BUDGET_TOLERANCE), 'over_budget'
    return 1.0, 'within_budget'


def _area(wish, unit):
    low = _number(wish.get('area_min'))
    high = _number(wish.get('area_max'))
    if low is None and high is None:
        return None
    area = _number(unit.get('area'))
    if area is None:
        return 0.0, 'unknown'
    if low is not None and area < low:
        return _fading(low - area, low, AREA_TOLERANCE), 'area_small'
    if high is not None and area > high:
        return _fading(area - high, high, AREA_TOLERANCE), 'area_large'
    return 1.0, 'area_match'


def _rooms(wish, unit):
    if wish.get('rooms') is None:
        return None
    if unit.get('rooms') is None:
        return 0.0, 'unknown'
    gap = abs(int(unit['rooms']) - int(wish['rooms']))
    if gap == 0:
        return 1.0, 'rooms_match'
    if gap == 1:
        return 0.5, 'rooms_near'
    return 0.0, 'rooms_far'


def _district(wish, unit):
    wanted = _name(wish.get('district'))
    if not wanted:
        return None
    found = _name(unit.get('district'))
    if not found:
        return 0.0, 'unknown'
    if wanted in found or found in wanted:
        return 1.0, 'district_match'
    return 0.0, 'district_other'


_RULES = {
    'budget': _budget,
    'area': _area,
    'rooms': _rooms,
    'district': _district,
    }


def score(wish, unit, weights=None):
    """(total from 0 to 100, parts): one part per criterion the customer
    stated, with its points, maximum points and reason.

    >>> score({'rooms': 2, 'district': 'Minhang'},
    ...     {'rooms': 2, 'district': 'Xuhui'})[0]
    57.1
    >>> score({}, {'price': 1})
    (0.0, [])
    """
    weights = dict(DEFAULT_WEIGHTS, **(weights or {}))
    parts = []
    for criterion in CRITERIA:
        result = _RULES[criterion](wish, unit)
        if result is None:
            continue
        share, reason = result
        parts.append({
                'criterion': criterion,
                'points': round(share * weights[criterion], 2),
                'max_points': weights[criterion],
                'reason': reason,
                })
    available = sum(p['max_points'] for p in parts)
    if not available:
        return 0.0, parts
    total = round(100 * sum(p['points'] for p in parts) / available, 1)
    return total, parts


def rank(wish, units, limit=10, min_score=0.0, weights=None):
    """The best units as (unit id, total, parts): highest score first, then
    the cheaper, then the lower id; only scores above 0 and at least
    min_score, at most limit of them.

    >>> units = [{'id': 1, 'price': 900, 'rooms': 3},
    ...     {'id': 2, 'price': 800, 'rooms': 2},
    ...     {'id': 3, 'price': 700, 'rooms': 5}]
    >>> [(i, t) for i, t, _ in rank({'rooms': 2}, units)]
    [(2, 100.0), (1, 50.0)]
    """
    scored = []
    for unit in units:
        total, parts = score(wish, unit, weights)
        if total > 0 and total >= min_score:
            price = _number(unit.get('price'))
            scored.append((
                    (-total, price is None, price or 0.0, unit['id']),
                    (unit['id'], total, parts)))
    scored.sort(key=lambda s: s[0])
    if limit is not None:
        scored = scored[:limit]
    return [result for _, result in scored]
