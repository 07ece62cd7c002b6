"""core_duplicate_scan: the duplicate scan over every demo customer.

value      seconds of ``crm.duplicate|scan_all`` run as trytond-cron runs
           it (user 0, its context), on an empty crm_duplicate table: it
           finds every pair of active customers sharing a phone, an e-mail
           or (organisations) a name key and records each pair with its
           reasons and score;
reference  one hand-written SQL query doing the same grouping over the
           same stored keys (self-joins, GROUP BY pair), the reasons and
           scores computed in Python with crm_core's engine, the rows
           written with ``executemany`` into the same crm_duplicate table.

Both run in one transaction each that is rolled back, so the runs see
the same database; the figures are medians of --runs runs.  The pairs
the scan records must be the reference's pairs, with the same reasons,
and as many as creating the customers had already recorded.  The
database is the one core_bulk_create filled (bench/run.py passes it with
--conf/--db); alone, this script fills a new one through the ORM first.

    python bench/core_duplicate_scan.py --database sqlite --customers 2000
"""
import datetime as dt
import json
import statistics
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402

TASK = 'core_duplicate_scan'
CRON_CONTEXT = {'_skip_warnings': True, '_cron': 'crm.duplicate|scan_all'}
PAIRS_SQL = '''
SELECT party, other, MAX(phone), MAX(email), MAX(name) FROM (
    SELECT a.party AS party, b.party AS other,
        CASE WHEN SUBSTR(a.dedup_key, 1, 1) = 'p' THEN 1 ELSE 0 END
            AS phone,
        CASE WHEN SUBSTR(a.dedup_key, 1, 1) = 'e' THEN 1 ELSE 0 END
            AS email,
        0 AS name
    FROM party_contact_mechanism AS a
    JOIN party_contact_mechanism AS b
        ON a.dedup_key = b.dedup_key AND a.party < b.party
    JOIN party_party AS pa ON pa.id = a.party
    JOIN party_party AS pb ON pb.id = b.party
    WHERE a.active AND b.active AND pa.active AND pb.active
        AND a.dedup_key IS NOT NULL
    UNION ALL
    SELECT pa.id, pb.id, 0, 0, 1
    FROM party_party AS pa
    JOIN party_party AS pb ON pa.name_key = pb.name_key AND pa.id < pb.id
    WHERE pa.active AND pb.active AND pa.name_key IS NOT NULL
        AND pa.customer_type = 'organisation'
        AND pb.customer_type = 'organisation'
    ) AS pairs
GROUP BY party, other
'''
INSERT_COLUMNS = ['create_uid', 'create_date', 'party', 'other', 'reasons',
    'score', 'state']


def clear(cursor):
    cursor.execute('DELETE FROM crm_duplicate')


def count(cursor):
    cursor.execute('SELECT COUNT(*) FROM crm_duplicate')
    return cursor.fetchone()[0]


def recorded(cursor):
    "{(party, other): reasons} of crm_duplicate."
    cursor.execute('SELECT party, other, reasons FROM crm_duplicate')
    # a JSON column on PostgreSQL, its text on SQLite
    return {(p, o): tuple(json.loads(r) if isinstance(r, str) else r)
        for p, o, r in cursor}


def orm_scan(session, empty=True):
    """Seconds of the cron's scan, the pairs it recorded; rolled back."""
    Duplicate = session.pool.get('crm.duplicate')
    with session.transaction(user=0, context=CRON_CONTEXT) as transaction:
        cursor = transaction.connection.cursor()
        if empty:
            clear(cursor)
        before = count(cursor)
        started = time.perf_counter()
        Duplicate.scan_all()
        seconds = time.perf_counter() - started
        new = count(cursor) - before
        pairs = recorded(cursor)
        transaction.rollback()
    return seconds, new, pairs


def reference_scan(session):
    """Seconds of the raw query and executemany, the pairs; rolled back."""
    from sql import Flavor

    from trytond.modules.crm_core.engine.dedup import match_score
    reasons_field = session.pool.get('crm.duplicate')._fields['reasons']
    param = Flavor.get().param
    insert = 'INSERT INTO crm_duplicate (%s) VALUES (%s)' % (
        ', '.join('"%s"' % c for c in INSERT_COLUMNS),
        ', '.join([param] * len(INSERT_COLUMNS)))
    with session.transaction(user=0) as transaction:
        cursor = transaction.connection.cursor()
        clear(cursor)
        started = time.perf_counter()
        cursor.execute(PAIRS_SQL)
        now = dt.datetime.now()
        rows = []
        for party, other, phone, email, name in cursor.fetchall():
            reasons = sorted(r for r, found in [('email', email),
                        ('name', name), ('phone', phone)] if found)
            rows.append((0, now, party, other,
                    reasons_field.sql_format(reasons),
                    round(match_score(reasons), 2), 'open'))
        cursor.executemany(insert, rows)
        seconds = time.perf_counter() - started
        pairs = recorded(cursor)
        transaction.rollback()
    return seconds, len(rows), pairs


def database_size(session):
    "Parties, contact mechanisms, pairs recorded while creating them."
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        result = []
        for table in ['party_party', 'party_contact_mechanism',
                'crm_duplicate']:
            cursor.execute('SELECT COUNT(*) FROM %s' % table)
            result.append(cursor.fetchone()[0])
    return result


def run(session, customers, runs):
    parties, mechanisms, at_create = database_size(session)
    assert parties >= customers, (parties, customers)
    common.progress('%d parties, %d contact mechanisms, %d pairs recorded '
        'when they were created' % (parties, mechanisms, at_create))
    orm_times, reference_times = [], []
    for number in range(runs):
        seconds, reference_count, reference_pairs = reference_scan(session)
        reference_times.append(seconds)
        common.progress('reference %d: %d pairs in %.2f s' % (
                number + 1, reference_count, seconds))
        seconds, orm_count, orm_pairs = orm_scan(session)
        orm_times.append(seconds)
        common.progress('scan_all %d: %d pairs in %.2f s' % (
                number + 1, orm_count, seconds))
        # a benchmark that finds nothing, or other pairs, is meaningless
        assert orm_count > 0, "no duplicates found"
        assert orm_count == reference_count, (orm_count, reference_count)
        assert orm_pairs == reference_pairs, "pairs or reasons differ"
    rescan, rescan_new, _ = orm_scan(session, empty=False)
    assert rescan_new == 0, rescan_new
    value = statistics.median(orm_times)
    reference_value = statistics.median(reference_times)
    size = {'customers': customers, 'contact_mechanisms': mechanisms,
        'pairs': orm_count}
    if at_create == orm_count:
        at_create = 'as many as were recorded while creating the customers'
    else:
        at_create = ('but creating the customers had recorded %d'
            % at_create)
    return common.result(TASK, session.database.backend, size, value, 's',
        'one SQL query (self-joins on the same keys, GROUP BY pair) + '
        'executemany INSERT into crm_duplicate', reference_value, 'lower',
        runs=runs, note='scan on an emptied crm_duplicate table, each run '
        'rolled back; %d pairs, the same as the reference\'s, %s; a scan '
        'that finds every pair already known takes %.1f s' % (
            orm_count, at_create, rescan))


def main(argv=None):
    parser = common.argument_parser(__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=3)
    options = parser.parse_args(argv)
    database = common.BenchDatabase.from_options(options)
    created = not options.conf
    if created:
        common.progress('creating %s database' % database.backend)
        database.create()
    try:
        session = common.Session(database).prepare()
        if created:
            import core_bulk_create
            common.progress('creating %d customers through the ORM'
                % options.customers)
            core_bulk_create.orm_create(session,
                common.customers(options.customers), options.batch)
        entry = run(session, options.customers, options.runs)
        common.report([entry], not options.no_write, TASK)
    finally:
        if created:
            database.drop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
