"""core_bulk_create: demo customers with their contact mechanisms.

value      customers per second through the ORM: ``party.party`` create
           of a batch (``--batch``, 1,000) with its mobile, phone and
           e-mail and the CRM profile fields, access checked as over RPC,
           one transaction committed per batch, as an import would run;
reference  the same rows with ``executemany`` INSERTs into party_party
           and party_contact_mechanism of the same database, in the same
           batches and commits, the normalised keys and data quality
           computed in Python by crm_core's own engine functions.

The reference runs first and its rows are deleted again, so both paths
fill the same empty tables with the same indexes; the ORM customers stay
for core_duplicate_scan.  One run of each per database (100,000
customers take minutes through the ORM).

    python bench/core_bulk_create.py --database sqlite --customers 2000
"""
import datetime as dt
import os
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402

TASK = 'core_bulk_create'
CONTACT_TYPES = ['mobile', 'phone', 'email']
# the columns a bulk loader fills (create_uid/create_date come first)
PARTY_COLUMNS = ['name', 'code', 'code_alnum', 'code_digit', 'active',
    'customer_type', 'gender', 'birth_date', 'occupation', 'income_band',
    'id_number', 'industry', 'region', 'source', 'acquisition_channel',
    'lifecycle_stage', 'preferences', 'wish_budget_min', 'wish_budget_max',
    'wish_district', 'wish_area_min', 'wish_area_max', 'wish_rooms',
    'segment_manual', 'value_tier_manual', 'data_quality', 'name_key']
MECHANISM_COLUMNS = ['party', 'type', 'value', 'value_compact', 'active',
    'dedup_key', 'quality']


def profile_values(customer, references):
    "The party.party fields of one customer, without contact mechanisms."
    wish = customer['wish'] or {}
    return {
        'name': customer['name'],
        'customer_type': customer['customer_type'],
        'gender': customer['gender'] or None,
        'birth_date': customer['birth_date'],
        'occupation': customer['occupation'],
        'income_band': customer['income_band'] or None,
        'id_number': customer['id_number'],
        'industry': references['crm.industry'].get(customer['industry']),
        'region': references['crm.region'].get(customer['region']),
        'source': references['crm.source'].get(customer['source']),
        'acquisition_channel': customer['acquisition_channel'],
        'lifecycle_stage': customer['lifecycle_stage'],
        'preferences': customer['preferences'],
        'wish_budget_min': _decimal(wish.get('budget_min')),
        'wish_budget_max': _decimal(wish.get('budget_max')),
        'wish_district': wish.get('district'),
        'wish_area_min': wish.get('area_min'),
        'wish_area_max': wish.get('area_max'),
        'wish_rooms': wish.get('rooms'),
        }


def _decimal(value):
    return Decimal(value) if value is not None else None


def contacts(customer):
    return [(t, customer[t]) for t in CONTACT_TYPES if customer[t]]


def orm_values(customer, references):
    values = profile_values(customer, references)
    values['contact_mechanisms'] = [('create', [
                {'type': t, 'value': v} for t, v in contacts(customer)])]
    return values


def orm_create(session, rows, batch):
    "Party.create per batch, one committed transaction each; party ids."
    from trytond.transaction import check_access
    Party = session.pool.get('party.party')
    references = session.references()
    ids = []
    for number, chunk in enumerate(common.batches(rows, batch)):
        vlist = [orm_values(c, references) for c in chunk]
        with session.transaction() as transaction, check_access():
            ids.extend(p.id for p in Party.create(vlist))
            transaction.commit()
        if number % 10 == 9:
            common.progress('ORM: %d customers' % len(ids))
    return ids


class RawLoader:
    "executemany INSERTs through the connection of a Tryton transaction."

    def __init__(self, session, references, code_prefix):
        from sql import Flavor
        self.session = session
        self.references = references
        self.prefix = code_prefix
        self.postgresql = session.database.backend == 'postgresql'
        self.param = Flavor.get().param
        self.next_id = None

    def insert_sql(self, table, columns):
        columns = ['id', 'create_uid', 'create_date'] + columns
        return 'INSERT INTO %s (%s) VALUES (%s)' % (table,
            ', '.join('"%s"' % c for c in columns),
            ', '.join([self.param] * len(columns)))

    def reserve_ids(self, cursor, table, count):
        "count new ids, as Tryton's backends hand them out."
        if self.postgresql:
            cursor.execute('SELECT nextval(\'%s_id_seq\') '
                'FROM generate_series(1, %d)' % (table, count))
            return [i for i, in cursor]
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM %s' % table)
        start, = cursor.fetchone()
        return list(range(start + 1, start + 1 + count))

    def rows(self, chunk, party_ids, mechanism_ids, user, now):
        from trytond.modules.crm_core.engine import dedup, quality
        parties, mechanisms = [], []
        mechanism_ids = iter(mechanism_ids)
        for customer, party_id in zip(chunk, party_ids):
            values = profile_values(customer, self.references)
            code = '%s%d' % (self.prefix, customer['number'])
            found = contacts(customer)
            valid = [quality.is_valid_contact(t, v) for t, v in found]
            values.update({
                    'code': code, 'code_alnum': code, 'code_digit': None,
                    'active': True, 'segment_manual': False,
                    'value_tier_manual': False,
                    'data_quality': ('incomplete' if not found
                        else 'ok' if all(valid) else 'invalid'),
                    'name_key': dedup.name_key(customer['name']),
                    })
            parties.append([party_id, user, now]
                + [values[c] for c in PARTY_COLUMNS])
            for (type_, value), ok in zip(found, valid):
                mechanisms.append([next(mechanism_ids), user, now,
                        party_id, type_, value, value, True,
                        dedup.contact_key(type_, value),
                        'valid' if ok else 'invalid'])
        return parties, mechanisms

    def load(self, rows, batch):
        "Insert rows in batches, one commit each; return the party ids."
        party_sql = self.insert_sql('party_party', PARTY_COLUMNS)
        mechanism_sql = self.insert_sql(
            'party_contact_mechanism', MECHANISM_COLUMNS)
        ids = []
        for chunk in common.batches(rows, batch):
            with self.session.transaction() as transaction:
                cursor = transaction.connection.cursor()
                party_ids = self.reserve_ids(
                    cursor, 'party_party', len(chunk))
                mechanism_ids = self.reserve_ids(cursor,
                    'party_contact_mechanism',
                    sum(len(contacts(c)) for c in chunk))
                parties, mechanisms = self.rows(chunk, party_ids,
                    mechanism_ids, transaction.user, dt.datetime.now())
                cursor.executemany(party_sql, parties)
                cursor.executemany(mechanism_sql, mechanisms)
                transaction.commit()
            ids.extend(party_ids)
        return ids

    def delete(self, ids):
        with self.session.transaction() as transaction:
            cursor = transaction.connection.cursor()
            if self.postgresql:
                # party_party.replaced_by (ON DELETE SET NULL) has no
                # index: each deleted party would scan the whole table.
                cursor.execute('CREATE INDEX bench_replaced_by '
                    'ON party_party (replaced_by)')
            for table, column in [('party_contact_mechanism', 'party'),
                    ('party_party', 'id')]:
                cursor.execute('DELETE FROM %s WHERE "%s" >= %d'
                    % (table, column, min(ids)))
            if self.postgresql:
                cursor.execute('DROP INDEX bench_replaced_by')
            transaction.commit()


def count_rows(session):
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        counts = []
        for table in ['party_party', 'party_contact_mechanism']:
            cursor.execute('SELECT COUNT(*) FROM %s' % table)
            counts.append(cursor.fetchone()[0])
        return counts


def run(session, rows, batch):
    "Measure both paths; return (result, orm party ids)."
    references = session.references()
    size = {'customers': len(rows),
        'contact_mechanisms': sum(len(contacts(c)) for c in rows)}
    before = count_rows(session)

    common.progress('reference: executemany of %d customers' % len(rows))
    loader = RawLoader(session, references, 'R')
    started = time.perf_counter()
    raw_ids = loader.load(rows, batch)
    raw_seconds = time.perf_counter() - started
    loaded = count_rows(session)
    assert [a - b for a, b in zip(loaded, before)] == [
        size['customers'], size['contact_mechanisms']], loaded
    loader.delete(raw_ids)
    common.vacuum(session)
    assert count_rows(session) == before

    common.progress('ORM: Party.create of %d customers' % len(rows))
    started = time.perf_counter()
    orm_ids = orm_create(session, rows, batch)
    orm_seconds = time.perf_counter() - started
    created = count_rows(session)
    assert [a - b for a, b in zip(created, before)] == [
        size['customers'], size['contact_mechanisms']], created

    value = len(rows) / orm_seconds
    reference_value = len(rows) / raw_seconds
    common.progress('ORM %.0f/s (%.0f s), executemany %.0f/s (%.1f s)' % (
            value, orm_seconds, reference_value, raw_seconds))
    return common.result(TASK, session.database.backend, size, value,
        'customers/s', 'executemany INSERT of the same rows (party_party, '
        'party_contact_mechanism), same batches and commits',
        reference_value, 'higher', runs=1,
        note='one run per path (%d-customer batches, a commit each): '
        'ORM %.1f s, executemany %.1f s' % (batch, orm_seconds,
            raw_seconds)), orm_ids


def main(argv=None):
    parser = common.argument_parser(__doc__.splitlines()[0])
    parser.add_argument('--keep', action='store_true',
        help="keep a new database (print its --conf/--db)")
    options = parser.parse_args(argv)
    database = common.BenchDatabase.from_options(options)
    created = not options.conf
    if created:
        common.progress('creating %s database' % database.backend)
        database.create()
    try:
        common.progress('generating %d customers' % options.customers)
        rows = common.customers(options.customers)
        session = common.Session(database).prepare()
        entry, _ = run(session, rows, options.batch)
        common.report([entry], not options.no_write, TASK)
    finally:
        if created and not options.keep:
            database.drop()
        elif created:
            print(' '.join(database.args()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
