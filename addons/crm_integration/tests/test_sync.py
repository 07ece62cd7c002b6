# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Sync jobs against stand-in sales and property systems over real HTTP
on 127.0.0.1: idempotency, dedup, refused rows, transport faults and
resume, export with change tracking."""
import json
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase, create_customer
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from . import standin
from .tools import create_system, resume, sync


def purchase_lines(data):
    return sum(len(o['lines']) for o in data['orders'])


class SyncTestCase(DBTestCase):
    "Connectors of crm_integration against stand-in systems"
    module = 'crm_integration'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = standin.generate(
            customers=25, orders_per_customer=2, lines_per_order=2,
            products=8, seed=3)
        cls.server = standin.StandIn(cls.data).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.server.faults.clear() if hasattr(
            self.server, 'faults') else None

    def linked_parties(self, system):
        Link = Pool().get('crm.integration.link')
        return Link.search([('system', '=', system.id),
                ('record_type', '=', 'customer')])

    @with_transaction()
    def test_sales_sync_twice_changes_nothing(self):
        "Customers and orders imported; the second sync creates nothing"
        pool = Pool()
        Party = pool.get('party.party')
        Purchase = pool.get('crm.purchase')
        company = create_company()
        with set_company(company):
            system = create_system(self.server.url)
            customers, products, orders = sync(system)
            self.assertEqual(
                [customers.state, products.state, orders.state],
                ['done'] * 3)
            self.assertEqual(customers.rows_read, 25)
            self.assertEqual(products.created, 8)
            self.assertEqual(customers.failed, 0)
            self.assertEqual(customers.created + customers.merged, 25)
            self.assertEqual(orders.failed, 0)
            self.assertEqual(
                Purchase.search_count([]), purchase_lines(self.data))
            parties = Party.search_count([])
            amounts = sorted(p.amount for p in Purchase.search([]))
            expected = sorted(Decimal(l['amount']).quantize(Decimal('0.01'))
                for o in self.data['orders'] for l in o['lines'])
            self.assertEqual(amounts, expected)

            again = sync(system)
            self.assertEqual([j.state for j in again], ['done'] * 3)
            self.assertEqual(
                [(j.created, j.merged, j.updated) for j in again],
                [(0, 0, 0)] * 3)
            self.assertEqual(again[0].skipped, 25)
            self.assertEqual(again[1].skipped, 8)
            self.assertEqual(again[2].skipped, len(self.data['orders']))
            self.assertEqual(Party.search_count([]), parties)
            self.assertEqual(
                Purchase.search_count([]), purchase_lines(self.data))
            self.assertTrue(system.last_sync)

    @with_transaction()
    def test_customer_with_known_mobile_is_merged(self):
        "A new external customer whose mobile the CRM knows is merged"
        pool = Pool()
        Party = pool.get('party.party')
        Link = pool.get('crm.integration.link')
        company = create_company()
        row = self.data['customers'][0]
        with set_company(company):
            existing = create_customer(
                'Existing', ('mobile', row['mobile']))
            system = create_system(self.server.url)
            customers, _, _ = sync(system)
            link, = Link.search([('external_id', '=', row['id'])])
            self.assertEqual(link.record_id, existing.id)
            self.assertGreaterEqual(customers.merged, 1)
            # the CRM's name is kept, what it lacked is filled
            self.assertEqual(Party(existing.id).name, 'Existing')

    @with_transaction()
    def test_changed_customer_is_updated(self):
        pool = Pool()
        Party = pool.get('party.party')
        Link = pool.get('crm.integration.link')
        company = create_company()
        with set_company(company):
            system = create_system(self.server.url)
            sync(system)
            record = self.server.data['customers'][3]
            old_name = record['name']
            record['name'] = '新名字'
            try:
                customers, _, _ = sync(system)
            finally:
                record['name'] = old_name
            self.assertEqual(customers.updated, 1)
            self.assertEqual(customers.skipped, 24)
            link, = Link.search([('external_id', '=', record['id'])])
            self.assertEqual(Party(link.record_id).name, '新名字')

    @with_transaction()
    def test_transient_faults_are_retried(self):
        "A 500, a malformed page and a dropped connection are retried"
        company = create_company()
        with set_company(company):
            system = create_system(self.server.url)
            self.server.inject('/api/customers', '500', times=1, page=2)
            self.server.inject('/api/customers', 'malformed', times=1,
                page=3)
            self.server.inject('/api/orders', 'drop', times=1, page=1)
            customers, _, orders = sync(system)
            self.assertEqual(customers.state, 'done')
            self.assertEqual(orders.state, 'done')
            self.assertEqual(customers.retries, 2)
            self.assertEqual(orders.retries, 1)
            self.assertEqual(customers.rows_read, 25)

    @with_transaction()
    def test_outage_stops_job_and_resume_completes(self):
        """Retries exhausted: the job stops after the committed batches,
        the later job waits; resume finishes with no duplicates"""
        pool = Pool()
        Party = pool.get('party.party')
        Purchase = pool.get('crm.purchase')
        company = create_company()
        with set_company(company):
            system = create_system(self.server.url)
            self.server.inject('/api/customers', '500', times=3, page=2)
            customers, products, orders = sync(system)
            self.assertEqual(customers.state, 'failed')
            self.assertEqual(customers.cursor, 1)
            self.assertEqual(customers.rows_read, 10)
            self.assertIn('2', customers.message)
            self.assertNotIn('s3cret', customers.message)
            self.assertEqual([products.state, orders.state], ['failed'] * 2)
            self.assertEqual(Purchase.search_count([]), 0)

            customers, products, orders = resume(
                [customers, products, orders])
            self.assertEqual(
                [customers.state, products.state, orders.state],
                ['done'] * 3)
            self.assertEqual(customers.rows_read, 25)
            self.assertEqual(len(self.linked_parties(system)), 25)
            self.assertEqual(
                Purchase.search_count([]), purchase_lines(self.data))
            self.assertLessEqual(Party.search_count([]), 25 + 1)

    @with_transaction()
    def test_bad_rows_are_reported_with_raw_row(self):
        "A bad date and a repeated id are refused; the others imported"
        data = standin.generate(customers=12, orders_per_customer=0,
            bad_dates=2, duplicate_ids=1, seed=5)
        company = create_company()
        with standin.StandIn(data).start() as server, set_company(company):
            system = create_system(server.url)
            customers, _, _ = sync(system)
            self.assertEqual(customers.rows_read, len(data['customers']))
            self.assertEqual(customers.failed, 3)
            self.assertEqual(len(customers.errors), 3)
            messages = [e.message for e in customers.errors]
            self.assertEqual(
                sum('birthday' in m for m in messages), 2, messages)
            self.assertEqual(
                sum('appears again' in m for m in messages), 1, messages)
            for error in customers.errors:
                raw = json.loads(error.raw)
                self.assertIn(raw, data['customers'])
            self.assertEqual(
                len(self.linked_parties(system)),
                len({c['id'] for c in data['customers']}) - 2)

    @with_transaction()
    def test_unknown_products(self):
        "Unknown product codes created, reported or kept as description"
        pool = Pool()
        Purchase = pool.get('crm.purchase')
        Product = pool.get('product.product')
        data = standin.generate(customers=5, orders_per_customer=2,
            lines_per_order=2, products=4, unknown_product_share=0.5,
            seed=8)
        unknown = {l['product_code'] for o in data['orders']
            for l in o['lines']} - {p['code'] for p in data['products']}
        self.assertTrue(unknown)
        company = create_company()
        with standin.StandIn(data).start() as server, set_company(company):
            system = create_system(server.url, unknown_product='report')
            self.assertFalse(Product.search([('code', 'in', [
                            p['code'] for p in data['products']])]))
            _, _, orders = sync(system)
            bad = [o for o in data['orders'] if any(
                    l['product_code'] in unknown for l in o['lines'])]
            self.assertEqual(orders.failed, len(bad))
            self.assertEqual(Product.search_count(
                    [('code', 'in', list(unknown))]), 0)
            self.assertEqual(Product.search_count([('code', 'in', [
                                p['code'] for p in data['products']])]),
                len(data['products']))

            system.unknown_product = 'description'
            system.save()
            _, _, orders = sync(system)
            self.assertEqual(orders.failed, 0)
            self.assertEqual(Purchase.search_count(
                    [('product', '=', None)]),
                sum(l['product_code'] in unknown
                    for o in data['orders'] for l in o['lines']))

    @with_transaction()
    def test_export_sends_only_changes(self):
        pool = Pool()
        Party = pool.get('party.party')
        Link = pool.get('crm.integration.link')
        company = create_company()
        with set_company(company):
            system = create_system(self.server.url, export_enabled=True)
            sync(system)
            self.server.received.clear()
            job, = sync(system, 'export')
            self.assertEqual(job.state, 'done')
            sent = self.server.received['customers']
            self.assertEqual(len(sent), 25)
            self.assertEqual(
                {r['id'] for r in sent},
                {c['id'] for c in self.data['customers']})

            job, = sync(system, 'export')
            self.assertEqual((job.updated, job.skipped), (0, 25))
            self.assertEqual(len(self.server.received['customers']), 25)

            link = Link.search([('record_type', '=', 'customer')])[0]
            party = Party(link.record_id)
            party.value_tier = 'a' if party.value_tier != 'a' else 'b'
            party.save()
            job, = sync(system, 'export')
            self.assertEqual(job.updated, 1)
            self.assertEqual(
                self.server.received['customers'][-1]['id'],
                link.external_id)
