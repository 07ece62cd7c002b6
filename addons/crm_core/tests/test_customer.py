# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_core.exceptions import (
    BudgetRangeError, LifecycleError, PurchaseError)
from trytond.modules.crm_core.tests.tools import (
    DBTestCase, create_customer, create_user)
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction


class CustomerTestCase(DBTestCase):
    "Customer 360 rules of crm_core"
    module = 'crm_core'

    @with_transaction()
    def test_code_and_name_key(self):
        "Every customer gets a unified code and a normalised name key"
        customer = create_customer('上海　华信（集团）')
        self.assertTrue(customer.code)
        self.assertEqual(customer.name_key, '上海华信集团')
        self.assertEqual(customer.lifecycle_stage, 'prospect')
        self.assertEqual(customer.customer_type, 'person')

    @with_transaction()
    def test_lifecycle_allowed_transition_is_logged(self):
        "An allowed move is written with who, when and why"
        Party = Pool().get('party.party')
        customer = create_customer('李娜')
        with Transaction().set_context(lifecycle_reason="First order"):
            Party.write([customer], {'lifecycle_stage': 'new'})
        change, = customer.lifecycle_changes
        self.assertEqual(
            (change.from_stage, change.to_stage, change.reason),
            ('prospect', 'new', "First order"))
        self.assertEqual(change.user.id, Transaction().user)

    @with_transaction()
    def test_lifecycle_refused_transition_changes_nothing(self):
        "A move the lifecycle forbids is refused, naming both stages"
        Party = Pool().get('party.party')
        customer = create_customer('王伟')
        with self.assertRaises(LifecycleError) as cm:
            Party.write([customer], {'lifecycle_stage': 'loyal'})
        self.assertIn('Prospect', cm.exception.message)
        self.assertIn('Loyal', cm.exception.message)
        customer = Party(customer.id)
        self.assertEqual(customer.lifecycle_stage, 'prospect')
        self.assertFalse(customer.lifecycle_changes)

    @with_transaction()
    def test_lifecycle_wizard(self):
        "The Change Stage wizard records the reason typed by the user"
        pool = Pool()
        Wizard = pool.get('crm.lifecycle.change.wizard', type='wizard')
        customer = create_customer('赵敏')
        with Transaction().set_context(
                active_model='party.party', active_id=customer.id,
                active_ids=[customer.id]):
            session_id, _, _ = Wizard.create()
            wizard = Wizard(session_id)
            defaults = wizard.default_start(None)
            self.assertEqual(defaults['allowed_stages'], ['new', 'churned'])
            wizard.start.stage = 'new'
            wizard.start.reason = "Signed up at the store"
            wizard.transition_change()
        self.assertEqual(customer.lifecycle_stage, 'new')
        self.assertEqual(
            customer.lifecycle_changes[0].reason, "Signed up at the store")

    @with_transaction()
    def test_profile_changes_logged_old_to_new(self):
        "Every profile field change is logged as old -> new"
        pool = Pool()
        Party = pool.get('party.party')
        Industry = pool.get('crm.industry')
        retail, = Industry.create([{'name': "Retail"}])
        customer = create_customer('陈静', occupation="Teacher")
        Party.write([customer], {
                'occupation': "Engineer", 'industry': retail.id,
                'birth_date': dt.date(1990, 5, 4)})
        changes = {c.field.name: c for c in customer.profile_changes}
        self.assertEqual(
            set(changes), {'occupation', 'industry', 'birth_date'})
        self.assertEqual(
            (changes['occupation'].old_value, changes['occupation'].new_value),
            ("Teacher", "Engineer"))
        self.assertEqual(changes['industry'].new_value, "Retail")
        self.assertTrue(changes['birth_date'].sensitive)
        self.assertFalse(changes['occupation'].sensitive)
        # Writing the same value again logs nothing more.
        Party.write([customer], {'occupation': "Engineer"})
        self.assertEqual(len(Party(customer.id).profile_changes), 3)

    @with_transaction()
    def test_wish_ranges(self):
        "A budget whose lower bound is above its upper bound is refused"
        Party = Pool().get('party.party')
        with self.assertRaises(BudgetRangeError):
            Party.create([{'name': "X", 'wish_budget_min': Decimal(300),
                        'wish_budget_max': Decimal(100)}])

    @with_transaction()
    def test_segment_manual_override(self):
        "A segment set by hand survives the analytics' computed values"
        pool = Pool()
        Party = pool.get('party.party')
        Segment = pool.get('crm.segment')
        loyal, = Segment.search([('code', '=', 'loyal')])
        lost, = Segment.search([('code', '=', 'lost')])
        manual, computed = create_customer('A'), create_customer('B')
        Party.write([manual], {'segment': loyal.id})
        self.assertTrue(manual.segment_manual)
        Party.set_computed({
                manual.id: {'segment': lost.id, 'value_tier': 'a'},
                computed.id: {'segment': lost.id, 'value_tier': 'b'},
                })
        self.assertEqual(manual.segment, loyal)
        self.assertEqual(manual.value_tier, 'a')
        self.assertEqual(computed.segment, lost)
        self.assertFalse(computed.segment_manual)
        self.assertIn(
            'segment', {c.field.name for c in manual.profile_changes})
        # the same values again change nothing and log nothing
        logged = len(Party(computed.id).profile_changes)
        Party.set_computed({
                computed.id: {'segment': lost.id, 'value_tier': 'b'}})
        self.assertEqual(len(Party(computed.id).profile_changes), logged)

    @with_transaction()
    def test_data_quality_flags(self):
        "Bad formats and missing contact means are flagged, never dropped"
        pool = Pool()
        ContactMechanism = pool.get('party.contact_mechanism')
        ok = create_customer('A', ('mobile', '13912345678'))
        bad = create_customer('B', ('mobile', '12345'), ('email', 'x@y'))
        nothing = create_customer('C', ('website', 'https://example.com'))
        self.assertEqual(ok.data_quality, 'ok')
        self.assertEqual(bad.data_quality, 'invalid')
        self.assertEqual(
            sorted(m.value for m in bad.contact_mechanisms),
            ['12345', 'x@y'])
        self.assertEqual(nothing.data_quality, 'incomplete')

        # Fixing the values clears the flag; deleting them sets another.
        mobile, = [m for m in bad.contact_mechanisms if m.type == 'mobile']
        email, = [m for m in bad.contact_mechanisms if m.type == 'email']
        ContactMechanism.write([mobile], {'value': '021-68881234'})
        self.assertEqual(mobile.quality, 'invalid')
        ContactMechanism.write([mobile], {'type': 'phone'})
        self.assertEqual(mobile.quality, 'valid')
        self.assertEqual(mobile.dedup_key, 'p:02168881234')
        self.assertEqual(pool.get('party.party')(bad.id).data_quality,
            'invalid')
        ContactMechanism.write([email], {'value': 'li@example.com'})
        self.assertEqual(
            pool.get('party.party')(bad.id).data_quality, 'ok')
        ContactMechanism.delete(list(ok.contact_mechanisms))
        self.assertEqual(
            pool.get('party.party')(ok.id).data_quality, 'incomplete')

    @with_transaction()
    def test_search_by_phone_in_any_format(self):
        "The customer is found whatever separators the phone is typed with"
        Party = Pool().get('party.party')
        customer = create_customer('刘洋', ('mobile', '138-0013-8000'))
        create_customer('Other', ('mobile', '13900000000'))
        for text in ['+86 138 0013 8000', '13800138000', '138-0013-8000']:
            with self.subTest(text=text):
                self.assertEqual(
                    Party.search([('rec_name', 'ilike', '%' + text + '%')]),
                    [customer])

    def _purchase_values(self, company):
        customer = create_customer('A')
        return customer, {
            'party': customer.id, 'date': dt.date(2026, 1, 5),
            'quantity': 1, 'amount': Decimal('99.00'),
            'external_id': 'POS-1'}

    @with_transaction()
    def test_purchase_figures(self):
        "The customer card sums the purchases in SQL"
        Purchase = Pool().get('crm.purchase')
        company = create_company()
        with set_company(company):
            customer, values = self._purchase_values(company)
            Purchase.create([values, dict(values, external_id='POS-2',
                        date=dt.date(2026, 2, 1), amount=Decimal('1.50'))])
            self.assertEqual(customer.purchase_amount, Decimal('100.50'))
            self.assertEqual(customer.purchase_count, 2)
            self.assertEqual(customer.last_purchase_date, dt.date(2026, 2, 1))

    @with_transaction()
    def test_purchase_zero_quantity_refused(self):
        "A purchase of zero quantity is refused"
        Purchase = Pool().get('crm.purchase')
        company = create_company()
        with set_company(company):
            _, values = self._purchase_values(company)
            with self.assertRaises(PurchaseError):
                Purchase.create([dict(values, quantity=0)])

    @with_transaction()
    def test_purchase_external_id_unique(self):
        "The same external line cannot be imported twice"
        Purchase = Pool().get('crm.purchase')
        company = create_company()
        with set_company(company):
            _, values = self._purchase_values(company)
            Purchase.create([values])
            with self.assertRaises(UserError):
                Purchase.create([values])

    @with_transaction()
    def test_contact_person(self):
        "Contact persons link an organisation to person records"
        pool = Pool()
        ContactPerson = pool.get('crm.contact_person')
        org = create_customer('华信贸易', customer_type='organisation')
        person = create_customer('周杰', ('mobile', '13700000001'))
        contact, = ContactPerson.create([{
                    'organisation': org.id, 'person': person.id,
                    'role': "Purchasing Manager"}])
        self.assertEqual(contact.mobile, '13700000001')
        self.assertEqual(org.contact_persons, (contact,))
        with self.assertRaises(UserError):
            ContactPerson.create([{'organisation': org.id,
                        'person': org.id}])

    @with_transaction()
    def test_follow_up_todo_list(self):
        "Open follow-ups appear in the employee's and the owner's to-do"
        pool = Pool()
        Interaction = pool.get('crm.interaction')
        Action = pool.get('ir.action.act_window')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            owner = create_employee(company, "Owner")
            agent = create_employee(company, "Agent")
            customer = create_customer('A', owner=owner.id)
            base = {'party': customer.id, 'subject': "Call",
                'follow_up_date': dt.date(2026, 12, 1)}
            by_agent, for_owner, done, no_date = Interaction.create([
                    dict(base, employee=agent.id),
                    dict(base, employee=None),
                    dict(base, employee=agent.id, follow_up_done=True),
                    dict(base, employee=agent.id, follow_up_date=None),
                    ])
            action = Action(ModelData.get_id('crm_core', 'act_follow_up'))
            for employee, expected in [
                    (agent, {by_agent}), (owner, {by_agent, for_owner})]:
                domain = PYSONDecoder({'context': {
                            'employee': employee.id}}).decode(
                    action.pyson_domain)
                self.assertEqual(
                    set(Interaction.search(domain)), expected)

    @with_transaction()
    def test_metrics_extension_point(self):
        "crm_core offers its metrics per employee over a period"
        pool = Pool()
        Employee = pool.get('company.employee')
        Interaction = pool.get('crm.interaction')
        company = create_company()
        with set_company(company):
            alice = create_employee(company, "Alice")
            bob = create_employee(company, "Bob")
            customer = create_customer('A', owner=alice.id)
            Interaction.create([
                    {'party': customer.id, 'subject': s, 'employee': e.id,
                        'date': dt.datetime(2026, 3, d, 10)}
                    for s, e, d in [
                        ('a', alice, 1), ('b', alice, 31), ('c', bob, 2)]])
            model, domain = Employee.drill_down_crm_metric(
                'crm_interactions_logged', alice,
                dt.date(2026, 3, 1), dt.date(2026, 3, 31))
            self.assertEqual(model, 'crm.interaction')
            self.assertEqual(
                {i.subject for i in Interaction.search(domain)}, {'a'})
            codes = dict(Employee.crm_metrics())
            self.assertIn('crm_interactions_logged', codes)
            self.assertEqual(
                Employee.compute_crm_metric('crm_interactions_logged',
                    [alice, bob], dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
                {alice.id: 1, bob.id: 1})
            today = dt.date.today()
            self.assertEqual(
                Employee.compute_crm_metric('crm_customers_acquired',
                    [alice, bob], today, today + dt.timedelta(days=1)),
                {alice.id: 1, bob.id: 0})


class AccessTestCase(DBTestCase):
    "What each CRM group sees"
    module = 'crm_core'

    @with_transaction()
    def test_sensitive_fields(self):
        "Only CRM Sensitive Data reads birth date, income band, ID number"
        pool = Pool()
        Party = pool.get('party.party')
        ProfileChange = pool.get('crm.profile.change')
        customer = create_customer('A', occupation="Nurse")
        Party.write([customer], {'birth_date': dt.date(1988, 1, 2),
                'occupation': "Doctor"})
        clerk = create_user('clerk', ['crm_core.group_crm'])
        officer = create_user('officer', [
                'crm_core.group_crm', 'crm_core.group_crm_sensitive'])

        with Transaction().set_user(clerk.id), \
                Transaction().set_context(_check_access=True):
            for field in ['birth_date', 'income_band', 'id_number']:
                with self.subTest(field=field), \
                        self.assertRaises(AccessError):
                    Party.read([customer.id], [field])
            self.assertEqual(
                Party.read([customer.id], ['occupation'])[0]['occupation'],
                "Doctor")
            with self.assertRaises(AccessError):
                Party.write([customer], {'id_number': '110101199001011234'})
            visible = ProfileChange.search([('party', '=', customer.id)])
            self.assertEqual(
                {c.field.name for c in visible}, {'occupation'})

        with Transaction().set_user(officer.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(
                Party.read([customer.id], ['birth_date'])[0]['birth_date'],
                dt.date(1988, 1, 2))
            visible = ProfileChange.search([('party', '=', customer.id)])
            self.assertEqual(
                {c.field.name for c in visible},
                {'occupation', 'birth_date'})

    @with_transaction()
    def test_groups_and_interactions(self):
        "CRM users log interactions; users outside CRM cannot"
        pool = Pool()
        Interaction = pool.get('crm.interaction')
        Purchase = pool.get('crm.purchase')
        company = create_company()
        with set_company(company):
            customer = create_customer('A')
        clerk = create_user('clerk', ['crm_core.group_crm'], company=company)
        outsider = create_user('outsider', [], company=company)
        values = {'party': customer.id, 'subject': "Hello",
            'company': company.id}
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(
                    _check_access=True, company=company.id):
            interaction, = Interaction.create([values])
            self.assertEqual(Interaction.search([]), [interaction])
            with self.assertRaises(AccessError):
                Interaction.delete([interaction])
            with self.assertRaises(AccessError):
                Purchase.create([{'party': customer.id, 'quantity': 1,
                            'amount': 1, 'date': dt.date.today(),
                            'currency': company.currency.id}])
        with Transaction().set_user(outsider.id), \
                Transaction().set_context(
                    _check_access=True, company=company.id):
            with self.assertRaises(AccessError):
                Interaction.create([values])
            with self.assertRaises(AccessError):
                Interaction.search([])
