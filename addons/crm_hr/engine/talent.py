# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Talent pool: performance levels, the 9-box and skill gaps.

>>> performance_level(85.0)
'high'
>>> nine_box('high', 'medium')
'high_performer'
>>> gaps({'crm': 3, 'complaints': 2}, {'crm': 4, 'complaints': 2})
{'crm': 1}
"""

LEVELS = ('low', 'medium', 'high')
# (performance, potential) -> box, the usual names of the grid
BOXES = {
    ('low', 'low'): 'risk',
    ('medium', 'low'): 'effective',
    ('high', 'low'): 'trusted_professional',
    ('low', 'medium'): 'inconsistent',
    ('medium', 'medium'): 'core_player',
    ('high', 'medium'): 'high_performer',
    ('low', 'high'): 'rough_diamond',
    ('medium', 'high'): 'future_star',
    ('high', 'high'): 'star',
    }


def performance_level(total, high=80, low=60):
    """Level of a weighted KPI total: high from high, low under low.

    >>> performance_level(59.9), performance_level(60), performance_level(None)
    ('low', 'medium', None)
    """
    if total is None:
        return None
    if total >= high:
        return 'high'
    if total >= low:
        return 'medium'
    return 'low'


def nine_box(performance, potential):
    "The 9-box cell of a performance and a potential level, or None."
    return BOXES.get((performance, potential))


def gaps(levels, required):
    """{skill: missing levels} of the required skills that levels do not
    reach (a skill not held at all is missing all its levels).

    >>> gaps({}, {'sql': 2})
    {'sql': 2}
    """
    result = {}
    for skill, level in required.items():
        missing = level - levels.get(skill, 0)
        if missing > 0:
            result[skill] = missing
    return result


def rank_successors(candidates):
    """Candidates (id, readiness, gap count, performance total) ranked:
    readier first, then fewer gaps, then better performance, then id.

    >>> rank_successors([(1, '3_years', 0, 90), (2, 'now', 2, 70),
    ...     (3, 'now', 0, 60), (4, 'now', 0, None)])
    [3, 4, 2, 1]
    """
    order = {'now': 0, '1_2_years': 1, '3_years': 2}
    return [c[0] for c in sorted(candidates, key=lambda c: (
                order.get(c[1], 3), c[2],
                -(c[3] if c[3] is not None else -1), c[0]))]
