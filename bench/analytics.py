"""The shared part of the crm_analytics benchmarks (analytics_*.py).

Each of the four tasks (analytics_rfm, analytics_contribution,
analytics_product_pairs, analytics_clv) is a script of its own, run in a
process of its own by bench/run.py on one database with crm_analytics
activated.  The first of them fills the database; the others find the
purchases there (a task run alone on a new database fills it first).

The data set, generated with numpy from --seed before any clock and
loaded by bulk SQL (PostgreSQL: ``COPY``, SQLite: ``executemany``):

- --customers (100,000) parties, minimal rows (code, name, type, stage);
- --products (2,000) products (product_template + product_product) with
  a log-normal list price; popularity follows Zipf's law (weight 1/rank)
  over a shuffled order, and 300 of the 600 most popular products have a
  complement that is bought with them in 40 % of the baskets holding
  them and another line;
- --lines (10 per customer: 1,000,000) crm_purchase lines over three
  years (2023-07-01 to 2026-06-30): each customer arrives on a day drawn
  uniformly over the period, buys at a rate drawn from Gamma(r=0.9,
  alpha=40 days) and, after each purchase, drops out with a probability
  drawn from Beta(1.2, 8) (the BG/NBD story); a basket is one customer's
  purchase day, with 1 line plus a share of the remaining lines drawn at
  random; a line's amount is its product's price x quantity (1-3) x the
  customer's spend level (Gamma(4, 1/4), mean 1) x Gamma(8, 1/8) noise.

Measures: wall-clock seconds (median of --runs) and the peak resident
memory of each path, read from the kernel's high-water mark (VmHWM in
/proc/self/status, reset by writing 5 to /proc/self/clear_refs before
the path runs), so ours and the references, measured in one process,
each get their own peak; it includes what the process held before (the
Tryton pool, about 150-200 MB).  The PostgreSQL server's memory is not
counted.
"""
import datetime as dt
import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402

MODULES = ['crm_analytics']
TASKS = ['analytics_rfm', 'analytics_contribution', 'analytics_product_pairs',
    'analytics_clv']
SEED = 1
START = dt.date(2023, 7, 1)
END = common.END_DATE  # 2026-06-30
EPOCH = dt.date(1970, 1, 1)
# BG/NBD-like buying per day and dropout after each purchase
RATE_SHAPE, RATE_SCALE_DAYS = 0.9, 40.0
DROPOUT_A, DROPOUT_B = 1.2, 8.0
LINES_PER_CUSTOMER = 10
ZIPF = 1.0
COMPLEMENTS, COMPLEMENT_AMONG, COMPLEMENT_SHARE = 300, 600, 0.4
BATCH = 100000


# -- command line -------------------------------------------------------------

def argument_parser(description, runs=3):
    parser = common.argument_parser(description, customers=False)
    parser.add_argument('--customers', type=int, default=100000)
    parser.add_argument('--lines', type=int,
        help="purchase lines (default: %d per customer)"
        % LINES_PER_CUSTOMER)
    parser.add_argument('--products', type=int, default=2000)
    parser.add_argument('--seed', type=int, default=SEED)
    parser.add_argument('--runs', type=int, default=runs,
        help="runs of each path behind the medians")
    return parser


def main(task, description, measure, argv=None, runs=3, parser=None):
    """Parse the options, open (or create and fill) the database, call
    measure(session, options, data) and report its result object."""
    parser = parser or argument_parser(description, runs)
    options = parser.parse_args(argv)
    if options.lines is None:
        options.lines = LINES_PER_CUSTOMER * options.customers

    def run(session):
        return measure(session, options, ensure_data(session, options))
    return common.run_task(task, options, MODULES, run)


# -- memory -------------------------------------------------------------------

class Peak:
    """The peak resident memory (MB) of the process while in the block:
    the kernel's high-water mark, reset on entry."""

    def __init__(self):
        self.mb = None

    def __enter__(self):
        gc.collect()
        try:
            with open('/proc/self/clear_refs', 'w') as file:
                file.write('5')
            self._reset = True
        except OSError:
            self._reset = False
        return self

    def __exit__(self, *exc):
        if self._reset:
            with open('/proc/self/status') as file:
                for line in file:
                    if line.startswith('VmHWM:'):
                        self.mb = round(int(line.split()[1]) / 1024)
        else:
            self.mb = common.peak_rss_mb()
        return False


def measure(function, runs):
    """(median seconds, max peak MB, result of the last run) of runs calls
    of function()."""
    times, peaks, result = [], [], None
    for _ in range(runs):
        with Peak() as peak:
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        peaks.append(peak.mb)
    times.sort()
    return times[len(times) // 2], max(peaks), result


# -- the data set -------------------------------------------------------------

def purchase_days(rng, customers, days, lines_per_customer):
    """(customer, day) of every purchase day, sorted: BG/NBD buying."""
    import numpy as np
    scale = RATE_SCALE_DAYS * LINES_PER_CUSTOMER / lines_per_customer
    arrival = rng.integers(0, days, customers).astype(float)
    rate = rng.gamma(RATE_SHAPE, 1 / scale, customers)
    dropout = rng.beta(DROPOUT_A, DROPOUT_B, customers)
    who, when = [np.arange(customers)], [arrival]
    alive, now = np.arange(customers), arrival
    while len(alive):
        # after each purchase, a customer leaves with its probability
        stay = rng.random(len(alive)) >= dropout[alive]
        alive, now = alive[stay], now[stay]
        now = now + rng.exponential(1 / rate[alive])
        inside = now < days
        alive, now = alive[inside], now[inside]
        who.append(alive)
        when.append(now)
    key = np.unique(np.concatenate(who) * days
        + np.floor(np.concatenate(when)).astype(np.int64))
    return key // days, key % days


def generate(customers, lines, products, seed=SEED):
    """The purchase lines as numpy arrays: customer and product indexes,
    day (0 = START), quantity, amount; and the products' prices."""
    import numpy as np
    rng = np.random.default_rng(seed)
    days = (END - START).days + 1
    basket_customer, basket_day = purchase_days(rng, customers, days,
        lines / customers)
    count = len(basket_customer)
    if count > 0.9 * lines:
        keep = np.sort(rng.choice(count, int(0.9 * lines), replace=False))
        basket_customer, basket_day = basket_customer[keep], basket_day[keep]
        count = len(keep)
    sizes = 1 + np.bincount(rng.integers(0, count, lines - count),
        minlength=count)
    basket = np.repeat(np.arange(count), sizes)
    position = np.arange(lines) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    # Zipf popularity over a shuffled order of the products
    by_rank = rng.permutation(products)
    weight = np.empty(products)
    weight[by_rank] = 1 / np.arange(1, products + 1) ** ZIPF
    product = rng.choice(products, lines, p=weight / weight.sum())
    # complements: bought after their product in a share of the baskets
    partner = np.full(products, -1)
    anchors = rng.choice(by_rank[:COMPLEMENT_AMONG], COMPLEMENTS,
        replace=False)
    partner[anchors] = (anchors + rng.integers(1, products, COMPLEMENTS)
        ) % products
    previous = np.concatenate([[0], product[:-1]])
    paired = ((position > 0) & (partner[previous] >= 0)
        & (rng.random(lines) < COMPLEMENT_SHARE))
    product = np.where(paired, partner[previous], product)
    price = np.round(rng.lognormal(np.log(60), 0.8, products), 2)
    spend = rng.gamma(4.0, 1 / 4.0, customers)
    quantity = rng.choice([1, 2, 3], lines, p=[0.8, 0.15, 0.05])
    customer = basket_customer[basket]
    amount = np.maximum(np.round(price[product] * quantity
            * spend[customer] * rng.gamma(8.0, 1 / 8.0, lines), 2), 0.01)
    return {
        'customer': customer, 'day': basket_day[basket],
        'product': product, 'quantity': quantity, 'amount': amount,
        'price': price, 'baskets': count, 'paired': int(paired.sum()),
        }


def reserve_ids(cursor, backend, table, count):
    "The first of count new ids of table (its sequence moved past them)."
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM "%s"' % table)
    first = cursor.fetchone()[0] + 1
    if backend == 'postgresql':
        cursor.execute("SELECT setval('%s_id_seq', %d)"
            % (table, first + count - 1))
    return first


def insert_sql(table, columns):
    from sql import Flavor
    param = Flavor.get().param
    return 'INSERT INTO "%s" (%s) VALUES (%s)' % (table,
        ', '.join('"%s"' % c for c in columns),
        ', '.join([param] * len(columns)))


def bulk_insert(cursor, backend, table, columns, rows):
    """rows (a list of tuples) by COPY on PostgreSQL, executemany on
    SQLite."""
    if backend == 'postgresql':
        with cursor.copy('COPY "%s" (%s) FROM STDIN' % (table,
                    ', '.join('"%s"' % c for c in columns))) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(insert_sql(table, columns), rows)


PARTY_COLUMNS = ['id', 'create_uid', 'create_date', 'name', 'code',
    'code_alnum', 'active', 'customer_type', 'lifecycle_stage',
    'data_quality', 'segment_manual', 'value_tier_manual']
TEMPLATE_COLUMNS = ['id', 'create_uid', 'create_date', 'name', 'code',
    'type', 'default_uom', 'active', 'consumable']
PRODUCT_COLUMNS = ['id', 'create_uid', 'create_date', 'template', 'code',
    'active']
PURCHASE_COLUMNS = ['id', 'create_uid', 'create_date', 'company', 'party',
    'date', 'product', 'quantity', 'amount', 'currency']


def load(session, data, customers, products):
    """Insert the parties, products and purchase lines; committed in
    batches; return (party ids, product ids) by index."""
    import numpy as np
    backend = session.database.backend
    now = dt.datetime.now()
    with session.transaction() as transaction:
        cursor = transaction.connection.cursor()
        user = transaction.user
        company = transaction.context['company']
        cursor.execute('SELECT currency FROM company_company WHERE id = %d'
            % company)
        currency, = cursor.fetchone()
        cursor.execute("SELECT db_id FROM ir_model_data "
            "WHERE module = 'product' AND fs_id = 'uom_unit'")
        unit, = cursor.fetchone()
        first_party = reserve_ids(cursor, backend, 'party_party', customers)
        bulk_insert(cursor, backend, 'party_party', PARTY_COLUMNS, [
                (first_party + i, user, now, 'Customer %06d' % (i + 1),
                    'AN%06d' % (i + 1), 'AN%06d' % (i + 1), True, 'person',
                    'active', 'incomplete', False, False)
                for i in range(customers)])
        first_template = reserve_ids(cursor, backend, 'product_template',
            products)
        bulk_insert(cursor, backend, 'product_template', TEMPLATE_COLUMNS, [
                (first_template + i, user, now, 'Product %04d' % (i + 1),
                    'P%04d' % (i + 1), 'goods', unit, True, False)
                for i in range(products)])
        first_product = reserve_ids(cursor, backend, 'product_product',
            products)
        bulk_insert(cursor, backend, 'product_product', PRODUCT_COLUMNS, [
                (first_product + i, user, now, first_template + i,
                    'P%04d' % (i + 1), True)
                for i in range(products)])
        first_line = reserve_ids(cursor, backend, 'crm_purchase',
            len(data['day']))
        transaction.commit()
    # lines in the order they happened: by day, then customer
    order = np.lexsort((data['customer'], data['day']))
    dates = np.array([START + dt.timedelta(days=int(d))
            for d in range((END - START).days + 1)], dtype=object)
    party_ids = first_party + np.arange(customers)
    product_ids = first_product + np.arange(products)
    columns = [first_line + np.arange(len(order)),
        party_ids[data['customer'][order]], dates[data['day'][order]],
        product_ids[data['product'][order]],
        data['quantity'][order].astype(float), data['amount'][order]]
    for start in range(0, len(order), BATCH):
        chunk = [c[start:start + BATCH].tolist() for c in columns]
        rows = [(i, user, now, company, p, d, g, q, a, currency)
            for i, p, d, g, q, a in zip(*chunk)]
        with session.transaction() as transaction:
            bulk_insert(transaction.connection.cursor(), backend,
                'crm_purchase', PURCHASE_COLUMNS, rows)
            transaction.commit()
        common.progress('%d purchase lines' % (start + len(rows)))
    maintenance(session)
    return party_ids, product_ids


def maintenance(session):
    "Fresh statistics (PostgreSQL: VACUUM ANALYZE; SQLite: ANALYZE)."
    if session.database.backend == 'postgresql':
        common.vacuum(session)
        return
    with session.transaction() as transaction:
        transaction.connection.cursor().execute('ANALYZE')
        transaction.commit()


def counts(session):
    "{table: rows} of the data set's tables."
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        result = {}
        for name, query in [
                ('customers', "SELECT COUNT(*) FROM party_party "
                    "WHERE code LIKE 'AN%'"),
                ('products', 'SELECT COUNT(*) FROM product_product'),
                ('lines', 'SELECT COUNT(*) FROM crm_purchase'),
                ('baskets', 'SELECT COUNT(*) FROM (SELECT DISTINCT party, '
                    'date FROM crm_purchase) AS b'),
                ]:
            cursor.execute(query)
            result[name] = cursor.fetchone()[0]
    return result


def ensure_data(session, options):
    """Generate and load the data set unless the database has purchases
    already (an earlier task of the group loaded them); return its
    size."""
    found = counts(session)
    if not found['lines']:
        common.progress('generating %d lines of %d customers over %d '
            'products' % (options.lines, options.customers,
                options.products))
        started = time.perf_counter()
        data = generate(options.customers, options.lines, options.products,
            options.seed)
        common.progress('generated in %.1f s (%d baskets); loading' % (
                time.perf_counter() - started, data['baskets']))
        started = time.perf_counter()
        load(session, data, options.customers, options.products)
        common.progress('loaded in %.1f s' % (time.perf_counter() - started))
        del data
        gc.collect()
        found = counts(session)
    assert found['lines'] == options.lines, (found, options.lines)
    return found


def size(data):
    return {'customers': data['customers'], 'products': data['products'],
        'lines': data['lines'], 'baskets': data['baskets']}


# -- running an analysis ------------------------------------------------------

def company(session):
    return session.context['company']


def queue_run(session, kind, **values):
    """Create a run of kind over the whole period and queue it as the Run
    button does (committed); return its id."""
    Run = session.pool.get('crm.analytics.run')
    with session.transaction() as transaction:
        run, = Run.create([dict({'kind': kind,
                        'company': company(session),
                        'start_date': START, 'end_date': END,
                        'write_back': False}, **values)])
        Run.run([run])
        transaction.commit()
        return run.id


def process_run(session, run_id):
    """Run.process of the queued run as the queue worker does, committed;
    return the seconds (with the commit)."""
    Run = session.pool.get('crm.analytics.run')
    with session.transaction() as transaction:
        started = time.perf_counter()
        Run.process([Run(run_id)])
        transaction.commit()
        seconds = time.perf_counter() - started
    with session.transaction(readonly=True):
        run = Run(run_id)
        assert run.state == 'done', run.message
    return seconds


def delete_run(session, run_id):
    "Delete a run and its results (outside the clock)."
    with session.transaction() as transaction:
        cursor = transaction.connection.cursor()
        for table in ['crm_analytics_suggestion', 'crm_analytics_pair',
                'crm_analytics_rfm', 'crm_analytics_clv']:
            cursor.execute('DELETE FROM "%s" WHERE run = %d'
                % (table, run_id))
        cursor.execute('DELETE FROM crm_analytics_run WHERE id = %d'
            % run_id)
        transaction.commit()


def analyse(session, kind, runs, keep_last=True, **values):
    """Run the analysis runs times, each on a new run whose results of
    the earlier runs are deleted first; return (median seconds, max peak
    MB, id of the last run, its seconds)."""
    times, peaks, run_id = [], [], None
    for number in range(runs):
        if run_id is not None:
            delete_run(session, run_id)
        run_id = queue_run(session, kind, **values)
        with Peak() as peak:
            times.append(process_run(session, run_id))
        peaks.append(peak.mb)
        common.progress('%s run %d: %.2f s, peak %s MB' % (
                kind, number + 1, times[-1], peak.mb))
    if not keep_last:
        delete_run(session, run_id)
    ordered = sorted(times)
    return ordered[len(ordered) // 2], max(peaks), run_id, times


class Stopwatch:
    """Records the seconds of each call of functions of a module, by
    name, leaving them working as before; restore() puts them back."""

    def __init__(self, module, names):
        self.module = module
        self.calls = {n: [] for n in names}
        self.originals = {n: getattr(module, n) for n in names}
        for name, original in self.originals.items():
            setattr(module, name, self._timed(name, original))

    def _timed(self, name, original):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.calls[name].append(time.perf_counter() - started)
        return timed

    def restore(self):
        for name, original in self.originals.items():
            setattr(self.module, name, original)


# -- the references' inputs ---------------------------------------------------

def day_sql(column, backend):
    "Days since 1970-01-01 of a date column, as crm_analytics counts them."
    if backend == 'sqlite':
        return 'CAST(JULIANDAY(%s) - 2440587.5 AS INTEGER)' % column
    return "(%s - DATE '1970-01-01')" % column


def period_where(session):
    return ("company = %d AND date >= '%s' AND date <= '%s'"
        % (company(session), START.isoformat(), END.isoformat()))


def fetch_lines(session, columns, product=False):
    """The period's lines as a list of tuples of columns (SQL
    expressions), as a reference reads them."""
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT %s FROM crm_purchase WHERE %s%s' % (
                ', '.join(columns), period_where(session),
                ' AND product IS NOT NULL' if product else ''))
        return cursor.fetchall()


def to_day(date):
    return (date - EPOCH).days


def ratio(value, reference):
    return round(value / reference, 3) if reference else None
