# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The bulk path stores customers exactly as the ORM's create does: every
stored field of the party and of its contact mechanisms compared."""
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase
from trytond.modules.crm_integration import bulk
from trytond.modules.crm_integration.exceptions import RowError
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

IGNORED = {'id', 'code', 'code_alnum', 'code_digit', 'create_date',
    'create_uid', 'write_date', 'write_uid', 'party'}


def stored(record):
    Model = record.__class__
    return {name: getattr(record, name) for name in bulk._columns(Model)
        if name not in IGNORED}


class BulkTestCase(DBTestCase):
    module = 'crm_integration'

    @with_transaction()
    def test_same_as_orm_create(self):
        pool = Pool()
        Party = pool.get('party.party')
        Duplicate = pool.get('crm.duplicate')
        company = create_company()
        values = {
            'name': 'ＷＡＮＧ Wei 王伟', 'customer_type': 'person',
            'gender': 'male', 'birth_date': dt.date(1985, 3, 7),
            'wish_budget_min': Decimal('3000000'),
            'wish_budget_max': Decimal('4500000'),
            'wish_area_min': 80.0, 'wish_rooms': 3,
            'wish_district': '浦东新区', 'value_tier': 'b',
            }
        contacts = [{'type': 'mobile', 'value': '13800138000'},
            {'type': 'email', 'value': 'wang@example.com'},
            {'type': 'phone', 'value': '12'}]
        with set_company(company):
            orm, = Party.create([dict(values, contact_mechanisms=[
                            ('create', contacts)])])
            bulk_id, = bulk.create_customers([values], [contacts])
            fast = Party(bulk_id)
            self.assertEqual(stored(fast), stored(orm))
            self.assertTrue(fast.code)
            self.assertNotEqual(fast.code, orm.code)
            self.assertEqual(fast.code_digit, int(fast.code))
            self.assertEqual(
                [stored(m) for m in fast.contact_mechanisms],
                [stored(m) for m in orm.contact_mechanisms])
            self.assertEqual(fast.data_quality, 'invalid')
            # the two share their mobile: a duplicate pair was found
            pair, = Duplicate.search([])
            self.assertEqual(
                {pair.party.id, pair.other.id}, {orm.id, fast.id})

    @with_transaction()
    def test_purchase_same_as_orm_create(self):
        pool = Pool()
        Party = pool.get('party.party')
        Purchase = pool.get('crm.purchase')
        company = create_company()
        with set_company(company):
            party, = Party.create([{'name': 'A'}])
            values = {
                'company': company.id, 'party': party.id,
                'date': dt.date(2026, 5, 1), 'description': 'P9',
                'quantity': 2.5, 'amount': Decimal('12.30'),
                'currency': company.currency.id, 'channel': 'online',
                'reference': 'SO1', 'external_id': 'X:SO1:1'}
            orm, = Purchase.create([dict(values, external_id='X:SO1:0')])
            fast = Purchase(bulk.create_purchases([values])[0])
            expected = dict(stored(orm), external_id='X:SO1:1')
            self.assertEqual(stored(fast), expected)
            self.assertEqual(fast.party, party)
            with self.assertRaises(RowError):
                bulk.create_purchases([dict(values, quantity=0)])

    @with_transaction()
    def test_refuses_what_the_orm_refuses(self):
        company = create_company()
        with set_company(company):
            for values in [
                    {'name': 'A', 'customer_type': 'robot'},
                    {'name': 'A', 'colour': 'red'},
                    {'name': 'A', 'wish_budget_min': Decimal(9),
                        'wish_budget_max': Decimal(1)},
                    ]:
                with self.subTest(values=values):
                    with self.assertRaises(
                            (RowError, ValidationError)) as cm:
                        bulk.create_customers([values], [[]])
                    self.assertTrue(cm.exception.message)
