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


def pairs(duplicates):
    return {(d.party.name, d.other.name, tuple(d.reasons))
        for d in duplicates}


class DuplicateTestCase(DBTestCase):
    "Duplicate detection and merging of crm_core"
    module = 'crm_core'

    @with_transaction()
    def test_detected_on_create(self):
        "Same phone in another format and same e-mail in other case"
        Duplicate = Pool().get('crm.duplicate')
        create_customer('张三', ('mobile', '13812345678'))
        create_customer('张三丰', ('mobile', '+86 138-1234-5678'))
        create_customer('Li', ('email', 'Li.Na@Example.com'))
        create_customer('Na', ('email', 'li.na@example.com '))
        create_customer('Unrelated', ('mobile', '13999999999'))
        self.assertEqual(pairs(Duplicate.search([])), {
                ('张三', '张三丰', ('phone',)),
                ('Li', 'Na', ('email',)),
                })

    @with_transaction()
    def test_name_only_for_organisations(self):
        "A common person name alone is no evidence; a company name is"
        Duplicate = Pool().get('crm.duplicate')
        create_customer('王伟')
        create_customer('王 伟')
        create_customer('华信贸易（上海）有限公司', customer_type='organisation')
        create_customer('华信贸易(上海)有限公司', customer_type='organisation')
        self.assertEqual(pairs(Duplicate.search([])), {
                ('华信贸易（上海）有限公司', '华信贸易(上海)有限公司', ('name',)),
                })

    @with_transaction()
    def test_scores_combine_evidence(self):
        Duplicate = Pool().get('crm.duplicate')
        create_customer('A', ('mobile', '13812345678'), ('email', 'a@x.cn'))
        create_customer('B', ('mobile', '13812345678'), ('email', 'A@x.cn'))
        create_customer('C', ('mobile', '13812345678'))
        by_pair = {
            (d.party.name, d.other.name): d for d in Duplicate.search([])}
        self.assertEqual(by_pair['A', 'B'].reasons, ('email', 'phone'))
        self.assertGreater(by_pair['A', 'B'].score, by_pair['A', 'C'].score)
        self.assertEqual(len(by_pair), 3)

    @with_transaction()
    def test_rescan_is_idempotent_and_respects_dismissal(self):
        "A full scan finds nothing new; a dismissed pair stays dismissed"
        pool = Pool()
        Duplicate = pool.get('crm.duplicate')
        Party = pool.get('party.party')
        create_customer('A', ('phone', '021-68881234'))
        create_customer('B', ('phone', '02168881234'))
        duplicate, = Duplicate.search([])
        Duplicate.dismiss([duplicate])
        self.assertEqual(Party.find_duplicates(), [])
        self.assertEqual(Duplicate.search([]), [duplicate])
        self.assertEqual(duplicate.state, 'dismissed')

    @with_transaction()
    def test_detected_when_contact_added_later(self):
        Duplicate = Pool().get('crm.duplicate')
        ContactMechanism = Pool().get('party.contact_mechanism')
        a = create_customer('A', ('mobile', '13812345678'))
        b = create_customer('B')
        self.assertEqual(Duplicate.search([]), [])
        ContactMechanism.create([{
                    'party': b.id, 'type': 'mobile', 'value': '13812345678'}])
        duplicate, = Duplicate.search([])
        self.assertEqual((duplicate.party, duplicate.other), (a, b))

    @with_transaction()
    def test_detected_from_either_side_of_the_pair(self):
        "The older record changes to match a newer one: same pair order"
        pool = Pool()
        Duplicate = pool.get('crm.duplicate')
        ContactMechanism = pool.get('party.contact_mechanism')
        Party = pool.get('party.party')
        old = create_customer('Old', customer_type='organisation')
        create_customer('Other', ('email', 'x@y.cn'))
        new = create_customer('New', ('email', 'shop@example.cn'),
            customer_type='organisation')
        self.assertEqual(Duplicate.search([]), [])
        ContactMechanism.create([{
                    'party': old.id, 'type': 'email',
                    'value': 'SHOP@example.cn'}])
        duplicate, = Duplicate.search([])
        self.assertEqual((duplicate.party, duplicate.other), (old, new))
        self.assertEqual(duplicate.reasons, ('email',))

        Duplicate.delete([duplicate])
        ContactMechanism.delete(old.contact_mechanisms)
        Party.write([old], {'name': 'New'})
        duplicate, = Duplicate.search([])
        self.assertEqual((duplicate.party, duplicate.other), (old, new))
        self.assertEqual(duplicate.reasons, ('name',))

    @with_transaction()
    def test_merge_moves_everything_to_kept_record(self):
        "Merging through party replace moves interactions and purchases"
        pool = Pool()
        Duplicate = pool.get('crm.duplicate')
        Interaction = pool.get('crm.interaction')
        Purchase = pool.get('crm.purchase')
        Party = pool.get('party.party')
        Replace = pool.get('party.replace', type='wizard')
        company = create_company()
        with set_company(company):
            kept = create_customer('刘洋', ('mobile', '13811112222'))
            merged = create_customer('刘洋', ('mobile', '138 1111 2222'))
            Interaction.create([
                    {'party': merged.id, 'subject': "Call"},
                    {'party': kept.id, 'subject': "Visit"}])
            Purchase.create([{'party': merged.id, 'quantity': 2,
                        'amount': Decimal('10'), 'date': dt.date.today()}])
            friend = create_customer('王芳', ('mobile', '13933334444'))
            Party.write([friend], {'referred_by': merged.id})
            duplicate, = Duplicate.search([])

            with Transaction().set_context(
                    active_model='crm.duplicate', active_id=duplicate.id,
                    active_ids=[duplicate.id]):
                session_id, _, _ = Replace.create()
                replace = Replace(session_id)
                defaults = replace.ask.default_get(
                    ['source', 'destination'])
                self.assertEqual(
                    (defaults['source'], defaults['destination']),
                    (merged.id, kept.id))
                replace.ask.source = merged
                replace.ask.destination = kept
                replace.transition_replace()

            self.assertEqual(
                {i.subject for i in Interaction.search(
                        [('party', '=', kept.id)])}, {"Call", "Visit"})
            self.assertEqual(
                Purchase.search([('party', '=', merged.id)]), [])
            self.assertEqual(Party(kept.id).purchase_count, 1)
            self.assertEqual(
                Party.search([('referred_by', '=', kept.id)]), [friend])
            with inactive_records():
                self.assertEqual(Party(merged.id).replaced_by, kept)
                self.assertFalse(Party(merged.id).active)
            self.assertEqual(Duplicate(duplicate.id).state, 'merged')
            # The merged record no longer takes part in detection.
            self.assertEqual(Party.find_duplicates(), [])
