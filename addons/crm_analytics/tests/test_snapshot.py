# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"CRM effect snapshots and their comparison, worked by hand."
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase, create_customer
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

D = dt.date


class SnapshotTestCase(DBTestCase):
    "CRM effect evaluation"
    module = 'crm_analytics'

    @with_transaction()
    def test_before_and_after(self):
        "Indicators of two dates and the change between them"
        pool = Pool()
        Purchase = pool.get('crm.purchase')
        Snapshot = pool.get('crm.analytics.snapshot')
        Comparison = pool.get('crm.analytics.snapshot.comparison')
        company = create_company()
        with set_company(company):
            a, b, c, d = [create_customer(n) for n in 'ABCD']
            Purchase.create([{
                        'company': company.id, 'party': p.id, 'date': day,
                        'quantity': 1, 'amount': Decimal(amount),
                        'currency': company.currency.id,
                        } for p, day, amount in [
                        (a, D(2024, 12, 10), 100), (a, D(2025, 1, 5), 200),
                        (a, D(2025, 1, 20), 300), (b, D(2024, 12, 15), 50),
                        (c, D(2025, 1, 10), 400), (c, D(2025, 1, 10), 100),
                        (d, D(2025, 2, 10), 600), (d, D(2025, 2, 11), 400),
                        (a, D(2025, 2, 20), 500)]])
            before, after = Snapshot.create([
                    {'name': "Before CRM", 'date': D(2025, 1, 31),
                        'window_days': 30},
                    {'name': "After CRM", 'date': D(2025, 3, 1),
                        'window_days': 30}])
            Snapshot.measure([before, after])
            indicators = ['customers', 'active_customers', 'retention_rate',
                'repeat_rate', 'revenue', 'average_order_value', 'csat']
            self.assertEqual(
                [getattr(before, n) for n in indicators],
                [3, 2, 50.0, 50.0, 1000, Decimal('333.33'), None])
            self.assertEqual(
                [getattr(after, n) for n in indicators],
                [4, 2, 50.0, 50.0, 1500, Decimal('500.00'), None])

            with Transaction().set_context(
                    before=before.id, after=after.id):
                rows = {r.indicator: r for r in Comparison.search([])}
            self.assertEqual(
                (rows['customers'].before, rows['customers'].after,
                    rows['customers'].change), (3, 4, 1))
            self.assertAlmostEqual(
                rows['customers'].change_percent, 100 / 3, places=6)
            self.assertAlmostEqual(rows['revenue'].change_percent, 50.0)
            self.assertAlmostEqual(
                rows['average_order_value'].change_percent,
                100 * (500 - 333.33) / 333.33, places=6)
            self.assertIsNone(rows['csat'].change_percent)
            self.assertEqual(len(rows), 9)
