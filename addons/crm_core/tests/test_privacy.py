# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase, create_customer
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import inactive_records
from trytond.transaction import Transaction


class EraseTestCase(DBTestCase):
    "The right to be forgotten"
    module = 'crm_core'

    @with_transaction()
    def test_erase_leaves_no_personal_data(self):
        "Erase anonymises profile, contacts, interactions; keeps figures"
        pool = Pool()
        Party = pool.get('party.party')
        Interaction = pool.get('crm.interaction')
        Purchase = pool.get('crm.purchase')
        ProfileChange = pool.get('crm.profile.change')
        Erase = pool.get('party.erase', type='wizard')
        company = create_company()
        with set_company(company):
            customer = create_customer(
                '孙丽', ('mobile', '13955556666'), ('email', 'sun.li@x.cn'),
                birth_date=dt.date(1985, 6, 1),
                id_number='110101198506011234',
                occupation="Lawyer", income_band='high',
                preferences="Likes sea view", wish_district="浦东")
            Party.write([customer], {'occupation': "Judge"})
            Interaction.create([{'party': customer.id,
                        'subject': "Asked about 3-room flat in 浦东",
                        'notes': "Phone 13955556666", 'outcome': "Call back"}])
            Purchase.create([{'party': customer.id, 'quantity': 1,
                        'amount': Decimal('8800'),
                        'date': dt.date(2025, 1, 1)}])
            Party.write([customer], {'active': False})

            with Transaction().set_context(
                    active_model='party.party', active_id=customer.id):
                session_id, _, _ = Erase.create()
                erase = Erase(session_id)
                erase.ask.party = customer
                erase.transition_erase()

            with inactive_records():
                party, = Party.search([('id', '=', customer.id)])
            personal = Party.read([party.id], [
                    'name', 'birth_date', 'id_number', 'occupation',
                    'income_band', 'preferences', 'wish_district',
                    'name_key'])[0]
            self.assertEqual(
                {k for k, v in personal.items() if v and k != 'id'}, set())
            values = {m.value for m in party.contact_mechanisms}
            self.assertEqual(values, {'****'})
            interaction, = Interaction.search([('party', '=', party.id)])
            self.assertEqual(
                (interaction.subject, interaction.notes, interaction.outcome),
                ('****', None, None))
            for change in ProfileChange.search([('party', '=', party.id)]):
                self.assertNotIn('Lawyer', change.old_value or '')
                self.assertNotIn('Judge', change.new_value or '')
            # The aggregate purchase figures survive.
            self.assertEqual(party.purchase_amount, Decimal('8800'))
