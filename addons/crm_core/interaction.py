# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .common import CHANNELS, OriginMixin


class Interaction(OriginMixin, ModelSQL, ModelView):
    __name__ = 'crm.interaction'
    __string__ = "CRM Interaction"
    _rec_name = 'subject'

    company = fields.Many2One('company.company', "Company", required=True)
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE',
        context={'company': Eval('company', -1)}, depends={'company'})
    channel = fields.Selection(CHANNELS, "Channel", required=True)
    direction = fields.Selection([
            ('inbound', "Inbound"),
            ('outbound', "Outbound"),
            ], "Direction", required=True)
    date = fields.DateTime("Date", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee",
        domain=[('company', '=', Eval('company', -1))])
    subject = fields.Char("Subject", required=True)
    notes = fields.Text("Notes")
    outcome = fields.Char("Outcome")
    follow_up_date = fields.Date(
        "Follow-up Date",
        help="The interaction appears in the to-do list of its employee "
        "and of the customer's owner until it is done.")
    follow_up_done = fields.Boolean(
        "Follow-up Done", states={'invisible': ~Bool(Eval('follow_up_date'))})
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True,
        help="The document the interaction comes from (e.g. a ticket).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality()), (t.date, Index.Range())),
                Index(t,
                    (t.employee, Index.Equality()),
                    (t.follow_up_date, Index.Range()),
                    where=t.follow_up_done == False),  # noqa: E712
                })
        cls._buttons.update({
                'mark_follow_up_done': {
                    'invisible': (~Bool(Eval('follow_up_date'))
                        | Eval('follow_up_done', False)),
                    'depends': ['follow_up_date', 'follow_up_done'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_employee():
        return Transaction().context.get('employee')

    @staticmethod
    def default_date():
        return dt.datetime.now().replace(microsecond=0)

    @staticmethod
    def default_direction():
        return 'inbound'

    @staticmethod
    def default_channel():
        return 'phone'

    @staticmethod
    def default_follow_up_done():
        return False

    @classmethod
    @ModelView.button
    def mark_follow_up_done(cls, interactions):
        cls.write(interactions, {'follow_up_done': True})
