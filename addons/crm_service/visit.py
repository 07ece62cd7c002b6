# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import VisitOverlapError


class FieldVisit(Workflow, ModelSQL, ModelView):
    __name__ = 'crm.field.visit'
    __string__ = "Field Visit"
    ticket = fields.Many2One(
        'crm.ticket', "Ticket", required=True, ondelete='CASCADE',
        domain=[('type', 'in', ['repair', 'defective', 'complaint'])])
    company = fields.Many2One('company.company', "Company", required=True)
    technician = fields.Many2One(
        'company.employee', "Technician", required=True,
        domain=[('company', '=', Eval('company', -1))])
    start = fields.DateTime("Start", required=True)
    end = fields.DateTime("End", required=True,
        domain=[('end', '>', Eval('start'))])
    address = fields.Many2One(
        'party.address', "Address",
        domain=[('party', '=', Eval('party', -1))])
    party = fields.Function(
        fields.Many2One(
            'party.party', "Customer",
            context={'company': Eval('company', -1)}, depends={'company'}),
        'on_change_with_party')
    parts = fields.One2Many('crm.field.visit.part', 'visit', "Parts Used")
    result = fields.Text("Result")
    state = fields.Selection([
            ('planned', "Planned"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('start', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t,
                (t.technician, Index.Equality()), (t.start, Index.Range())))
        cls._transitions |= {('planned', 'done'), ('planned', 'cancelled')}
        cls._buttons.update({
                'do': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'planned'

    def get_rec_name(self, name):
        return '%s @ %s' % (self.ticket.rec_name, self.start)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('ticket.rec_name',) + tuple(clause[1:])]

    @fields.depends('ticket', '_parent_ticket.party')
    def on_change_with_party(self, name=None):
        return self.ticket.party if self.ticket else None

    @classmethod
    def validate_fields(cls, visits, field_names):
        super().validate_fields(visits, field_names)
        if not field_names or field_names & {
                'technician', 'start', 'end', 'state'}:
            cls.check_overlap(visits)

    @classmethod
    def check_overlap(cls, visits):
        "A technician cannot be booked twice at the same time."
        for visit in visits:
            if visit.state == 'cancelled':
                continue
            other = cls.search([
                    ('id', '!=', visit.id),
                    ('technician', '=', visit.technician.id),
                    ('state', '!=', 'cancelled'),
                    ('start', '<', visit.end),
                    ('end', '>', visit.start),
                    ], limit=1)
            if other:
                other, = other
                raise VisitOverlapError(gettext(
                        'crm_service.msg_visit_overlap',
                        technician=visit.technician.rec_name,
                        start=other.start, end=other.end,
                        ticket=other.ticket.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, visits):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, visits):
        pass


class FieldVisitPart(ModelSQL, ModelView):
    __name__ = 'crm.field.visit.part'
    __string__ = "Field Visit Part"
    visit = fields.Many2One(
        'crm.field.visit', "Visit", required=True, ondelete='CASCADE')
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT')
    quantity = fields.Float("Quantity", required=True, digits=(16, 2),
        domain=[('quantity', '>', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('visit')
