# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_core.tests.tools import (
    DBTestCase, create_customer, create_user)
from trytond.modules.crm_service.exceptions import (
    SLAPolicyError, SurveyError, TicketCloseError, TicketTakenError,
    VisitOverlapError)
from trytond.modules.crm_service.tests.tools import create_agent, create_centre
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

FRIDAY = dt.datetime(2026, 11, 20, 17, 0)
MONDAY = dt.date(2026, 11, 23)


class TicketMixin:

    def ticket(self, queue, party, **values):
        Ticket = Pool().get('crm.ticket')
        ticket, = Ticket.create([dict({
                        'centre': queue.centre.id, 'queue': queue.id,
                        'party': party.id, 'subject': "Leak in kitchen",
                        'channel': 'phone'}, **values)])
        return ticket


class ServiceTestCase(TicketMixin, DBTestCase):
    "The service centre of crm_service"
    module = 'crm_service'

    @with_transaction()
    def test_routing_prefers_load_then_skill_then_idle(self):
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            busy = create_agent(centre, skill, "Busy", level=5)
            expert = create_agent(centre, skill, "Expert", level=5,
                idle_since=dt.datetime(2026, 1, 1, 12))
            novice = create_agent(centre, skill, "Novice", level=2,
                idle_since=dt.datetime(2026, 1, 1, 8))
            veteran = create_agent(centre, skill, "Veteran", level=5,
                idle_since=dt.datetime(2026, 1, 1, 9))
            customer = create_customer('A')
            # Busy already holds a ticket: it loses on load.
            Ticket = Pool().get('crm.ticket')
            Ticket.write([self.ticket(queue, customer)], {
                    'agent': busy.id, 'state': 'assigned'})
            first = self.ticket(queue, customer)
            # Expert and Veteran tie on load and skill: the longest idle.
            self.assertEqual(first.agent, veteran)
            self.assertEqual(first.state, 'assigned')
            second = self.ticket(queue, customer)
            self.assertEqual(second.agent, expert)
            # Busy, Expert and Veteran hold one ticket each now: Novice,
            # with none, wins on load although less skilled.
            third = self.ticket(queue, customer)
            self.assertEqual(third.agent, novice)
            # All on 1 of 3: the most skilled, longest idle among them.
            fourth = self.ticket(queue, customer)
            self.assertEqual(fourth.agent, busy)

    @with_transaction()
    def test_ineligible_agents_and_waiting(self):
        "No eligible agent: the ticket waits until one becomes available"
        pool = Pool()
        Agent = pool.get('crm.service.agent')
        Ticket = pool.get('crm.ticket')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            create_agent(centre, skill, "Away", presence='away')
            create_agent(centre, skill, "Junior", level=1)
            create_agent(centre, skill, "No chat", channels=('phone',))
            later = create_agent(centre, skill, "Later", presence='offline',
                channels=('phone', 'chat'))
            customer = create_customer('A')
            chat = self.ticket(queue, customer, channel='chat')
            self.assertEqual((chat.state, chat.agent), ('new', None))
            complaint = self.ticket(queue, customer, channel='phone',
                type='complaint')
            self.assertEqual(complaint.agent.employee.party.name, "No chat")
            Agent.available([later])
            self.assertEqual(Ticket(chat.id).agent, later)

    @with_transaction()
    def test_complaints_and_key_customers_jump_ahead(self):
        pool = Pool()
        Agent = pool.get('crm.service.agent')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            agent = create_agent(centre, skill, "Solo", capacity=1,
                presence='offline')
            plain = create_customer('Plain')
            key = create_customer('Key')
            Party.write([key], {'value_tier': 'a'})
            first = self.ticket(queue, plain)
            vip = self.ticket(queue, key)
            complaint = self.ticket(queue, plain, type='complaint')
            Agent.available([agent])
            self.assertEqual(complaint.agent, agent)
            self.assertEqual((first.agent, vip.agent), (None, None))

    @with_transaction()
    def test_customer_found_by_contact_or_created(self):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            known = create_customer('Known')
            Party.write([known], {'contact_mechanisms': [('create', [
                                {'type': 'mobile', 'value': '13800138000'},
                                {'type': 'email', 'value': 'li@example.com'},
                                ])]})
            values = {'centre': queue.centre.id, 'queue': queue.id,
                'subject': "Question", 'channel': 'phone'}
            by_phone, by_email, new = Ticket.create([
                    dict(values, contact='+86 138-0013-8000'),
                    dict(values, contact='LI@Example.com', channel='email'),
                    dict(values, contact='139 1111 2222'),
                    ])
            self.assertEqual(by_phone.party, known)
            self.assertEqual(by_email.party, known)
            self.assertNotEqual(new.party, known)
            self.assertEqual(new.party.lifecycle_stage, 'prospect')
            self.assertEqual(
                [m.value for m in new.party.contact_mechanisms],
                ['139 1111 2222'])
            # the form proposes the customer without creating one
            draft = Ticket(contact='13800138000')
            draft.on_change_contact()
            self.assertEqual(draft.party, known)
            count = Party.search_count([])
            draft = Ticket(contact='13700000000')
            draft.on_change_contact()
            self.assertIsNone(draft.party)
            self.assertEqual(Party.search_count([]), count)

    @with_transaction()
    def test_ticket_in_customer_timeline(self):
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            customer = create_customer('A')
            ticket = self.ticket(queue, customer, description="Water")
            interaction, = customer.interactions
            self.assertEqual(interaction.origin, ticket)
            self.assertIn(ticket.number, interaction.subject)
            self.assertEqual(ticket.customer_lifecycle, "Prospect")

    @with_transaction()
    def test_sla_deadlines_skip_weekend_and_holiday(self):
        company = create_company()
        with set_company(company):
            centre, queue, _ = create_centre(company,
                holidays=[(MONDAY, False)])
            ticket = self.ticket(queue, create_customer('A'),
                create_time=FRIDAY)
            # 1 h on Friday 17-18, then Tuesday (Monday is a holiday).
            self.assertEqual(
                ticket.response_deadline, dt.datetime(2026, 11, 24, 10))
            self.assertEqual(
                ticket.resolution_deadline, dt.datetime(2026, 11, 24, 16))

    @with_transaction()
    def test_escalation_by_cron(self):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Centre = pool.get('crm.service.centre')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            supervisor = create_employee(company, "Supervisor")
            Centre.write([centre], {'supervisors': [('add', [supervisor.id])]})
            ticket = self.ticket(queue, create_customer('A'),
                create_time=FRIDAY)
            self.assertEqual(Ticket.escalate(now=FRIDAY), [])
            warning, = Ticket.escalate(now=dt.datetime(2026, 11, 23, 9, 50))
            self.assertEqual(
                (ticket.sla_state, warning.level), ('warning', 'warning'))
            breach, = Ticket.escalate(now=dt.datetime(2026, 11, 25))
            self.assertEqual(ticket.sla_state, 'breached')
            self.assertEqual(ticket.priority, 'high')
            self.assertEqual(
                (breach.from_priority, breach.to_priority),
                ('normal', 'high'))
            # Nothing more once breached.
            self.assertEqual(Ticket.escalate(now=dt.datetime(2026, 12, 1)), [])
            todo = [i for i in ticket.party.interactions
                if i.employee == supervisor]
            self.assertEqual(len(todo), 2)
            self.assertTrue(all(i.follow_up_date for i in todo))

    @with_transaction()
    def test_auto_reply(self):
        "Web and e-mail tickets matching a standard question are answered"
        pool = Pool()
        Article = pool.get('crm.kb.article')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            Article.create([
                    {'question': "如何申请退租？", 'keywords': "退租 解约 退房",
                        'answer': "请在服务中心提交退租申请表。"},
                    {'question': "How do I pay the rent online?",
                        'keywords': "rent payment online pay",
                        'answer': "Use the tenant portal.",
                        'language': 'en'},
                    {'question': "物业费怎么缴纳？", 'keywords': "物业费 缴费",
                        'answer': "可在前台或线上缴纳。"},
                    ])
            customer = create_customer('A')
            hit = self.ticket(queue, customer, channel='web',
                subject="我想退租，怎么申请？")
            self.assertTrue(hit.auto_answered)
            self.assertEqual(hit.state, 'resolved')
            self.assertEqual(hit.resolution, "请在服务中心提交退租申请表。")
            english = self.ticket(queue, customer, channel='email',
                subject="How can I pay my rent online")
            self.assertEqual(english.answer_article.language, 'en')
            miss = self.ticket(queue, customer, channel='web',
                subject="卫生间漏水，需要维修")
            self.assertFalse(miss.auto_answered)
            self.assertEqual(miss.state, 'new')
            phone = self.ticket(queue, customer, channel='phone',
                subject="我想退租，怎么申请？")
            self.assertFalse(phone.auto_answered)
            # The customer may still reopen an auto-answered ticket.
            pool.get('crm.ticket').reopen([hit])
            self.assertEqual(hit.state, 'in_progress')

    @with_transaction()
    def test_close_needs_resolution(self):
        Ticket = Pool().get('crm.ticket')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            create_agent(centre, skill, "Agent")
            ticket = self.ticket(queue, create_customer('A'))
            with self.assertRaises(TicketCloseError):
                Ticket.resolve([ticket])
            self.assertEqual(ticket.state, 'assigned')

    @with_transaction()
    def test_survey_and_low_score_follow_up(self):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Survey = pool.get('crm.ticket.survey')
        Centre = pool.get('crm.service.centre')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            supervisor = create_employee(company, "Supervisor")
            Centre.write([centre], {'supervisors': [('add', [supervisor.id])]})
            agent = create_agent(centre, skill, "Agent")
            ticket = self.ticket(queue, create_customer('A'))
            ticket.resolution = "Fixed"
            ticket.save()
            Ticket.resolve([ticket])
            good, bad = Survey.create([
                    {'ticket': ticket.id, 'score': 5},
                    {'ticket': ticket.id, 'score': 1, 'comment': "Slow"}])
            self.assertEqual(bad.agent, agent)
            follow_ups = [i for i in ticket.party.interactions
                if i.employee == supervisor]
            self.assertEqual(len(follow_ups), 1)
            self.assertEqual(follow_ups[0].notes, "Slow")
            with self.assertRaises(SurveyError):
                Survey.create([{'ticket': ticket.id, 'score': 6}])

    @with_transaction()
    def test_sla_policy_refuses_negative_targets(self):
        Policy = Pool().get('crm.service.sla.policy')
        with self.assertRaises(SLAPolicyError):
            Policy.create([{'name': "Bad", 'lines': [('create', [{
                                'priority': 'low', 'response_hours': -1,
                                'resolution_hours': 4}])]}])

    @with_transaction()
    def test_technician_cannot_be_double_booked(self):
        Visit = Pool().get('crm.field.visit')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            technician = create_employee(company, "Tech")
            ticket = self.ticket(queue, create_customer('A'), type='repair')
            base = {'ticket': ticket.id, 'technician': technician.id}
            Visit.create([dict(base, start=dt.datetime(2026, 12, 1, 9),
                        end=dt.datetime(2026, 12, 1, 11))])
            Visit.create([dict(base, start=dt.datetime(2026, 12, 1, 11),
                        end=dt.datetime(2026, 12, 1, 12))])
            with self.assertRaises(VisitOverlapError):
                Visit.create([dict(base, start=dt.datetime(2026, 12, 1, 10),
                            end=dt.datetime(2026, 12, 1, 13))])

    @with_transaction()
    def test_take_refused_when_someone_has_it(self):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            first = create_agent(centre, skill, "First", presence='away')
            second = create_agent(centre, skill, "Second", presence='away')
            ticket = self.ticket(queue, create_customer('A'))
            self.assertEqual(ticket.state, 'new')
            with Transaction().set_context(employee=first.employee.id):
                Ticket.take([ticket])
            with Transaction().set_context(employee=second.employee.id):
                with self.assertRaises(TicketTakenError) as cm:
                    Ticket.take([ticket])
            self.assertIn("First", cm.exception.message)
            self.assertEqual(Ticket(ticket.id).agent, first)

    @with_transaction()
    def test_metrics_per_agent(self):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Employee = pool.get('company.employee')
        Survey = pool.get('crm.ticket.survey')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            agent = create_agent(centre, skill, "Agent")
            customer = create_customer('A')
            tickets = [self.ticket(queue, customer) for _ in range(2)]
            Ticket.write(tickets, {'resolution': "Done"})
            Ticket.resolve(tickets)
            Survey.create([{'ticket': tickets[0].id, 'score': 4},
                    {'ticket': tickets[1].id, 'score': 2}])
            Ticket.reopen([tickets[1]])
            Ticket.resolve([tickets[1]])
            today = dt.date.today()
            period = (today, today + dt.timedelta(days=1))
            employee = agent.employee
            values = {code: Employee.compute_crm_metric(
                    code, [employee], *period)[employee.id]
                for code, _ in Employee.crm_metrics()
                if code.startswith('service_')}
            self.assertEqual(values['service_tickets_handled'], 2)
            self.assertEqual(values['service_csat'], 3.0)
            self.assertEqual(values['service_reopen_rate'], 50.0)
            self.assertEqual(values['service_sla_compliance'], 100.0)
            self.assertIsNotNone(values['service_handling_time'])
            model, domain = Employee.drill_down_crm_metric(
                'service_tickets_handled', employee, *period)
            self.assertEqual(
                set(pool.get(model).search(domain)), set(tickets))

    @with_transaction()
    def test_metrics_report_per_agent_and_queue(self):
        "The period reports agree with the KPI figures and obey the period"
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Queue = pool.get('crm.service.queue')
        Survey = pool.get('crm.ticket.survey')
        AgentMetrics = pool.get('crm.service.metrics.agent')
        QueueMetrics = pool.get('crm.service.metrics.queue')
        company = create_company()
        with set_company(company):
            centre, rental, skill = create_centre(company)
            repair, = Queue.copy([rental], {'name': "Repair"})
            first = create_agent(centre, skill, "First", capacity=5)
            second = create_agent(centre, skill, "Second", capacity=5,
                presence='away')
            customer = create_customer('A')
            on_time = [self.ticket(rental, customer) for _ in range(2)]
            late = self.ticket(repair, customer)
            self.assertEqual({t.agent for t in on_time + [late]}, {first})
            Ticket.write([late], {'resolution_deadline':
                    dt.datetime.now() - dt.timedelta(hours=1)})
            Ticket.write(on_time + [late], {'resolution': "Done"})
            Ticket.resolve(on_time + [late])
            Survey.create([{'ticket': on_time[0].id, 'score': 5},
                    {'ticket': late.id, 'score': 2}])

            today = dt.date.today()
            with Transaction().set_context(
                    from_date=today, to_date=today):
                agents = {m.agent: m for m in AgentMetrics.search([])}
                queues = {m.queue: m for m in QueueMetrics.search([])}
            self.assertEqual(set(agents), {first, second})
            self.assertEqual(agents[first].employee, first.employee)
            self.assertEqual(agents[first].handled, 3)
            self.assertAlmostEqual(
                agents[first].sla_compliance, 200 / 3, places=3)
            self.assertEqual(agents[first].surveys, 2)
            self.assertEqual(agents[first].csat, 3.5)
            self.assertEqual(agents[first].reopen_rate, 0)
            self.assertEqual(
                (agents[second].handled, agents[second].surveys), (0, 0))
            self.assertIsNone(agents[second].csat)
            self.assertEqual(
                (queues[rental].handled, queues[rental].sla_compliance,
                    queues[rental].csat), (2, 100, 5))
            self.assertEqual(
                (queues[repair].handled, queues[repair].sla_compliance,
                    queues[repair].csat), (1, 0, 2))

            # the same figures as the KPI extension point
            Employee = pool.get('company.employee')
            period = (today, today + dt.timedelta(days=1))
            self.assertEqual(Employee.compute_crm_metric(
                    'service_sla_compliance', [first.employee], *period),
                {first.employee.id: round(200 / 3, 2)})

            # a period without work, and another centre
            yesterday = today - dt.timedelta(days=1)
            with Transaction().set_context(
                    from_date=yesterday, to_date=yesterday):
                self.assertEqual(
                    {m.handled for m in AgentMetrics.search([])}, {0})
            other, other_queue, _ = create_centre(company)
            with Transaction().set_context(centre=other.id):
                self.assertEqual(
                    [m.queue for m in QueueMetrics.search([])],
                    [other_queue])

    @with_transaction()
    def test_callback_campaign(self):
        pool = Pool()
        Campaign = pool.get('crm.callback.campaign')
        Call = pool.get('crm.callback.call')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            a1 = create_agent(centre, skill, "A1")
            a2 = create_agent(centre, skill, "A2")
            at_risk = [create_customer(f'R{i}') for i in range(5)]
            create_customer('Fine')
            Party.write(at_risk, {'lifecycle_stage': 'new'})
            Party.write(at_risk, {'lifecycle_stage': 'at_risk'})
            campaign, = Campaign.create([{
                        'name': "Win back", 'centre': centre.id,
                        'customer_domain':
                        "[[\"lifecycle_stage\", \"=\", \"at_risk\"]]",
                        'agents': [('add', [a1.id, a2.id])],
                        'calls_per_day': 1,
                        'start_date': dt.date(2026, 12, 1)}])
            Campaign.launch([campaign])
            calls = campaign.calls
            self.assertEqual({c.party for c in calls}, set(at_risk))
            self.assertEqual(
                sorted(c.due_date.day for c in calls), [1, 1, 2, 2, 3])
            self.assertEqual(
                {a: sum(c.agent == a for c in calls) for a in [a1, a2]},
                {a1: 3, a2: 2})
            Call.write([calls[0]], {'outcome': 'interested'})
            interaction = calls[0].interaction
            self.assertEqual(interaction.party, calls[0].party)
            self.assertTrue(interaction.follow_up_date)

    @with_transaction()
    def test_monitor(self):
        pool = Pool()
        QueueMonitor = pool.get('crm.service.queue.monitor')
        AgentMonitor = pool.get('crm.service.agent.monitor')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            agent = create_agent(centre, skill, "Agent", capacity=1)
            customer = create_customer('A')
            self.ticket(queue, customer)
            self.ticket(queue, customer)
            row, = QueueMonitor.search([('queue', '=', queue.id)])
            self.assertEqual((row.waiting, row.open), (1, 2))
            self.assertIsNotNone(row.oldest_wait)
            row, = AgentMonitor.search([('agent', '=', agent.id)])
            self.assertEqual((row.open, row.presence), (1, 'available'))


class ServiceAccessTestCase(TicketMixin, DBTestCase):
    "What agents and supervisors see"
    module = 'crm_service'

    @with_transaction()
    def test_agents_see_their_queues_and_tickets(self):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Queue = pool.get('crm.service.queue')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            other_queue, = Queue.create([{
                        'name': "Complaints", 'centre': centre.id}])
            mine = create_agent(centre, skill, "Mine", presence='away')
            Pool().get('crm.service.agent').write([mine], {
                    'queues': [('add', [queue.id])]})
            customer = create_customer('A')
            visible = self.ticket(queue, customer)
            hidden = self.ticket(other_queue, customer)
            Ticket.write([hidden], {'agent': create_agent(
                        centre, skill, "Other", presence='away').id})
            user = create_user('agent', ['crm_service.group_service_agent'],
                company=company, employee=mine.employee)
        with Transaction().set_user(user.id), Transaction().set_context(
                _check_access=True, company=company.id,
                employee=mine.employee.id):
            self.assertEqual(Ticket.search([]), [visible])
            Pool().get('crm.service.agent').busy([mine])
            self.assertEqual(mine.presence, 'busy')


class ServiceOpportunityTestCase(TicketMixin, DBTestCase):
    "crm_service with sale_opportunity"
    module = 'crm_service'
    extras = ['sale_opportunity']

    @with_transaction()
    def test_interested_call_opens_opportunity(self):
        pool = Pool()
        Campaign = pool.get('crm.callback.campaign')
        Call = pool.get('crm.callback.call')
        company = create_company()
        with set_company(company):
            centre, queue, skill = create_centre(company)
            agent = create_agent(centre, skill, "A1")
            customers = [create_customer(f'C{i}') for i in range(2)]
            campaign, = Campaign.create([{
                        'name': "New towers", 'centre': centre.id,
                        'customer_domain': '[["id", "in", %s]]' % [
                            c.id for c in customers],
                        'agents': [('add', [agent.id])],
                        'start_date': dt.date(2026, 12, 1)}])
            Campaign.launch([campaign])
            interested, refused = campaign.calls
            Call.write([interested], {
                    'outcome': 'interested', 'notes': "Wants a visit"})
            Call.write([refused], {'outcome': 'not_interested'})
            opportunity = interested.opportunity
            self.assertEqual(opportunity.party, interested.party)
            self.assertEqual(opportunity.employee, agent.employee)
            self.assertEqual(opportunity.description, "New towers")
            self.assertEqual(opportunity.state, 'lead')
            self.assertIsNone(refused.opportunity)
