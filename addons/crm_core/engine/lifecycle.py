# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The customer lifecycle and the moves allowed between its stages.

>>> is_allowed('prospect', 'new')
True
>>> is_allowed('prospect', 'loyal')
False
>>> allowed_from('churned')
['won_back']
"""

STAGES = [
    'prospect', 'new', 'active', 'loyal', 'at_risk', 'churned', 'won_back']

TRANSITIONS = {
    'prospect': ['new', 'churned'],
    'new': ['active', 'at_risk', 'churned'],
    'active': ['loyal', 'at_risk', 'churned'],
    'loyal': ['active', 'at_risk', 'churned'],
    'at_risk': ['active', 'loyal', 'churned'],
    'churned': ['won_back'],
    'won_back': ['active', 'loyal', 'at_risk', 'churned'],
    }


def allowed_from(stage):
    return list(TRANSITIONS.get(stage, []))


def is_allowed(from_stage, to_stage):
    "Staying in the same stage is always allowed."
    return from_stage == to_stage or to_stage in TRANSITIONS.get(
        from_stage, [])
