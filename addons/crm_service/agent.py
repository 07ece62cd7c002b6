# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.modules.crm_core.common import CHANNELS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

PRESENCES = [
    ('available', "Available"),
    ('busy', "Busy"),
    ('away', "Away"),
    ('offline', "Offline"),
    ]


class Agent(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'crm.service.agent'
    __string__ = "Service Agent"
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    centre = fields.Many2One(
        'crm.service.centre', "Centre", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company', searcher='search_company')
    skills = fields.One2Many('crm.service.agent.skill', 'agent', "Skills")
    channels = fields.MultiSelection(
        CHANNELS, "Channels", help="The channels the agent serves.")
    queues = fields.Many2Many(
        'crm.service.agent-crm.service.queue', 'agent', 'queue', "Queues",
        domain=[('centre', '=', Eval('centre', -1))],
        help="The queues the agent works; empty means every queue of the "
        "centre whose skills the agent has.")
    capacity = fields.Integer(
        "Capacity", required=True,
        domain=[('capacity', '>', 0)],
        help="Maximum number of open tickets at a time.")
    presence = fields.Selection(PRESENCES, "Presence", required=True)
    idle_since = fields.DateTime(
        "Idle Since", readonly=True,
        help="When the agent last finished or received a ticket.")
    open_tickets = fields.Function(
        fields.Integer("Open Tickets"), 'get_open_tickets')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('employee_centre_unique', Unique(t, t.employee, t.centre),
                'crm_service.msg_agent_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.presence, Index.Equality())))
        cls._buttons.update({
                state: {
                    'readonly': Eval('presence') == state,
                    'depends': ['presence'],
                    }
                for state, _ in PRESENCES})

    def get_rec_name(self, name):
        return self.employee.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @staticmethod
    def default_capacity():
        return 5

    @staticmethod
    def default_presence():
        return 'offline'

    @staticmethod
    def default_channels():
        return ['phone', 'web', 'email', 'chat']

    @fields.depends('centre', '_parent_centre.company')
    def on_change_with_company(self, name=None):
        return self.centre.company if self.centre else None

    @classmethod
    def search_company(cls, name, clause):
        return [('centre.company',) + tuple(clause[1:])]

    @classmethod
    def get_open_tickets(cls, agents, name):
        Ticket = Pool().get('crm.ticket')
        counts = Ticket.open_counts(agents)
        return {a.id: counts.get(a.id, 0) for a in agents}

    def skill_levels(self):
        return {s.skill.id: s.level for s in self.skills}

    @classmethod
    def set_presence(cls, agents, presence):
        Ticket = Pool().get('crm.ticket')
        values = {'presence': presence}
        if presence == 'available':
            values['idle_since'] = dt.datetime.now()
        cls.write(agents, values)
        if presence == 'available':
            Ticket.route_waiting([a.centre for a in agents])

    @classmethod
    @ModelView.button
    def available(cls, agents):
        cls.set_presence(agents, 'available')

    @classmethod
    @ModelView.button
    def busy(cls, agents):
        cls.set_presence(agents, 'busy')

    @classmethod
    @ModelView.button
    def away(cls, agents):
        cls.set_presence(agents, 'away')

    @classmethod
    @ModelView.button
    def offline(cls, agents):
        cls.set_presence(agents, 'offline')

    @classmethod
    def mine(cls):
        "The agent records of the current user's employee."
        employee = Transaction().context.get('employee')
        return cls.search([('employee', '=', employee)]) if employee else []


class AgentSkill(ModelSQL, ModelView):
    __name__ = 'crm.service.agent.skill'
    __string__ = "Service Agent Skill"
    agent = fields.Many2One(
        'crm.service.agent', "Agent", required=True, ondelete='CASCADE')
    skill = fields.Many2One(
        'crm.service.skill', "Skill", required=True, ondelete='CASCADE')
    level = fields.Integer("Level", required=True,
        domain=[('level', '>=', 1), ('level', '<=', 5)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('agent')

    @staticmethod
    def default_level():
        return 3


class AgentQueue(ModelSQL):
    __name__ = 'crm.service.agent-crm.service.queue'
    __string__ = "Service Agent - Queue"
    agent = fields.Many2One(
        'crm.service.agent', "Agent", required=True, ondelete='CASCADE')
    queue = fields.Many2One(
        'crm.service.queue', "Queue", required=True, ondelete='CASCADE')
