# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"crm_analytics with sale_opportunity: funnel, win rates and forecast."
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_core.tests.tools import DBTestCase, create_customer
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

D = dt.date


class AnalyticsOpportunityTestCase(DBTestCase):
    "Sales funnel, win rates and pipeline forecast"
    module = 'crm_analytics'
    extras = ['sale_opportunity']

    @with_transaction()
    def test_funnel_win_rates_forecast(self):
        "Stages reached, conversions, days in stage, win rates, forecast"
        pool = Pool()
        Opportunity = pool.get('sale.opportunity')
        Funnel = pool.get('crm.analytics.funnel')
        WinRate = pool.get('crm.analytics.win_rate.employee')
        Forecast = pool.get('crm.analytics.forecast')
        company = create_company()
        with set_company(company):
            first = create_employee(company, "First")
            second = create_employee(company, "Second")
            customer = create_customer("Customer")
            o1, o2, o3, o4, o5 = Opportunity.create([{
                        'party': customer.id, 'employee': e.id,
                        'start_date': start, 'end_date': end,
                        'amount': Decimal(amount),
                        'conversion_probability': probability,
                        'description': name,
                        } for name, e, start, end, amount, probability in [
                        ('o1', first, D(2025, 1, 10), None, 0, 0),
                        ('o2', first, D(2025, 1, 10), None, 0, 0),
                        ('o3', second, D(2025, 1, 10), None, 0, 0),
                        ('o4', second, D(2025, 1, 10), D(2025, 3, 15),
                            1000, 0.5),
                        ('o5', second, D(2024, 6, 1), D(2025, 3, 20),
                            200, 0.25)]])
            for records, state in [
                    ([o1, o2, o4], 'opportunity'), ([o1], 'converted'),
                    ([o1], 'won'), ([o2, o3], 'lost')]:
                Opportunity.write(records, {'state': state})
            # o3 was a lead for 10 days
            history = Opportunity.__table_history__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*history.update(
                    [history.create_date, history.write_date],
                    [dt.datetime(2025, 1, 10, 9), None],
                    where=(history.id == o3.id)
                    & (history.state == 'lead')))
            cursor.execute(*history.update(
                    [history.write_date], [dt.datetime(2025, 1, 20, 9)],
                    where=(history.id == o3.id)
                    & (history.state == 'lost')))

            context = {'company': company.id, 'from_date': D(2025, 1, 1),
                'to_date': D(2025, 12, 31)}
            with Transaction().set_context(context):
                funnel = {r.stage: r for r in Funnel.search([])}
                rates = {r.employee: r for r in WinRate.search([])}
                forecast = Forecast.search([])
            self.assertEqual(
                [(s, funnel[s].reached) for s in
                    ['lead', 'opportunity', 'converted', 'won']],
                [('lead', 4), ('opportunity', 3), ('converted', 1),
                    ('won', 1)])
            self.assertAlmostEqual(funnel['lead'].conversion, 75.0)
            self.assertAlmostEqual(
                funnel['opportunity'].conversion, 100 / 3)
            self.assertAlmostEqual(funnel['converted'].conversion, 100.0)
            self.assertIsNone(funnel['won'].conversion)
            self.assertAlmostEqual(funnel['lead'].average_days, 2.5)

            self.assertEqual(
                {e: (r.won, r.lost, r.win_rate) for e, r in rates.items()},
                {first: (1, 1, 50.0), second: (0, 1, 0.0)})
            march, = forecast
            self.assertEqual(
                (march.month, march.opportunities, march.amount,
                    march.weighted_amount),
                (D(2025, 3, 1), 2, 1200, 550))
