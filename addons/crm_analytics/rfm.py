# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The configurable mapping of RFM scores to crm_core segments."
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered

from .engine import rfm
from .exceptions import RfmMappingError


class RfmRule(sequence_ordered(), ModelSQL, ModelView):
    __string__ = "RFM Segment Rule"
    __name__ = 'crm.analytics.rfm.rule'
    segment = fields.Many2One(
        'crm.segment', "Segment", required=True, ondelete='RESTRICT')
    r_min = fields.Integer(
        "R From", required=True, help="Lowest recency score (1-5).")
    r_max = fields.Integer(
        "R To", required=True, help="Highest recency score (1-5).")
    fm_min = fields.Integer(
        "FM From", required=True,
        help="Lowest FM score: the mean of the frequency and monetary "
        "scores, rounded half up.")
    fm_max = fields.Integer("FM To", required=True,
        help="Highest FM score (1-5).")

    @classmethod
    def validate_fields(cls, rules, field_names):
        super().validate_fields(rules, field_names)
        for rule in rules:
            if not (1 <= rule.r_min <= rule.r_max <= rfm.SCORES
                    and 1 <= rule.fm_min <= rule.fm_max <= rfm.SCORES):
                raise RfmMappingError(gettext(
                        'crm_analytics.msg_rfm_mapping_range',
                        segment=rule.segment.rec_name))

    @classmethod
    def mapping(cls):
        "The rules in the engine's form: (segment id, (r), (fm)), in order"
        return [(str(r.segment.id), (r.r_min, r.r_max), (r.fm_min, r.fm_max))
            for r in cls.search([])]

    @classmethod
    def check_mapping(cls):
        "Check the rules give every (R, FM) pair one segment (at run time)"
        rules = cls.search([])
        try:
            rfm.validate_mapping(cls.mapping())
        except rfm.MappingError as error:
            if error.kind == 'gap':
                raise RfmMappingError(gettext(
                        'crm_analytics.msg_rfm_mapping_gap',
                        r=error.r, fm=error.fm))
            raise RfmMappingError(gettext(
                    'crm_analytics.msg_rfm_mapping_%s' % error.kind,
                    segment=rules[error.rule].segment.rec_name))
