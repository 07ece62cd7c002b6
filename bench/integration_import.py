"""integration_import: a sales system's whole import, end to end.

value      rows per second of crm_integration's import of a stand-in
           sales system (addons/crm_integration/tests/standin.py) holding
           --customers (100,000) customers, --products (2,000) products
           and orders of 2 lines each, --lines (500,000) lines in all,
           served over real HTTP on 127.0.0.1 by a process of its own,
           1,000 records a page: ``Job.plan`` + ``Job.process`` as the
           queue worker runs them (customers, products, then orders;
           every page read, mapped, applied, counted and committed, a
           transaction commit per page); rows = customers + order lines
           read;
reference  the raw insert rate of the same rows on the same database:
           the party_party, party_contact_mechanism and crm_purchase rows
           our import wrote (every column, as stored) are taken out of
           the database, ours deleted (PostgreSQL: ``VACUUM ANALYZE``),
           and the same rows put back with ``COPY ... FROM STDIN``
           (psycopg 3 ``cursor.copy``, trytond 8's driver; SQLite:
           ``executemany`` INSERT),
           in batches of 1,000 customers (with their contact mechanisms)
           and of 2,000 purchase lines, each batch committed; rows =
           customers + lines, per second.

The import runs first, the reference after it (outside the import's
clock: taking the rows out, deleting them); the rows keep their ids, so
the reference reserves none.  The reference writes no links, no sync
jobs, no products, no duplicates and no data quality: only the rows.
The task fails unless every job is done with no failed row, the links
name customers - merged distinct parties, and --lines purchase lines of
the system are stored.  One run per path per database.

    python bench/integration_import.py --database sqlite --customers 10000 \\
        --lines 50000
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402

TASK = 'integration_import'
MODULES = ['crm_integration']
CODE = 'BENCH'
PAGE_SIZE = 1000
LINES_PER_ORDER = 2
SEED = 1
PARTY_BATCH = 1000
LINE_BATCH = PARTY_BATCH * LINES_PER_ORDER


# -- the stand-in system, in a process of its own -----------------------------

def serve(customers, lines, products):
    "Child process: generate, serve, print the URL and counts, wait."
    from trytond.modules.crm_integration.tests import standin
    orders = lines / LINES_PER_ORDER
    data = standin.generate(customers=customers,
        orders_per_customer=orders / customers,
        lines_per_order=LINES_PER_ORDER, products=products, seed=SEED,
        visits=0, tasks=0)
    server = standin.StandIn(data, token='s3cret-token',
        page_size=PAGE_SIZE).start()
    print(json.dumps({'url': server.url,
                'customers': len(data['customers']),
                'products': len(data['products']),
                'orders': len(data['orders']),
                'lines': sum(len(o['lines']) for o in data['orders'])}),
        flush=True)
    sys.stdin.read()
    server.stop()


class StandInProcess:
    def __init__(self, customers, lines, products):
        self.args = [str(customers), str(lines), str(products)]

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), '--serve',
                *self.args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit('the stand-in server did not start')
        self.info = json.loads(line)
        return self.info

    def __exit__(self, *exc_info):
        self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return False


# -- ours ---------------------------------------------------------------------

def create_system(session, url):
    pool = session.pool
    System = pool.get('crm.integration.system')
    with session.transaction() as transaction:
        system, = System.create([{
                    'name': 'Bench Sales', 'code': CODE, 'kind': 'sales',
                    'transport': 'rest', 'endpoint': url,
                    'secret': 's3cret-token', 'page_size': PAGE_SIZE,
                    'company': transaction.context['company'],
                    }])
        transaction.commit()
        return system.id


def import_all(session, system_id):
    """Plan and process the jobs as the queue worker does: a commit after
    every page; return the jobs' figures."""
    pool = session.pool
    Job = pool.get('crm.integration.job')
    System = pool.get('crm.integration.system')
    with session.transaction() as transaction:
        jobs = Job.plan([System(system_id)], 'import')
        transaction.commit()
        Job.process(jobs)
        transaction.commit()
        job_ids = [j.id for j in jobs]
    with session.transaction(readonly=True):
        return [{'record_type': j.record_type, 'state': j.state,
                'rows_read': j.rows_read, 'created': j.created,
                'merged': j.merged, 'updated': j.updated,
                'skipped': j.skipped, 'failed': j.failed,
                'pages': j.pages, 'duration': j.duration,
                'message': j.message}
            for j in Job.browse(job_ids)]


def check(session, system_id, jobs, info):
    "Fail loudly unless everything arrived; (party ids, purchase ids)."
    problems = []
    for job in jobs:
        if job['state'] != 'done' or job['failed']:
            problems.append('job %(record_type)s: %(state)s, %(failed)s '
                'failed, %(message)s' % job)
    by_type = {j['record_type']: j for j in jobs}
    customers = by_type.get('customer', {})
    if customers.get('rows_read') != info['customers']:
        problems.append('customers read %s, served %s' % (
                customers.get('rows_read'), info['customers']))
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT COUNT(*), COUNT(DISTINCT record_id) '
            'FROM crm_integration_link WHERE system = %d '
            'AND record_type = \'customer\'' % system_id)
        links, parties = cursor.fetchone()
        cursor.execute('SELECT DISTINCT record_id FROM crm_integration_link '
            'WHERE system = %d AND record_type = \'customer\' '
            'ORDER BY record_id' % system_id)
        party_ids = [i for i, in cursor]
        cursor.execute('SELECT id FROM crm_purchase '
            'WHERE external_id LIKE \'%s:%%\' ORDER BY id' % CODE)
        purchase_ids = [i for i, in cursor]
    expected = info['customers'] - (customers.get('merged') or 0)
    if links != info['customers'] or parties != expected:
        problems.append('%d links to %d parties, expected %d to %d' % (
                links, parties, info['customers'], expected))
    if len(purchase_ids) != info['lines']:
        problems.append('%d purchase lines, expected %d' % (
                len(purchase_ids), info['lines']))
    if problems:
        raise SystemExit('integration_import FAILED: ' + '; '.join(problems))
    return party_ids, purchase_ids


# -- reference ----------------------------------------------------------------

def columns(cursor, table, backend):
    if backend == 'postgresql':
        cursor.execute('SELECT column_name FROM information_schema.columns '
            'WHERE table_name = %s ORDER BY ordinal_position', (table,))
        return [c for c, in cursor]
    cursor.execute('PRAGMA table_info("%s")' % table)
    return [row[1] for row in cursor]


TABLES = [('party_party', 'id'), ('party_contact_mechanism', 'party'),
    ('crm_purchase', 'id')]


def take_rows(session, party_ids, purchase_ids):
    """The rows of ours, batch by batch: [[(table, columns, data)]] with
    data COPY text (PostgreSQL) or tuples (SQLite)."""
    backend = session.database.backend
    batches = []
    with session.transaction(readonly=True) as transaction:
        connection = transaction.connection
        cursor = connection.cursor()
        names = {t: columns(cursor, t, backend) for t, _ in TABLES}
        work = [[('party_party', 'id', ids),
                ('party_contact_mechanism', 'party', ids)]
            for ids in common.batches(party_ids, PARTY_BATCH)]
        work += [[('crm_purchase', 'id', ids)]
            for ids in common.batches(purchase_ids, LINE_BATCH)]
        for batch in work:
            parts = []
            for table, key, ids in batch:
                cols = ', '.join('"%s"' % c for c in names[table])
                select = 'SELECT %s FROM "%s" WHERE "%s" BETWEEN %d AND %d' \
                    ' ORDER BY id' % (cols, table, key, ids[0], ids[-1])
                if backend == 'postgresql':
                    with cursor.copy('COPY (%s) TO STDOUT' % select) as copy:
                        data = b''.join(bytes(b) for b in copy)
                else:
                    cursor.execute(select)
                    data = cursor.fetchall()
                parts.append((table, names[table], data))
            batches.append(parts)
    return batches


def count_rows(session, party_ids, purchase_ids):
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        result = []
        for table, key in TABLES:
            low, high = ((party_ids[0], party_ids[-1])
                if table != 'crm_purchase'
                else (purchase_ids[0], purchase_ids[-1]))
            cursor.execute('SELECT COUNT(*) FROM "%s" WHERE "%s" BETWEEN '
                '%d AND %d' % (table, key, low, high))
            result.append(cursor.fetchone()[0])
        return result


def delete_ours(session, party_ids, purchase_ids):
    "Delete the rows the reference puts back, and what refers to them."
    backend = session.database.backend
    with session.transaction() as transaction:
        cursor = transaction.connection.cursor()
        if backend == 'postgresql':
            # party_party.replaced_by (ON DELETE SET NULL) has no index:
            # each deleted party would scan the whole table
            cursor.execute('CREATE INDEX bench_replaced_by '
                'ON party_party (replaced_by)')
        low, high = party_ids[0], party_ids[-1]
        cursor.execute('DELETE FROM crm_purchase WHERE id BETWEEN %d AND %d'
            % (purchase_ids[0], purchase_ids[-1]))
        cursor.execute('DELETE FROM crm_duplicate WHERE party BETWEEN '
            '%d AND %d OR other BETWEEN %d AND %d' % (low, high, low, high))
        cursor.execute('DELETE FROM party_contact_mechanism WHERE party '
            'BETWEEN %d AND %d' % (low, high))
        cursor.execute('DELETE FROM party_party WHERE id BETWEEN %d AND %d'
            % (low, high))
        if backend == 'postgresql':
            cursor.execute('DROP INDEX bench_replaced_by')
        transaction.commit()
    common.vacuum(session)


def put_back(session, batches):
    "The reference: COPY / executemany of every batch, a commit each."
    backend = session.database.backend
    param = '%s' if backend == 'postgresql' else '?'
    started = time.perf_counter()
    for parts in batches:
        with session.transaction() as transaction:
            cursor = transaction.connection.cursor()
            for table, names, data in parts:
                cols = ', '.join('"%s"' % c for c in names)
                if backend == 'postgresql':
                    with cursor.copy('COPY "%s" (%s) FROM STDIN'
                            % (table, cols)) as copy:
                        copy.write(data)
                else:
                    cursor.executemany('INSERT INTO "%s" (%s) VALUES (%s)'
                        % (table, cols, ', '.join([param] * len(names))),
                        data)
            transaction.commit()
    return time.perf_counter() - started


# -- the task -----------------------------------------------------------------

def run(session, options):
    backend = session.database.backend
    common.progress('stand-in: generating %d customers, %d lines, %d '
        'products' % (options.customers, options.lines, options.products))
    with StandInProcess(options.customers, options.lines,
            options.products) as info:
        common.progress('stand-in at %(url)s: %(customers)d customers, '
            '%(products)d products, %(orders)d orders, %(lines)d lines'
            % info)
        system_id = create_system(session, info['url'])
        common.progress('import: Job.plan + Job.process')
        started = time.perf_counter()
        jobs = import_all(session, system_id)
        seconds = time.perf_counter() - started
    rss = common.peak_rss_mb()
    for job in jobs:
        common.progress('  %(record_type)s: %(state)s, read %(rows_read)s, '
            'created %(created)s, merged %(merged)s, failed %(failed)s, '
            '%(duration)s s' % job)
    party_ids, purchase_ids = check(session, system_id, jobs, info)
    rows = info['customers'] + info['lines']
    value = rows / seconds
    common.progress('import: %.1f s, %.0f rows/s' % (seconds, value))

    common.progress('reference: taking %d parties and %d purchase lines '
        'out' % (len(party_ids), len(purchase_ids)))
    batches = take_rows(session, party_ids, purchase_ids)
    stored = count_rows(session, party_ids, purchase_ids)
    delete_ours(session, party_ids, purchase_ids)
    assert count_rows(session, party_ids, purchase_ids) == [0, 0, 0]
    common.progress('reference: %s of %d rows' % (
            'COPY' if backend == 'postgresql' else 'executemany', sum(stored)))
    raw_seconds = put_back(session, batches)
    assert count_rows(session, party_ids, purchase_ids) == stored, stored
    # the reference's rows: the same customers + lines as ours
    reference_value = (len(party_ids) + len(purchase_ids)) / raw_seconds
    common.progress('reference: %.1f s, %.0f rows/s' % (
            raw_seconds, reference_value))
    by_type = {j['record_type']: j for j in jobs}
    merged = by_type['customer']['merged']
    entry = common.result(TASK, backend, {
            'customers': info['customers'], 'orders': info['orders'],
            'lines': info['lines'], 'products': info['products'],
            'rows': rows, 'contact_mechanisms': stored[1]},
        value, 'rows/s',
        'COPY FROM STDIN (psycopg 3 cursor.copy; SQLite: executemany '
        'INSERT) of the same party_party, party_contact_mechanism and '
        'crm_purchase rows, batches of 1,000 customers / 2,000 lines, a '
        'commit each',
        reference_value, 'higher', runs=1,
        note='rows = customers + order lines read; one run per path. '
        'Ours: Job.plan + Job.process of the customer, product and order '
        'jobs against the stand-in over HTTP (own process), pages of %d, '
        'a commit per page: %.1f s (customers %.1f s, products %.1f s, '
        'orders %.1f s by the jobs\' durations), %d created, %d merged, '
        '%d products created. Reference: the %d rows of the 3 tables '
        'as ours stored them, put back after deleting ours: %.1f s. '
        'peak_rss_mb: the importing process at the end of the import (the '
        'stand-in has its own); reference_peak_rss_mb: after the reference, '
        'holding the rows it inserts'
        % (PAGE_SIZE, seconds, by_type['customer']['duration'],
            by_type['product']['duration'], by_type['order']['duration'],
            by_type['customer']['created'], merged,
            by_type['product']['created'], sum(stored), raw_seconds),
        extra={'seconds': seconds, 'reference_seconds': raw_seconds,
            'reference_peak_rss_mb': common.peak_rss_mb()})
    # the import's peak; the process grows after it holding the rows the
    # reference puts back
    entry['peak_rss_mb'] = rss
    return entry


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['--serve']:
        serve(*(int(a) for a in argv[1:4]))
        return 0
    parser = common.argument_parser(__doc__.splitlines()[0],
        customers=False)
    parser.add_argument('--customers', type=int, default=100000)
    parser.add_argument('--lines', type=int, default=500000,
        help="order lines (2 per order)")
    parser.add_argument('--products', type=int, default=2000)
    options = parser.parse_args(argv)
    return common.run_task(TASK, options, MODULES,
        lambda session: run(session, options))


if __name__ == '__main__':
    sys.exit(main())
