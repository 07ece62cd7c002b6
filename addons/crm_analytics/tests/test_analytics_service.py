# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"crm_analytics with crm_service: surveys feed the relationship index."
import datetime as dt

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase
from trytond.modules.crm_service.tests.tools import create_centre
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .test_analytics import execute, new_run
from .tools import create_purchases


def create_tickets(company, kinds):
    "A centre's queue and one phone ticket of each kind, each customer's"
    Ticket = Pool().get('crm.ticket')
    parties, _, _ = create_purchases(company, customers=len(kinds))
    centre, queue, _ = create_centre(company)
    return queue, Ticket.create([{
                'centre': centre.id, 'queue': queue.id, 'party': p.id,
                'channel': 'phone', 'type': kind, 'subject': "Question",
                } for p, kind in zip(parties, kinds)])


class AnalyticsServiceTestCase(DBTestCase):
    "Relationship index with satisfaction surveys of crm_service"
    module = 'crm_analytics'
    extras = ['crm_service']

    @with_transaction()
    def test_satisfaction_in_relationship_index(self):
        "Surveys of the period give the satisfaction points; none is neutral"
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Survey = pool.get('crm.ticket.survey')
        Result = pool.get('crm.analytics.rfm')
        company = create_company()
        with set_company(company):
            parties, _, _ = create_purchases(company, customers=6)
            centre, queue, _ = create_centre(company)
            happy, unhappy, silent = parties[:3]
            tickets = Ticket.create([{
                        'centre': centre.id, 'queue': queue.id,
                        'party': p.id, 'channel': 'phone',
                        'subject': "Question",
                        } for p in [happy, happy, unhappy, silent]])
            in_period = dt.datetime(2025, 6, 1, 10)
            Survey.create([
                    {'ticket': tickets[0].id, 'score': 5,
                        'date': in_period},
                    {'ticket': tickets[1].id, 'score': 4,
                        'date': in_period},
                    {'ticket': tickets[2].id, 'score': 1,
                        'date': in_period},
                    # outside the run's period: not read
                    {'ticket': tickets[3].id, 'score': 1,
                        'date': dt.datetime(2026, 6, 1, 10)},
                    ])
            run = execute(new_run('rfm', loyalty_weight=0,
                    stability_weight=0, value_weight=0))
            self.assertEqual(run.state, 'done', run.message)
            points = {r.party: r.satisfaction_points
                for r in Result.search([('run', '=', run.id)])}
            # weight 1 of 1: CSAT 4.5 -> 87.5, 1 -> 0, no survey -> 50
            self.assertAlmostEqual(points[happy], 87.5)
            self.assertAlmostEqual(points[unhappy], 0)
            self.assertAlmostEqual(points[silent], 50)

    @with_transaction()
    def test_snapshot_service_indicators(self):
        "CSAT, handling time and complaint rate of the window"
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Survey = pool.get('crm.ticket.survey')
        Snapshot = pool.get('crm.analytics.snapshot')
        company = create_company()
        with set_company(company):
            _, tickets = create_tickets(
                company, ['complaint', 'inquiry', 'inquiry'])
            now = dt.datetime.now()
            Ticket.write(tickets[:2], {'resolved_time': now})
            Ticket.write([tickets[0]], {'handling_seconds': 3600})
            Ticket.write([tickets[1]], {'handling_seconds': 7200})
            Survey.create([{'ticket': tickets[0].id, 'score': 5},
                    {'ticket': tickets[1].id, 'score': 3}])
            snapshot, = Snapshot.create([{'name': "Now",
                        'window_days': 30}])
            Snapshot.measure([snapshot])
            self.assertEqual(
                (snapshot.csat, snapshot.handling_hours,
                    snapshot.complaint_rate), (4.0, 1.5, 33.33))

    @with_transaction()
    def test_service_by_month_and_complaints(self):
        "Tickets, complaints, SLA compliance and CSAT of the month"
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Survey = pool.get('crm.ticket.survey')
        Month = pool.get('crm.analytics.service.month')
        Reason = pool.get('crm.analytics.complaint.reason')
        company = create_company()
        with set_company(company):
            queue, tickets = create_tickets(
                company, ['complaint', 'complaint', 'inquiry'])
            now = dt.datetime.now()
            Ticket.write([tickets[0]], {'resolved_time': now,
                    'resolution_deadline': now + dt.timedelta(hours=1)})
            Ticket.write([tickets[1]], {'resolved_time': now,
                    'resolution_deadline': now - dt.timedelta(hours=1)})
            Survey.create([{'ticket': tickets[0].id, 'score': 5},
                    {'ticket': tickets[1].id, 'score': 2},
                    {'ticket': tickets[1].id, 'score': 2}])
            today = dt.date.today()
            with Transaction().set_context(company=company.id,
                    from_date=today, to_date=today):
                row, = Month.search([])
                reason, = Reason.search([])
            self.assertEqual(
                (row.month, row.queue, row.tickets, row.complaints,
                    row.resolved, row.surveys),
                (today.replace(day=1), queue, 3, 2, 2, 3))
            self.assertAlmostEqual(row.sla_compliance, 50.0)
            self.assertAlmostEqual(row.csat, 3.0)
            self.assertEqual((reason.reason, reason.complaints,
                    reason.share), (queue, 2, 100.0))
