#!/usr/bin/env python3
# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Load the eCRM demo data into a database through the Tryton ORM.

    demo_data.py --database ecrm --config var/run/trytond.conf \\
        [--customers 300] [--batch 500] [--seed 1] [--end-date YYYY-MM-DD]

What setup/demo_gen.py generates, as the admin user of the company:
regions (country > area > province > city), industries, acquisition
sources, segments, stores, tags, salespeople (company.employee), products,
then the customers in batches of --batch, each batch with its contact
persons, addresses, phones and e-mails, purchases (crm.purchase, external
id DEMO-<customer>-<line>), interactions and lifecycle history, committed
as one transaction.  crm_core flags invalid contacts and records possible
duplicates as the customers are created; a last scan, the HR demo of
setup/demo_hr.py when crm_hr is activated and a note on the company
("eCRM demo data: ...", see setup/configure.py --demo-status) close the
load.

Restartable and idempotent: everything is keyed by its code (customer n
is the party with code DEMO-<n>), so a run after a crash continues where
the last committed batch ended and a second run adds nothing; a run with
more --customers adds the missing ones.  Needs crm_core activated and a
company (setup/configure.py); without crm_core it loads nothing.
"""
import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal

# (trytond.backend reads the configuration when imported; these do not)
from trytond.pool import Pool
from trytond.transaction import Transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import demo_names as N  # noqa: E402
from dbtool import load_config  # noqa: E402
from demo_gen import Generator  # noqa: E402
from demo_hr import load_hr  # noqa: E402
from demo_integration import load_integration  # noqa: E402

CODE_PREFIX = 'DEMO-'
CUSTOMER_CODE = CODE_PREFIX + '%07d'
CONTACT_CODE = CUSTOMER_CODE + '-C%d'
# a referred customer's referrer is this many customer numbers earlier
REFERRER_GAP = 7
EMPLOYEE_CODE = CODE_PREFIX + '%s'
# the note on the company that says the load is complete
MARKER = 'eCRM demo data'
# records per ORM create: the cost of browsing the created records grows
# with the square of their number (an assert over the whole list per
# record); products fewer: on SQLite trytond checks their unique code with
# one nested OR clause each, which SQLite's parser refuses at 100
CREATE_SLICE = 50
PRODUCT_SLICE = 40


def status():
    """'loaded' when a demo load completed, 'partial' when one was
    interrupted, 'empty' for a database without customers; a database
    with customers of its own is 'loaded' too: no demo data goes there.
    Runs in the current transaction."""
    pool = Pool()
    Party = pool.get('party.party')
    Note = pool.get('ir.note')
    if Note.search([('message', 'like', MARKER + ':%')], limit=1):
        return 'loaded'
    if Party.search([('code', 'like', CODE_PREFIX + '%')], limit=1):
        return 'partial'
    own = set()
    for model in ['company.company', 'company.employee']:
        try:
            Model = pool.get(model)
        except KeyError:
            continue
        own.update(r.party.id for r in Model.search([]))
    others = Party.search([('id', 'not in', list(own))], limit=1)
    return 'loaded' if others else 'empty'


def _rejected():
    """What the party module refuses to store, as a function of a contact
    type and whether its value is malformed.  Without the optional
    phonenumbers and email_validator packages it accepts everything and
    crm_core flags the malformed values; with email_validator it checks
    that the domain exists, which made-up demo domains do not."""
    from trytond.modules.party import contact_mechanism
    from trytond.tools import email_
    phones = bool(contact_mechanism.phonenumbers)
    try:
        email_.validate_email('no e-mail')
        emails = False
    except email_.EmailNotValidError:
        emails = True

    def rejected(type_, malformed):
        if type_ == 'email':
            return emails
        return phones and malformed
    return rejected


class Loader:

    def __init__(self, database, generator, batch=500, log=print):
        self.database = database
        self.generator = generator
        self.batch = batch
        self.log = log
        self.counts = dict.fromkeys([
                'customers', 'contact persons', 'purchases', 'interactions',
                'lifecycle changes'], 0)
        self.ids = {}
        self.user = self.context = self.currency = self.timezone = None
        self.country = self.rejected = None

    def transaction(self):
        return Transaction().start(
            self.database, self.user, context=self.context)

    def prepare(self):
        """Find the admin user, the company and the activated modules;
        False when there is nothing to load into."""
        pool = Pool(self.database)
        with Transaction().start(self.database, 0, readonly=True):
            Module = pool.get('ir.module')
            User = pool.get('res.user')
            activated = {m.name for m in Module.search([
                        ('state', '=', 'activated')])}
            if 'crm_core' not in activated:
                self.log("crm_core is not activated: no demo data")
                return False
            admin, = User.search([('login', '=', 'admin')])
            company = admin.company
            if not company:
                Company = pool.get('company.company')
                companies = Company.search([], order=[('id', 'ASC')])
                if not companies:
                    self.log("no company: run setup/configure.py first")
                    return False
                company = companies[0]
            self.user = admin.id
            self.context = {
                'company': company.id,
                'employee': admin.employee.id if admin.employee else None,
                'language': pool.get('ir.configuration').get_language(),
                }
            self.currency = company.currency.id
            self.timezone = company.timezone
        self.rejected = _rejected()
        return True

    def run(self, customers):
        started = time.monotonic()
        with self.transaction() as transaction:
            self.load_references()
            transaction.commit()
        for start in range(0, customers, self.batch):
            with self.transaction() as transaction:
                self.load_customers(start, min(self.batch, customers - start))
                transaction.commit()
        with self.transaction() as transaction:
            totals = self.finish()
            transaction.commit()
        return totals, time.monotonic() - started

    # -- reference data ----------------------------------------------------

    @staticmethod
    def ensure(Model, rows, key='code', domain=None):
        """Create the rows (dicts) whose key is not in the database yet;
        return {key: id} for all of them."""
        keys = [r[key] for r in rows]
        with Transaction().set_context(active_test=False):
            found = {getattr(r, key): r.id for r in Model.search(
                    [(key, 'in', keys)] + (domain or []))}
        missing = [r for r in rows if r[key] not in found]
        if missing:
            found.update((getattr(r, key), r.id)
                for r in create(Model, missing))
        return found

    def load_references(self):
        pool = Pool()
        ids = self.ids
        ids['subdivision'] = self.load_country()
        ids['industry'] = self.ensure(pool.get('crm.industry'),
            [{'code': c, 'name': n} for c, n in N.INDUSTRIES])
        ids['source'] = self.ensure(pool.get('crm.source'),
            [{'code': c, 'name': n} for c, n, _, _ in N.SOURCES])
        ids['segment'] = self.ensure(pool.get('crm.segment'),
            [{'code': c, 'name': n} for c, n in N.SEGMENTS])
        ids['region'] = self.load_regions()
        cities = self.generator.cities
        ids['store'] = self.ensure(pool.get('crm.store'), [{
                    'code': code, 'name': name, 'kind': kind,
                    'company': self.context['company'],
                    'region': ids['region'][
                        self.generator.city_regions[city]],
                    'address': cities[city][1],
                    } for code, name, kind, city in N.STORES])
        ids['tag'] = self.ensure(pool.get('party.category'),
            [{'name': t} for t in N.TAGS], key='name',
            domain=[('parent', '=', None)])
        ids['employee'] = self.load_employees()
        ids['product'] = self.load_products()

    def load_country(self):
        pool = Pool()
        Country = pool.get('country.country')
        Subdivision = pool.get('country.subdivision')
        country, = self.ensure(Country, [{
                    'code': 'CN', 'code3': 'CHN', 'code_numeric': '156',
                    'name': '中国'}]).values()
        self.country = country
        return self.ensure(Subdivision, [
                {'country': country, 'code': code, 'type': type_,
                    'name': name}
                for name, (code, type_) in N.PROVINCES.items()],
            domain=[('country', '=', country)])

    def load_regions(self):
        Region = Pool().get('crm.region')
        ids = {}
        for code, name, parent in N.REGIONS:
            # parents come first: one level at a time would save little
            ids.update(self.ensure(Region, [{
                            'code': code, 'name': name,
                            'parent': ids.get(parent)}]))
        return ids

    def load_employees(self):
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        company = self.context['company']
        parties = self.ensure(Party, [{
                    'code': EMPLOYEE_CODE % e['code'], 'name': e['name'],
                    'customer_type': 'person', 'addresses': [],
                    } for e in self.generator.employees])
        employees = {e.party.id: e.id for e in Employee.search([
                    ('party', 'in', list(parties.values())),
                    ('company', '=', company),
                    ])}
        missing = [p for p in parties.values() if p not in employees]
        for employee in create(Employee, [
                    {'party': p, 'company': company} for p in missing]):
            employees[employee.party.id] = employee.id
        return {code[len(CODE_PREFIX):]: employees[party]
            for code, party in parties.items()}

    def load_products(self):
        pool = Pool()
        Template = pool.get('product.template')
        Product = pool.get('product.product')
        Category = pool.get('product.category')
        ModelData = pool.get('ir.model.data')
        products = self.generator.products
        categories = self.ensure(Category,
            [{'name': n} for n in sorted({p['category'] for p in products})],
            key='name', domain=[('parent', '=', None)])
        with_sale = 'salable' in Template._fields
        with Transaction().set_context(active_test=False):
            found = {p.code: p.id for p in Product.search(
                    [('code', 'in', [p['code'] for p in products])])}
        unit = ModelData.get_id('product', 'uom_unit')
        values = []
        for product in products:
            if product['code'] in found:
                continue
            value = {
                'name': product['name'], 'code': product['code'],
                'type': product['type'],
                'list_price': Decimal(product['list_price']),
                'default_uom': unit,
                'categories': [('add', [categories[product['category']]])],
                'products': [('create', [{}])],
                }
            if with_sale:
                value.update(salable=True, sale_uom=unit)
            values.append(value)
        for template in create(Template, values, PRODUCT_SLICE):
            found[template.products[0].code] = template.products[0].id
        return found

    # -- customers ---------------------------------------------------------

    def load_customers(self, start, count):
        pool = Pool()
        Party = pool.get('party.party')
        ContactPerson = pool.get('crm.contact_person')
        customers = self.generator.customers(start, count)
        with Transaction().set_context(active_test=False):
            existing = {p.code for p in Party.search([('code', 'in', [
                                CUSTOMER_CODE % c['number']
                                for c in customers])])}
        customers = [c for c in customers
            if CUSTOMER_CODE % c['number'] not in existing]
        if not customers:
            return
        contacts = [(c, i, p) for c in customers
            for i, p in enumerate(c['contacts'], 1)]
        persons = create(Party, [self.contact_values(c, i, p)
                for c, i, p in contacts])
        parties = create(Party, [self.party_values(c) for c in customers])
        party_ids = {c['number']: p.id for c, p in zip(customers, parties)}
        create(ContactPerson, [{
                    'organisation': party_ids[c['number']],
                    'person': person.id, 'role': p['function'],
                    'sequence': i,
                    } for (c, i, p), person in zip(contacts, persons)])
        self.load_referrals(customers, party_ids)
        self.load_history(customers, [p.id for p in parties])
        self.counts['customers'] += len(parties)
        self.counts['contact persons'] += len(persons)
        self.log(f"  customers {start + count:>7}: {len(parties)} new")

    def load_referrals(self, customers, party_ids):
        "Customers come by referral from a customer a few numbers earlier"
        Party = Pool().get('party.party')
        referred = {c['number']: c['number'] - REFERRER_GAP
            for c in customers
            if c['source'] == 'referral' and c['number'] > REFERRER_GAP}
        referrers = {p.code: p.id for p in Party.search([('code', 'in', [
                            CUSTOMER_CODE % n for n in referred.values()])])}
        args = []
        for number, referrer in referred.items():
            referrer = referrers.get(CUSTOMER_CODE % referrer)
            if referrer:
                args.extend([[Party(party_ids[number])],
                        {'referred_by': referrer}])
        if args:
            Party.write(*args)

    def load_history(self, customers, party_ids):
        pool = Pool()
        Purchase = pool.get('crm.purchase')
        Interaction = pool.get('crm.interaction')
        LifecycleChange = pool.get('crm.lifecycle.change')
        ids = self.ids
        company = self.context['company']
        purchases, interactions, changes = [], [], []
        for customer, party in zip(customers, party_ids):
            for p in customer['purchases']:
                purchases.append({
                        'company': company, 'party': party,
                        'date': p['date'],
                        'product': ids['product'][p['product']],
                        'quantity': float(p['quantity']),
                        'amount': Decimal(str(p['amount'])),
                        'cost': Decimal(str(p['cost'])),
                        'currency': self.currency, 'channel': p['channel'],
                        'store': ids['store'][p['store']],
                        'external_id': p['external_id'],
                        })
            for i in customer['interactions']:
                interactions.append({
                        'company': company, 'party': party,
                        'channel': i['channel'],
                        'direction': i['direction'],
                        'date': self.utc(i['date']),
                        'employee': ids['employee'][i['employee']],
                        'subject': i['subject'], 'outcome': i['outcome'],
                        'follow_up_date': i['follow_up_date'],
                        'follow_up_done': i['follow_up_done'],
                        })
            for date, from_, to in customer['lifecycle_changes']:
                changes.append({
                        'party': party, 'from_stage': from_, 'to_stage': to,
                        'date': self.utc(dt.datetime.combine(
                                date, dt.time(10))),
                        })
        create(Purchase, purchases)
        create(Interaction, interactions)
        create(LifecycleChange, changes)
        self.counts['purchases'] += len(purchases)
        self.counts['interactions'] += len(interactions)
        self.counts['lifecycle changes'] += len(changes)

    def utc(self, moment):
        "The naive UTC datetime Tryton stores for a local moment"
        if not self.timezone:
            return moment
        from zoneinfo import ZoneInfo
        return moment.replace(tzinfo=ZoneInfo(self.timezone)).astimezone(
            dt.timezone.utc).replace(tzinfo=None)

    def mechanisms(self, customer):
        # phone_short, email_double_at...: the mobile or the e-mail
        invalid = (customer.get('invalid_kind') or '_').split('_')[0]
        malformed = {'phone': 'mobile', 'email': 'email'}.get(invalid)
        values = []
        for type_ in ['mobile', 'phone', 'email']:
            value = customer.get(type_)
            if value and not self.rejected(type_, type_ == malformed):
                values.append({'type': type_, 'value': value})
        return [('create', values)] if values else []

    def party_values(self, customer):
        ids = self.ids
        address = customer['address']
        province_code = N.PROVINCES[address['province']][0]
        wish = customer['wish'] or {}
        return {
            'code': CUSTOMER_CODE % customer['number'],
            'name': customer['name'],
            'customer_type': customer['customer_type'],
            'industry': ids['industry'].get(customer['industry']),
            'region': ids['region'][customer['region']],
            'source': ids['source'][customer['source']],
            'acquisition_channel': customer['acquisition_channel'],
            'store': ids['store'][customer['store']],
            'owner': ids['employee'][customer['owner']],
            'gender': customer['gender'],
            'birth_date': customer['birth_date'],
            'occupation': customer['occupation'],
            'income_band': customer['income_band'],
            'id_number': customer['id_number'],
            'preferences': customer['preferences'],
            'wish_budget_min': _decimal(wish.get('budget_min')),
            'wish_budget_max': _decimal(wish.get('budget_max')),
            'wish_district': wish.get('district'),
            'wish_area_min': wish.get('area_min'),
            'wish_area_max': wish.get('area_max'),
            'wish_rooms': wish.get('rooms'),
            # a new record may start in any stage; the moves that led
            # there are the lifecycle history
            'lifecycle_stage': customer['lifecycle_stage'],
            'segment': ids['segment'].get(customer['segment']),
            'value_tier': customer['value_tier'],
            'categories': [('add', [ids['tag'][t]
                        for t in customer['tags']])],
            'addresses': [('create', [{
                            'street_unstructured': (
                                address['district'] + address['street']),
                            'city': address['city'],
                            'postal_code': address['postal_code'],
                            'country': self.country,
                            'subdivision': ids['subdivision'][province_code],
                            }])],
            'contact_mechanisms': self.mechanisms(customer),
            }

    def contact_values(self, organisation, index, contact):
        ids = self.ids
        return {
            'code': CONTACT_CODE % (organisation['number'], index),
            'name': contact['name'],
            'customer_type': 'person',
            'gender': contact['gender'],
            'occupation': contact['function'],
            'region': ids['region'][organisation['region']],
            'source': ids['source'][organisation['source']],
            'store': ids['store'][organisation['store']],
            'owner': ids['employee'][organisation['owner']],
            'addresses': [],
            'contact_mechanisms': self.mechanisms(contact),
            }

    # -- the end -----------------------------------------------------------

    def finish(self):
        "Scan for duplicates, count, and leave the note that says done"
        pool = Pool()
        Party = pool.get('party.party')
        Duplicate = pool.get('crm.duplicate')
        Note = pool.get('ir.note')
        Purchase = pool.get('crm.purchase')
        demo = Party.search([('code', 'like', CODE_PREFIX + '%')])
        Party.update_data_quality(demo)
        Duplicate.detect(demo)
        totals = {
            'customers': Party.search_count([
                    ('code', 'like', CUSTOMER_CODE.replace('%07d', '_' * 7)),
                    ]),
            'purchases': Purchase.search_count([
                    ('external_id', 'like', CODE_PREFIX + '%')]),
            'open duplicates': Duplicate.search_count([
                    ('state', '=', 'open')]),
            'invalid contacts': Party.search_count([
                    ('code', 'like', CODE_PREFIX + '%'),
                    ('data_quality', '=', 'invalid')]),
            }
        totals['assessments'] = load_hr(self, dt.date.today())
        totals['property units'] = load_integration(self)
        generator = self.generator
        message = (f"{MARKER}: {totals['customers']} customers "
            f"(seed {generator.seed}, {generator.start_date} to "
            f"{generator.end_date}), loaded by setup/demo_data.py")
        resource = f"company.company,{self.context['company']}"
        notes = Note.search([
                ('resource', '=', resource),
                ('message', 'like', MARKER + ':%'),
                ])
        if notes:
            Note.write(notes, {'message': message})
        else:
            Note.create([{'resource': resource, 'message': message}])
        return totals


def create(Model, values, size=CREATE_SLICE):
    "Model.create in slices of size"
    records = []
    for start in range(0, len(values), size):
        records.extend(Model.create(values[start:start + size]))
    return records


def _print(*args):
    print(*args, flush=True)


def _decimal(value):
    return Decimal(value) if value is not None else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('-c', '--config', action='append',
        help="trytond configuration (repeat for several)")
    parser.add_argument('--customers', type=int, default=300)
    parser.add_argument('--batch', type=int, default=500,
        help="customers per transaction (default 500)")
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--end-date', type=dt.date.fromisoformat,
        help="last day of the 3 years of history (default today)")
    parser.add_argument('-q', '--quiet', action='store_true')
    options = parser.parse_args(argv)
    load_config(options.config or [os.environ.get('TRYTOND_CONFIG', '')])

    started = time.monotonic()
    Pool(options.database).init()
    loader = Loader(options.database,
        Generator(options.seed, options.end_date), options.batch,
        log=(lambda *a: None) if options.quiet else _print)
    if not loader.prepare():
        return 0
    totals, seconds = loader.run(options.customers)
    made = ', '.join(f'{n} {k}' for k, n in loader.counts.items())
    print(f"demo data: created {made}; in the database "
        + ', '.join(f'{n} {k}' for k, n in totals.items())
        + f"; {seconds:.1f} s ({time.monotonic() - started:.1f} s in all)")
    return 0


if __name__ == '__main__':
    sys.exit(main())
