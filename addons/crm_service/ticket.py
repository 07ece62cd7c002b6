# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from sql import Null
from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.crm_core.common import CHANNELS, id_slices
from trytond.modules.crm_core.engine import dedup
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .centre import PRIORITIES
from .engine import routing, sla
from .exceptions import (
    TicketCloseError, TicketReopenError, TicketTakenError)

TICKET_TYPES = [
    ('inquiry', "Inquiry"),
    ('complaint', "Complaint"),
    ('feedback', "Feedback"),
    ('repair', "Repair"),
    ('dispute', "Dispute"),
    ('defective', "Defective Goods"),
    ('order_tracking', "Order Tracking"),
    ]
OPEN_STATES = ['new', 'assigned', 'in_progress', 'waiting']
_readonly_done = Eval('state').in_(['resolved', 'closed'])


class Ticket(Workflow, ModelSQL, ModelView):
    __name__ = 'crm.ticket'
    __string__ = "Service Ticket"
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'new'})
    centre = fields.Many2One(
        'crm.service.centre', "Centre", required=True,
        domain=[('company', '=', Eval('company', -1))],
        states={'readonly': Eval('state') != 'new'})
    queue = fields.Many2One(
        'crm.service.queue', "Queue", required=True,
        domain=[('centre', '=', Eval('centre', -1))],
        states={'readonly': _readonly_done})
    channel = fields.Selection(CHANNELS, "Channel", required=True,
        states={'readonly': Eval('state') != 'new'})
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'},
        states={'readonly': _readonly_done})
    contact = fields.Char("Contact",
        help="The phone or e-mail the customer used.\n"
        "Without a customer, the customer with this phone or e-mail is "
        "taken, or a prospect is created.")
    type = fields.Selection(TICKET_TYPES, "Type", required=True,
        states={'readonly': _readonly_done})
    priority = fields.Selection(PRIORITIES, "Priority", required=True,
        sort=False, states={'readonly': _readonly_done})
    subject = fields.Char("Subject", required=True,
        states={'readonly': _readonly_done})
    description = fields.Text("Description",
        states={'readonly': _readonly_done})
    agent = fields.Many2One(
        'crm.service.agent', "Agent", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('new', "New"),
            ('assigned', "Assigned"),
            ('in_progress', "In Progress"),
            ('waiting', "Waiting on Customer"),
            ('resolved', "Resolved"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)
    resolution = fields.Text("Resolution",
        states={
            'readonly': Eval('state') == 'closed',
            'required': Eval('state').in_(['resolved', 'closed']),
            })
    related_tickets = fields.Many2Many(
        'crm.ticket.relation', 'from_', 'to', "Related Tickets",
        domain=[('id', '!=', Eval('id', -1))])

    create_time = fields.DateTime("Received", readonly=True)
    assigned_time = fields.DateTime("Assigned", readonly=True)
    first_response_time = fields.DateTime("First Response", readonly=True)
    resolved_time = fields.DateTime("Resolved", readonly=True)
    closed_time = fields.DateTime("Closed", readonly=True)
    response_deadline = fields.DateTime(
        "First Response Due", readonly=True)
    resolution_deadline = fields.DateTime("Resolution Due", readonly=True)
    sla_state = fields.Selection([
            ('ok', "On Time"),
            ('warning', "About to Breach"),
            ('breached', "Breached"),
            ], "SLA", readonly=True)
    escalations = fields.One2Many(
        'crm.ticket.escalation', 'ticket', "Escalations", readonly=True)
    response_seconds = fields.Integer(
        "First Response Time (s)", readonly=True,
        help="Seconds from reception to the first response.")
    handling_seconds = fields.Integer(
        "Handling Time (s)", readonly=True,
        help="Seconds from assignment to resolution.")
    reopen_count = fields.Integer("Reopened", readonly=True)
    auto_answered = fields.Boolean("Auto-answered", readonly=True)
    answer_article = fields.Many2One(
        'crm.kb.article', "Standard Answer", readonly=True,
        ondelete='SET NULL')
    surveys = fields.One2Many(
        'crm.ticket.survey', 'ticket', "Satisfaction", readonly=True)

    # Screen pop: the customer's card next to the ticket.
    customer_segment = fields.Function(
        fields.Many2One('crm.segment', "Segment"), 'get_customer_card')
    customer_value_tier = fields.Function(
        fields.Selection('get_value_tiers', "Value Tier"),
        'get_customer_card')
    customer_lifecycle = fields.Function(
        fields.Char("Lifecycle Stage"), 'get_customer_card')
    customer_purchase_amount = fields.Function(
        fields.Numeric("Purchased Amount", digits=(16, 2)),
        'get_customer_card')
    customer_open_tickets = fields.Function(
        fields.Many2Many('crm.ticket', None, None, "Open Tickets"),
        'get_customer_card')
    customer_interactions = fields.Function(
        fields.Many2Many('crm.interaction', None, None, "Last Interactions"),
        'get_customer_card')
    customer_purchases = fields.Function(
        fields.Many2Many('crm.purchase', None, None, "Last Purchases"),
        'get_customer_card')
    suggested_articles = fields.Function(
        fields.Many2Many('crm.kb.article', None, None, "Suggested Answers"),
        'get_suggested_articles')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('create_time', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.agent, Index.Equality()),
                    where=t.state.in_(OPEN_STATES)),
                Index(t, (t.queue, Index.Equality()),
                    (t.create_time, Index.Range()),
                    where=t.state == 'new'),
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.resolution_deadline, Index.Range()),
                    where=t.state.in_(OPEN_STATES)),
                })
        cls._transitions |= {
            ('new', 'assigned'),
            ('assigned', 'assigned'),
            ('assigned', 'in_progress'),
            ('in_progress', 'waiting'),
            ('waiting', 'in_progress'),
            ('assigned', 'resolved'),
            ('in_progress', 'resolved'),
            ('waiting', 'resolved'),
            ('new', 'resolved'),
            ('resolved', 'closed'),
            ('resolved', 'in_progress'),
            ('closed', 'in_progress'),
            }
        cls._buttons.update({
                'take': {
                    'invisible': ~Eval('state').in_(['new', 'assigned']),
                    'depends': ['state'],
                    },
                'start': {
                    'invisible': Eval('state') != 'assigned',
                    'depends': ['state'],
                    },
                'wait': {
                    'invisible': Eval('state') != 'in_progress',
                    'depends': ['state'],
                    },
                'resolve': {
                    'invisible': ~Eval('state').in_(
                        ['new', 'assigned', 'in_progress', 'waiting']),
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'resolved',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': ~Eval('state').in_(['resolved', 'closed']),
                    'depends': ['state'],
                    },
                'reassign': {
                    'invisible': ~Eval('state').in_(OPEN_STATES),
                    'depends': ['state'],
                    },
                'survey': {
                    'invisible': ~Eval('state').in_(['resolved', 'closed']),
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'new'

    @staticmethod
    def default_priority():
        return 'normal'

    @staticmethod
    def default_type():
        return 'inquiry'

    @staticmethod
    def default_channel():
        return 'phone'

    @staticmethod
    def default_sla_state():
        return 'ok'

    @staticmethod
    def default_auto_answered():
        return False

    @staticmethod
    def default_reopen_count():
        return 0

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('sla_state') == 'breached', 'danger',
                    If(Eval('sla_state') == 'warning', 'warning', ''))),
            ]

    # -- customer card -------------------------------------------------
    @classmethod
    def get_customer_card(cls, tickets, names):
        pool = Pool()
        Interaction = pool.get('crm.interaction')
        Purchase = pool.get('crm.purchase')
        result = {n: {} for n in names}
        for ticket in tickets:
            party = ticket.party
            card = {
                'customer_segment': party.segment.id
                if party.segment else None,
                'customer_value_tier': party.value_tier,
                'customer_lifecycle': party.lifecycle_stage_string,
                'customer_purchase_amount': party.purchase_amount,
                }
            if 'customer_open_tickets' in names:
                card['customer_open_tickets'] = [t.id for t in cls.search([
                            ('party', '=', party.id),
                            ('state', 'in', OPEN_STATES),
                            ('id', '!=', ticket.id),
                            ])]
            if 'customer_interactions' in names:
                card['customer_interactions'] = [
                    i.id for i in Interaction.search(
                        [('party', '=', party.id)], limit=10)]
            if 'customer_purchases' in names:
                card['customer_purchases'] = [
                    p.id for p in Purchase.search(
                        [('party', '=', party.id)], limit=10)]
            for name in names:
                result[name][ticket.id] = card.get(name)
        return result

    @classmethod
    def get_value_tiers(cls):
        "crm_core's value tiers, with their labels in the user's language"
        Party = Pool().get('party.party')
        return Party.fields_get(['value_tier'])['value_tier']['selection']

    @classmethod
    def get_suggested_articles(cls, tickets, name):
        Article = Pool().get('crm.kb.article')
        return {
            t.id: [a.id for a, _ in Article.suggest(
                    t.text_to_match(), queue=t.queue, limit=5)]
            for t in tickets}

    def text_to_match(self):
        return '\n'.join(filter(None, [self.subject, self.description]))

    # -- life cycle ----------------------------------------------------
    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('crm.service.configuration')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values.setdefault('create_time', dt.datetime.now())
            if not values.get('number'):
                values['number'] = Configuration(1).get_ticket_number()
            if not values.get('party') and values.get('contact'):
                values['party'] = cls.customer_of_contact(
                    values['contact'], create=True).id
        return values

    @fields.depends('contact', 'party')
    def on_change_contact(self):
        if self.contact and not self.party:
            self.party = self.customer_of_contact(self.contact)

    @classmethod
    def customer_of_contact(cls, contact, create=False):
        """The customer with the phone or e-mail, by crm_core's keys.

        With create, a missing customer is created as a prospect.
        """
        pool = Pool()
        Party = pool.get('party.party')
        ContactMechanism = pool.get('party.contact_mechanism')
        type_ = 'email' if '@' in contact else 'mobile'
        key = dedup.contact_key(type_, contact)
        if key:
            with without_check_access():
                mechanisms = ContactMechanism.search([
                        ('dedup_key', '=', key),
                        ('party.active', '=', True),
                        ], order=[('party', 'ASC')], limit=1)
            if mechanisms:
                return Party(mechanisms[0].party.id)
        if not create:
            return None
        party, = Party.create([{
                    'name': contact.strip(),
                    'lifecycle_stage': 'prospect',
                    'contact_mechanisms': [('create', [{
                                    'type': type_ if key else 'other',
                                    'value': contact.strip()}])],
                    }])
        return party

    @classmethod
    def on_modification(cls, mode, tickets, field_names=None):
        super().on_modification(mode, tickets, field_names=field_names)
        if mode == 'create':
            cls.compute_deadlines(tickets)
            cls.log_interactions(tickets)
            cls.auto_answer(tickets)
            cls.route(tickets)

    @classmethod
    def compute_deadlines(cls, tickets):
        to_write = []
        for ticket in tickets:
            policy = ticket.queue.sla_policy
            if not policy:
                continue
            response, resolution = policy.targets(ticket.priority)
            calendar = ticket.centre.get_calendar()
            values = {'sla_state': 'ok'}
            start = ticket.create_time
            if response is not None:
                values['response_deadline'] = calendar.add(start, response)
                values['resolution_deadline'] = calendar.add(
                    start, resolution)
            to_write.extend(([ticket], values))
        if to_write:
            cls.write(*to_write)

    @classmethod
    def log_interactions(cls, tickets):
        "Every ticket appears in the customer's crm_core timeline."
        Interaction = Pool().get('crm.interaction')
        with without_check_access():
            Interaction.save([Interaction(
                        company=t.company, party=t.party, channel=t.channel,
                        direction='inbound', date=t.create_time,
                        subject=f'{t.number}: {t.subject}',
                        notes=t.description, origin=t)
                    for t in tickets])

    @classmethod
    def auto_answer(cls, tickets):
        """Answer web and e-mail tickets matching a standard question.

        The answer goes back on the ticket's channel as an outbound
        interaction; the ticket is resolved and stays reopenable.
        """
        pool = Pool()
        Article = pool.get('crm.kb.article')
        Interaction = pool.get('crm.interaction')
        answered, interactions = [], []
        for ticket in tickets:
            if ticket.channel not in {'web', 'email'}:
                continue
            article = Article.best_answer(
                ticket.text_to_match(), queue=ticket.queue)
            if not article:
                continue
            ticket.answer_article = article
            ticket.auto_answered = True
            ticket.resolution = article.answer
            answered.append(ticket)
            interactions.append(Interaction(
                    company=ticket.company, party=ticket.party,
                    channel=ticket.channel, direction='outbound',
                    subject=f'{ticket.number}: {article.question}',
                    notes=article.answer, origin=ticket))
        if answered:
            cls.save(answered)
            cls.resolve(answered)
            with without_check_access():
                Interaction.save(interactions)

    # -- routing -------------------------------------------------------
    @classmethod
    def open_counts(cls, agents):
        "{agent id: open tickets} in one query per slice."
        ticket = cls.__table__()
        cursor = Transaction().connection.cursor()
        counts = {}
        for sub_ids in id_slices([int(a) for a in agents]):
            cursor.execute(*ticket.select(
                    ticket.agent, Count(ticket.id),
                    where=ticket.agent.in_(sub_ids)
                    & ticket.state.in_(OPEN_STATES),
                    group_by=[ticket.agent]))
            counts.update(cursor)
        return counts

    @classmethod
    def _routing_agents(cls, centres):
        "Plain data of the agents of the centres for the routing engine."
        Agent = Pool().get('crm.service.agent')
        agents = Agent.search([
                ('centre', 'in', [c.id for c in centres]),
                ('presence', '=', 'available'),
                ])
        counts = cls.open_counts(agents)
        return [routing.Agent(
                id=a.id, channels=frozenset(a.channels or ()),
                skills=a.skill_levels(),
                queues=frozenset(q.id for q in a.queues),
                capacity=a.capacity, load=counts.get(a.id, 0),
                idle_since=a.idle_since or dt.datetime.min)
            for a in agents]

    def _routing_ticket(self):
        return routing.Ticket(
            id=self.id, channel=self.channel, queue=self.queue.id,
            skills=self.queue.required_skills(),
            priority=self.priority, value_tier=self.party.value_tier,
            complaint=self.type == 'complaint',
            received=self.create_time)

    @classmethod
    def route(cls, tickets):
        "Assign new tickets to the best eligible agents, or let them wait."
        tickets = [t for t in cls.browse(tickets)
            if t.state == 'new' and not t.agent]
        if not tickets:
            return
        agents = cls._routing_agents({t.centre for t in tickets})
        choice = routing.assign(
            [t._routing_ticket() for t in tickets], agents)
        assigned = [t for t in tickets if t.id in choice]
        if assigned:
            cls._assign(assigned, choice, dt.datetime.now())

    @classmethod
    def route_waiting(cls, centres):
        "Give waiting tickets of the centres to agents who became eligible."
        cls.route(cls.search([
                    ('centre', 'in', [c.id for c in centres]),
                    ('state', '=', 'new'),
                    ('agent', '=', None),
                    ]))

    @classmethod
    @Workflow.transition('assigned')
    def _assign(cls, tickets, choice, now):
        """Give the tickets to their agents of choice ({ticket id: agent
        id}) in one write of the tickets and one of the agents."""
        Agent = Pool().get('crm.service.agent')
        if not tickets:
            return
        by_agent = {}
        for ticket in tickets:
            by_agent.setdefault(choice[ticket.id], []).append(ticket)
        to_write = []
        for agent_id, agent_tickets in by_agent.items():
            to_write.extend((agent_tickets,
                    {'agent': agent_id, 'assigned_time': now}))
        cls.write(*to_write)
        Agent.write(Agent.browse(list(by_agent)), {'idle_since': now})

    @classmethod
    @ModelView.button
    def take(cls, tickets):
        """The current user's agent takes the tickets.

        The conditional UPDATE makes two simultaneous takers race in the
        database: exactly one row update succeeds per ticket.
        """
        pool = Pool()
        Agent = pool.get('crm.service.agent')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        agent = cls._current_agent(tickets)
        now = dt.datetime.now()
        for ticket in tickets:
            cursor.execute(*table.update(
                    [table.agent, table.state, table.assigned_time],
                    [agent.id, 'assigned', now],
                    where=(table.id == ticket.id)
                    & table.state.in_(['new', 'assigned'])
                    & ((table.agent == Null) | (table.agent == agent.id))))
            if cursor.rowcount != 1:
                holder = cls(ticket.id)
                raise TicketTakenError(gettext(
                        'crm_service.msg_ticket_taken',
                        ticket=ticket.rec_name,
                        agent=holder.agent.rec_name if holder.agent
                        else '-'))
        Agent.write([agent], {'idle_since': now})
        cls._clear_cache(tickets)

    @classmethod
    def _clear_cache(cls, tickets):
        for cache in Transaction().cache.values():
            if cls.__name__ in cache:
                for ticket in tickets:
                    cache[cls.__name__].pop(ticket.id, None)

    @classmethod
    def _current_agent(cls, tickets):
        Agent = Pool().get('crm.service.agent')
        centres = {t.centre for t in tickets}
        agents = [a for a in Agent.mine() if a.centre in centres]
        if not agents:
            raise TicketTakenError(gettext('crm_service.msg_not_an_agent'))
        return agents[0]

    @classmethod
    @ModelView.button_action('crm_service.wizard_ticket_reassign')
    def reassign(cls, tickets):
        pass

    # -- work ----------------------------------------------------------
    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def start(cls, tickets):
        cls._set_first_response(tickets)

    @classmethod
    @ModelView.button
    @Workflow.transition('waiting')
    def wait(cls, tickets):
        cls._set_first_response(tickets)

    @classmethod
    def _set_first_response(cls, tickets):
        now = dt.datetime.now()
        to_save = [t for t in tickets if not t.first_response_time]
        for ticket in to_save:
            ticket.first_response_time = now
            ticket.response_seconds = int(
                (now - ticket.create_time).total_seconds())
        cls.save(to_save)

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    def resolve(cls, tickets):
        for ticket in tickets:
            if not (ticket.resolution or '').strip():
                raise TicketCloseError(gettext(
                        'crm_service.msg_ticket_resolution_required',
                        ticket=ticket.rec_name))
        cls._set_first_response(tickets)
        now = dt.datetime.now()
        for ticket in tickets:
            ticket.resolved_time = now
            ticket.handling_seconds = int(
                (now - (ticket.assigned_time or ticket.create_time))
                .total_seconds())
        cls.save(tickets)
        cls._release_agents(tickets, now)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, tickets):
        for ticket in tickets:
            if not (ticket.resolution or '').strip():
                raise TicketCloseError(gettext(
                        'crm_service.msg_ticket_resolution_required',
                        ticket=ticket.rec_name))
        cls.write(tickets, {'closed_time': dt.datetime.now()})

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def reopen(cls, tickets):
        today = dt.date.today()
        for ticket in tickets:
            limit = ticket.resolved_time.date() + dt.timedelta(
                days=ticket.centre.reopen_days)
            if today > limit:
                raise TicketReopenError(gettext(
                        'crm_service.msg_ticket_reopen_late',
                        ticket=ticket.rec_name,
                        days=ticket.centre.reopen_days))
        for ticket in tickets:
            ticket.resolved_time = ticket.closed_time = None
            ticket.reopen_count = (ticket.reopen_count or 0) + 1
        cls.save(tickets)

    @classmethod
    def _release_agents(cls, tickets, now):
        Agent = Pool().get('crm.service.agent')
        agents = list({t.agent for t in tickets if t.agent})
        if agents:
            Agent.write(agents, {'idle_since': now})
            cls.route_waiting({a.centre for a in agents})

    @classmethod
    @ModelView.button_action('crm_service.wizard_ticket_survey')
    def survey(cls, tickets):
        pass

    # -- SLA escalation ------------------------------------------------
    @classmethod
    def escalate(cls, now=None):
        """Cron: flag tickets about to breach or breached, escalate them.

        Escalating raises the priority one step, notes it on the ticket and
        for the centre's supervisors, and may give the ticket to another
        agent when the queue's policy says so.
        """
        pool = Pool()
        Escalation = pool.get('crm.ticket.escalation')
        now = now or dt.datetime.now()
        tickets = cls.search([
                ('state', 'in', OPEN_STATES),
                ('resolution_deadline', '!=', None),
                ('sla_state', '!=', 'breached'),
                ])
        escalations, to_write, to_reroute = [], [], []
        calendars = {}
        for ticket in tickets:
            if ticket.centre not in calendars:
                calendars[ticket.centre] = ticket.centre.get_calendar()
            state = ticket.current_sla_state(
                now, calendar=calendars[ticket.centre])
            if state == ticket.sla_state:
                continue
            values = {'sla_state': state}
            priority = ticket.priority
            if state == 'breached':
                priority = raise_priority(ticket.priority)
                values['priority'] = priority
                if ticket.queue.sla_policy.escalate_reassign:
                    to_reroute.append(ticket)
            to_write.extend(([ticket], values))
            escalations.append(Escalation(
                    ticket=ticket, date=now, level=state,
                    from_priority=ticket.priority, to_priority=priority,
                    agent=ticket.agent))
        if to_write:
            cls.write(*to_write)
            Escalation.save(escalations)
            Escalation.notify(escalations)
        if to_reroute:
            cls.reroute(to_reroute)
        return escalations

    def current_sla_state(self, now, calendar=None):
        "The SLA state at now from the stored deadlines."
        policy = self.queue.sla_policy
        if calendar is None:
            calendar = self.centre.get_calendar()
        deadlines = [(self.resolution_deadline, self.create_time)]
        if not self.first_response_time and self.response_deadline:
            deadlines.append((self.response_deadline, self.create_time))
        states = [
            sla.sla_status(
                now, start, deadline, policy.warn_ratio, calendar=calendar)
            for deadline, start in deadlines]
        for state in ['breached', 'warning']:
            if state in states:
                return state
        return 'ok'

    @classmethod
    def reroute(cls, tickets):
        "Take tickets from their agents and route them to others."
        cls.write(tickets, {'agent': None, 'state': 'new'})
        cls.route(tickets)


def raise_priority(priority):
    order = [p for p, _ in PRIORITIES]
    return order[min(order.index(priority) + 1, len(order) - 1)]


class TicketRelation(ModelSQL):
    __name__ = 'crm.ticket.relation'
    __string__ = "Ticket Relation"
    from_ = fields.Many2One(
        'crm.ticket', "From", required=True, ondelete='CASCADE')
    to = fields.Many2One(
        'crm.ticket', "To", required=True, ondelete='CASCADE')
