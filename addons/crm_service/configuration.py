# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id


class Configuration(ModelSingleton, ModelSQL, ModelView):
    __name__ = 'crm.service.configuration'
    __string__ = "Service Configuration"
    ticket_sequence = fields.Many2One(
        'ir.sequence', "Ticket Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('crm_service', 'sequence_type_ticket'))])
    auto_reply_threshold = fields.Float(
        "Auto-reply Threshold", required=True, digits=(3, 2),
        domain=[('auto_reply_threshold', '>', 0),
            ('auto_reply_threshold', '<=', 1)],
        help="Minimum similarity (0 to 1) of a ticket to a standard "
        "question for the answer to be sent automatically.")
    auto_reply_margin = fields.Float(
        "Auto-reply Margin", required=True, digits=(3, 2),
        domain=[('auto_reply_margin', '>=', 0),
            ('auto_reply_margin', '<', 1)],
        help="How much the best match must beat the second one.")
    low_score = fields.Integer(
        "Low Satisfaction", required=True,
        domain=[('low_score', '>=', 1), ('low_score', '<=', 5)],
        help="Scores at or below this open a follow-up for the supervisor.")

    @classmethod
    def default_ticket_sequence(cls):
        return Pool().get('ir.model.data').get_id(
            'crm_service', 'sequence_ticket')

    @staticmethod
    def default_auto_reply_threshold():
        # Chinese text matched by character bigrams scores lower than
        # English words; 0.25 answers a paraphrase of a standard question
        # and nothing merely sharing a word or two (tests/test_service.py).
        return 0.25

    @staticmethod
    def default_auto_reply_margin():
        return 0.1

    @staticmethod
    def default_low_score():
        return 2

    def get_ticket_number(self):
        return self.ticket_sequence.get()
