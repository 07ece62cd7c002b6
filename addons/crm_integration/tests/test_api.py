# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The integrator API in-process: access, validation that changes
nothing, idempotent upserts and purchases (tests/test_xmlrpc_integration.py
calls the same over real XML-RPC and JSON-RPC)."""
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase, create_user
from trytond.modules.crm_integration.exceptions import ApiError
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import create_system


class ApiTestCase(DBTestCase):
    module = 'crm_integration'

    def integrator(self, company):
        return create_user('integrator', [
                'crm_integration.group_integrator'], company=company)

    @with_transaction()
    def test_upsert_is_idempotent_and_dedups(self):
        pool = Pool()
        Api = pool.get('crm.api')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            create_system('http://127.0.0.1:9', code='WEB')
            user = self.integrator(company)
            customer = {'external_id': 'C1', 'name': '张三',
                'mobile': '138 0013 8000', 'birth_date': '1980-01-02'}
            with Transaction().set_user(user.id):
                first = Api.upsert_customer('WEB', customer)
                second = Api.upsert_customer('WEB', customer)
                third = Api.upsert_customer('WEB', {
                        'external_id': 'C2', 'name': 'Zhang San',
                        'mobile': '+8613800138000'})
            self.assertEqual(first['status'], 'created')
            self.assertEqual(second, dict(first, status='unchanged'))
            self.assertEqual(
                (third['id'], third['status']), (first['id'], 'merged'))
            party = Party(first['id'])
            self.assertEqual(party.name, '张三')
            self.assertEqual(party.birth_date, dt.date(1980, 1, 2))
            self.assertEqual(party.mobile, '13800138000')

    @with_transaction()
    def test_refusals_change_nothing(self):
        pool = Pool()
        Api = pool.get('crm.api')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            create_system('http://127.0.0.1:9', code='WEB')
            user = self.integrator(company)
            clerk = create_user('clerk', ['crm_core.group_crm'],
                company=company)
            before = Party.search_count([])
            with Transaction().set_user(clerk.id), \
                    self.assertRaises(ApiError) as cm:
                Api.upsert_customer('WEB', {'external_id': 'X',
                        'name': 'X'})
            self.assertEqual(cm.exception.code, 4030)
            with Transaction().set_user(user.id):
                for payload, code in [
                        ({'name': 'no id'}, 4001),
                        ({'external_id': 'X', 'name': 'x', 'mobile': '12'},
                            4001),
                        ({'external_id': 'X', 'name': 'x', 'gender': 'x'},
                            4001),
                        ('not a dict', 4001),
                        ]:
                    with self.assertRaises(ApiError) as cm:
                        Api.upsert_customer('WEB', payload)
                    self.assertEqual(cm.exception.code, code, payload)
                with self.assertRaises(ApiError) as cm:
                    Api.upsert_customer('NOPE', {'external_id': 'X',
                            'name': 'x'})
                self.assertEqual(cm.exception.code, 4040)
                with self.assertRaises(ApiError) as cm:
                    Api.open_ticket('WEB', {})
                self.assertEqual(cm.exception.code, 4220)
            self.assertEqual(Party.search_count([]), before)

    @with_transaction()
    def test_purchases_all_or_nothing(self):
        pool = Pool()
        Api = pool.get('crm.api')
        Purchase = pool.get('crm.purchase')
        company = create_company()
        with set_company(company):
            create_system('http://127.0.0.1:9', code='WEB')
            user = self.integrator(company)
            with Transaction().set_user(user.id):
                Api.upsert_customer('WEB', {'external_id': 'C1',
                        'name': 'A'})
                lines = [{'external_id': 'L%d' % i, 'customer': 'C1',
                        'date': '2026-10-01', 'quantity': 2,
                        'amount': '10.5'} for i in range(5)]
                self.assertEqual(Api.record_purchases('WEB', lines),
                    {'created': 5, 'updated': 0, 'unchanged': 0})
                self.assertEqual(Api.record_purchases('WEB', lines),
                    {'created': 0, 'updated': 0, 'unchanged': 5})
                with self.assertRaises(ApiError) as cm:
                    Api.record_purchases('WEB', lines + [{
                                'external_id': 'L9', 'customer': 'C1',
                                'date': '2026-13-01', 'quantity': 1,
                                'amount': '1'}])
                self.assertEqual(cm.exception.code, 4001)
                self.assertIn('purchases.5.date', cm.exception.message)
                # a cost sent later updates the line; a negative one is
                # refused
                self.assertEqual(Api.record_purchases('WEB',
                        [dict(lines[0], cost='7.255')]),
                    {'created': 0, 'updated': 1, 'unchanged': 0})
                with self.assertRaises(ApiError) as cm:
                    Api.record_purchases('WEB',
                        [dict(lines[1], cost='-1')])
                self.assertEqual(cm.exception.code, 4001)
                self.assertIn('purchases.0.cost', cm.exception.message)
                card = Api.customer_card('WEB', 'C1')
            self.assertEqual([(p.external_id, p.cost)
                    for p in Purchase.search([('cost', '!=', None)])],
                [('WEB:L0', Decimal('7.26'))])
            self.assertEqual(Purchase.search_count([]), 5)
            self.assertEqual(card['figures']['purchase_count'], 5)
            self.assertEqual(card['figures']['purchase_amount'], '52.50')
