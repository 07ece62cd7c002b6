# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"KPI assessments fed by the service centre and by sales opportunities."
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import (
    DBTestCase, create_campaign, create_department, create_position,
    create_template, hire)

TODAY = dt.date.today()


class HrServiceTestCase(DBTestCase):
    "crm_hr with crm_service and sale_opportunity active"
    extras = ['crm_service', 'sale_opportunity']

    def resolved_tickets(self, employee, count):
        "count tickets of a queue resolved today by employee's agent"
        from trytond.modules.crm_service.tests.tools import create_centre
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Party = pool.get('party.party')
        centre, queue, skill = create_centre(employee.company)
        Agent = pool.get('crm.service.agent')
        agent, = Agent.create([{
                    'employee': employee.id, 'centre': centre.id,
                    'capacity': 10, 'presence': 'available',
                    'channels': ['phone'],
                    'skills': [('create', [
                                {'skill': skill.id, 'level': 3}])]}])
        customer, = Party.create([{'name': "Customer"}])
        tickets = Ticket.create([{
                    'centre': centre.id, 'queue': queue.id,
                    'party': customer.id, 'subject': "Leak",
                    'channel': 'phone'} for _ in range(count)])
        self.assertEqual({t.agent for t in tickets}, {agent})
        Ticket.write(tickets, {'resolution': "Fixed"})
        Ticket.resolve(tickets)
        return tickets

    @with_transaction()
    def test_automatic_indicators_from_live_data(self):
        pool = Pool()
        Indicator = pool.get('crm.hr.kpi.indicator')
        Campaign = pool.get('crm.hr.campaign')
        Assessment = pool.get('crm.hr.assessment')
        DrillDown = pool.get('crm.hr.assessment.drill_down', type='wizard')
        company = create_company()
        with set_company(company):
            sources = {c for c, _ in Indicator.get_sources()}
            self.assertGreaterEqual(sources, {
                    'manual', 'service_tickets_handled', 'service_csat',
                    'service_sla_compliance', 'crm_interactions_logged',
                    'opportunity_won', 'opportunity_conversion'})
            service = create_department(company, "Service")
            template = create_template(company, "Agent", [
                    ("Tickets", 50, 4, 'higher', 'service_tickets_handled'),
                    ("Won", 20, 1, 'higher', 'opportunity_won'),
                    ("Attitude", 30, 100, 'higher', 'manual')])
            agent = create_position(company, "Agent", template, service)
            wang = hire(company, "Wang", service, agent)
            li = hire(company, "Li", service, agent)
            tickets = self.resolved_tickets(wang, 3)
            start = TODAY.replace(day=1)
            campaign = create_campaign(
                company, [service], start=start, period='month')
            Campaign.generate([campaign])
            lines = {(a.employee, l.name): l
                for a in campaign.assessments for l in a.lines}
            self.assertEqual(lines[wang, "Tickets"].actual, 3)
            self.assertEqual(lines[wang, "Tickets"].score, Decimal(75))
            self.assertEqual(lines[li, "Tickets"].actual, 0)
            self.assertEqual(lines[wang, "Won"].actual, 0)
            self.assertIsNone(lines[wang, "Attitude"].actual)

            line = lines[wang, "Tickets"]
            session_id, _, _ = DrillDown.create()
            with Transaction().set_context(
                    active_model=line.__name__, active_id=line.id,
                    active_ids=[line.id]):
                result = DrillDown.execute(session_id, {}, 'open_')
            action, _ = result['actions'][0]
            self.assertEqual(action['res_model'], 'crm.ticket')
            domain = PYSONDecoder().decode(action['pyson_domain'])
            self.assertEqual(
                set(pool.get('crm.ticket').search(domain)), set(tickets))

            # approved figures stay when live data changes
            wang_assessment, = [
                a for a in campaign.assessments if a.employee == wang]
            Assessment.review([wang_assessment])
            pool.get('crm.hr.assessment.line').write(
                [lines[wang, "Attitude"]], {'actual': Decimal(80)})
            wang_assessment = Assessment(wang_assessment.id)
            # 75 * .5 + 0 * .2 + 80 * .3
            self.assertEqual(wang_assessment.total, Decimal('61.50'))
            Assessment.approve([wang_assessment])
            self.resolved_tickets(wang, 2)
            Campaign.compute([campaign])
            lines = {(a.employee, l.name): l
                for a in Campaign(campaign.id).assessments for l in a.lines}
            self.assertEqual(lines[wang, "Tickets"].actual, 3)
            self.assertEqual(lines[li, "Tickets"].actual, 0)
            self.assertEqual(
                Assessment(wang_assessment.id).total, Decimal('61.50'))

    @with_transaction()
    def test_average_indicator_digits(self):
        "averages are stored with the line's digits; compute follows data"
        pool = Pool()
        Campaign = pool.get('crm.hr.campaign')
        Ticket = pool.get('crm.ticket')
        company = create_company()
        with set_company(company):
            service = create_department(company, "Service")
            template = create_template(company, "Agent", [
                    ("Response", 60, 1, 'lower', 'service_first_response'),
                    ("Attitude", 40, 100, 'higher', 'manual')])
            agent = create_position(company, "Agent", template, service)
            wang = hire(company, "Wang", service, agent)
            tickets = self.resolved_tickets(wang, 3)
            ticket = Ticket.__table__()
            cursor = Transaction().connection.cursor()

            def response(seconds):
                cursor.execute(*ticket.update(
                        [ticket.response_seconds], [seconds],
                        where=ticket.id.in_([t.id for t in tickets])))
            # 8 seconds: 0.1333... minutes
            response(8)
            campaign = create_campaign(
                company, [service], start=TODAY.replace(day=1),
                period='month')
            Campaign.generate([campaign])

            def line():
                return Campaign(campaign.id).assessments[0].lines[0]
            self.assertEqual(line().actual, Decimal('0.13'))
            self.assertEqual(line().score, Decimal(150))
            self.assertIsNotNone(campaign.assessments[0].computed)
            Campaign.compute([campaign])
            self.assertEqual(line().actual, Decimal('0.13'))
            response(600)
            Campaign.compute([campaign])
            self.assertEqual(line().actual, Decimal(10))
            self.assertEqual(line().score, Decimal(10))

    @with_transaction()
    def test_opportunity_metrics(self):
        pool = Pool()
        Employee = pool.get('company.employee')
        Opportunity = pool.get('sale.opportunity')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            service = create_department(company, "Sales")
            wang = hire(company, "Wang", service, None)
            party, = Party.create([{'name': "Buyer"}])
            opportunities = Opportunity.create([{
                        'party': party.id, 'employee': wang.id,
                        'company': company.id, 'start_date': TODAY,
                        'amount': Decimal(amount)}
                    for amount in [100, 250, 40]])
            Opportunity.opportunity(opportunities)
            # won needs the sales of a conversion: state written directly
            Opportunity.write(opportunities[:2], {
                    'state': 'won', 'end_date': TODAY})
            Opportunity.lost(opportunities[2:])
            self.assertEqual(opportunities[2].end_date, TODAY)
            bounds = TODAY, TODAY + dt.timedelta(days=1)
            values = {code: Employee.crm_metric_values(
                    code, [wang], *bounds)[wang.id]
                for code in ['opportunity_won', 'opportunity_won_amount',
                    'opportunity_conversion']}
            self.assertEqual(values, {
                    'opportunity_won': 2, 'opportunity_won_amount': 350.0,
                    'opportunity_conversion': 66.67})
            model, domain = Employee.crm_metric_records(
                'opportunity_won', wang, *bounds)
            self.assertEqual(
                set(pool.get(model).search(domain)),
                set(opportunities[:2]))
