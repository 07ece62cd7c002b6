# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .centre import PRIORITIES


class Escalation(ModelSQL, ModelView):
    __name__ = 'crm.ticket.escalation'
    __string__ = "Ticket Escalation"
    ticket = fields.Many2One(
        'crm.ticket', "Ticket", required=True, ondelete='CASCADE')
    date = fields.DateTime("Date", required=True)
    level = fields.Selection([
            ('warning', "About to Breach"),
            ('breached', "Breached"),
            ('manual', "Manual Reassignment"),
            ], "Level", required=True)
    level_string = level.translated('level')
    from_priority = fields.Selection(PRIORITIES, "From Priority")
    to_priority = fields.Selection(PRIORITIES, "To Priority")
    agent = fields.Many2One('crm.service.agent', "Agent")
    new_agent = fields.Many2One('crm.service.agent', "New Agent")
    user = fields.Many2One('res.user', "By", readonly=True)
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_user():
        return Transaction().user

    @classmethod
    def notify(cls, escalations):
        "Tell the supervisors of each ticket's centre, in their to-do list."
        Interaction = Pool().get('crm.interaction')
        today = dt.date.today()
        interactions = []
        for escalation in escalations:
            ticket = escalation.ticket
            for supervisor in ticket.centre.supervisors:
                interactions.append(Interaction(
                        company=ticket.company, party=ticket.party,
                        channel=ticket.channel, direction='outbound',
                        employee=supervisor,
                        subject=gettext(
                            'crm_service.msg_escalation_subject',
                            ticket=ticket.rec_name,
                            level=escalation.level_string),
                        follow_up_date=today, origin=ticket))
        with without_check_access():
            Interaction.save(interactions)


class Reassign(Wizard):
    "A supervisor gives tickets to another agent; the move is logged."
    __name__ = 'crm.ticket.reassign'
    start = StateView('crm.ticket.reassign.start',
        'crm_service.ticket_reassign_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reassign", 'reassign', 'tryton-ok', default=True),
            ])
    reassign = StateTransition()

    def default_start(self, fields):
        return {'centre': self.records[0].centre.id}

    def transition_reassign(self):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Escalation = pool.get('crm.ticket.escalation')
        now = dt.datetime.now()
        agent = self.start.agent
        Escalation.save([Escalation(
                    ticket=t, date=now, level='manual',
                    from_priority=t.priority, to_priority=t.priority,
                    agent=t.agent, new_agent=agent, note=self.start.note)
                for t in self.records])
        Ticket.write(list(self.records), {
                'agent': agent.id, 'state': 'assigned',
                'assigned_time': now})
        return 'end'


class ReassignStart(ModelView):
    __name__ = 'crm.ticket.reassign.start'
    __string__ = "Reassign Tickets"
    centre = fields.Many2One('crm.service.centre', "Centre", readonly=True)
    agent = fields.Many2One(
        'crm.service.agent', "Agent", required=True,
        domain=[('centre', '=', Eval('centre', -1))])
    note = fields.Text("Note")
