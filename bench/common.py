"""Plumbing shared by the eCRM benchmarks.

- a throw-away database: a SQLite file in a temporary directory or a new
  database on a PostgreSQL server, with crm_core (or another module, e.g.
  crm_service) activated by ``trytond-admin`` as an administrator would do
  it;
- an in-process session on it: a company, the admin user in the groups of
  the activated CRM modules, the classification records the demo
  customers refer to;
- the demo customers of setup/demo_gen.py, generated once per run;
- timing, peak memory and the result files of DESIGN.md ("Benchmarks").

trytond picks its backend when it is first imported, so one process works
on one backend: bench/run.py starts one process per task and database.
"""
import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, 'bench', 'results')
BIN = os.path.dirname(sys.executable)
MODULES = ['crm_core']
SEED = 1
# a fixed end date keeps the generated customers the same from day to day
END_DATE = dt.date(2026, 6, 30)
ADMIN_PASSWORD = 'bench-admin'
# the groups of the admin user, per module, when the module is activated
ADMIN_GROUPS = {
    'crm_core': ['group_crm', 'group_crm_admin', 'group_crm_sensitive'],
    'crm_service': ['group_service_agent', 'group_service_supervisor'],
    'crm_hr': ['group_hr_officer', 'group_hr_manager'],
    }
# the result keys of DESIGN.md, in its order, then ours
RESULT_KEYS = ['task', 'database', 'size', 'value', 'unit', 'reference',
    'reference_value', 'ratio', 'better', 'peak_rss_mb', 'date', 'commit',
    'runs', 'note']


# -- command line -------------------------------------------------------------

def argument_parser(description, customers=True):
    """The options every task takes; with customers, --customers and
    --batch (customers per transaction)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--database', choices=['sqlite', 'postgresql'],
        default='sqlite', help="backend of a new throw-away database")
    parser.add_argument('--pg-uri',
        default=os.environ.get('TRYTOND_DATABASE__URI', ''),
        help="PostgreSQL server for --database postgresql "
        "(default: $TRYTOND_DATABASE__URI)")
    parser.add_argument('--conf', help="use the existing database of this "
        "configuration (written by bench/run.py) instead of a new one")
    parser.add_argument('--db', help="its name, with --conf")
    if customers:
        parser.add_argument('--customers', type=int, default=100000)
        parser.add_argument('--batch', type=int, default=1000,
            help="customers per transaction")
    parser.add_argument('--no-write', action='store_true',
        help="print the result, leave bench/results alone")
    return parser


# -- throw-away databases -----------------------------------------------------

class BenchDatabase:
    """A database with modules (crm_core unless told) activated, and its
    trytond configuration."""

    def __init__(self, backend, uri='', directory=None, name=None,
            modules=None):
        self.backend = backend
        self.modules = list(modules or MODULES)
        self.uri = uri if backend == 'postgresql' else 'sqlite://'
        if backend == 'postgresql' and not self.uri.startswith(
                'postgresql://'):
            raise SystemExit(
                "PostgreSQL needs --pg-uri or TRYTOND_DATABASE__URI")
        self.directory = directory or tempfile.mkdtemp(prefix='ecrm-bench.')
        self.name = name or 'bench_' + uuid.uuid4().hex[:8]
        self.conf = os.path.join(self.directory, 'trytond.conf')

    @classmethod
    def from_conf(cls, conf, name):
        uri = _conf_uri(conf)
        backend = 'postgresql' if uri.startswith('postgresql') else 'sqlite'
        return cls(backend, uri, os.path.dirname(os.path.abspath(conf)),
            name)

    @classmethod
    def from_options(cls, options, modules=None):
        "The database of --conf/--db, or a new one with modules."
        if options.conf:
            if not options.db:
                raise SystemExit("--conf needs --db")
            return cls.from_conf(options.conf, options.db)
        return cls(options.database, options.pg_uri, modules=modules)

    def environ(self):
        "The environment of trytond-admin: no TRYTOND_* of the caller."
        env = {k: v for k, v in os.environ.items()
            if not k.startswith('TRYTOND')}
        env['TRYTONPASSFILE'] = os.path.join(self.directory, 'admin-pass')
        return env

    def create(self):
        "Create the database and activate the modules; return seconds."
        with open(self.conf, 'w') as conf:
            conf.write('[database]\nuri = %s\npath = %s\nlanguage = en\n'
                % (self.uri, self.directory))
        with open(self.environ()['TRYTONPASSFILE'], 'w') as passfile:
            passfile.write(ADMIN_PASSWORD + '\n')
        if self.backend == 'sqlite':
            open(self.sqlite_file(), 'w').close()
        else:
            self._pg_execute('CREATE DATABASE "%s"' % self.name)
        started = time.perf_counter()
        subprocess.run([os.path.join(BIN, 'trytond-admin'), '-c', self.conf,
                '-d', self.name, '-u', *self.modules,
                '--activate-dependencies',
                '--email', 'admin@example.com'],
            env=self.environ(), check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started

    def drop(self):
        if self.backend == 'sqlite':
            for suffix in ['', '-wal', '-shm', '-journal']:
                if os.path.exists(self.sqlite_file() + suffix):
                    os.remove(self.sqlite_file() + suffix)
        else:
            self._pg_execute(
                'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.name)
        for name in ['trytond.conf', 'admin-pass']:
            path = os.path.join(self.directory, name)
            if os.path.exists(path):
                os.remove(path)
        if not os.listdir(self.directory):
            os.rmdir(self.directory)

    def sqlite_file(self):
        return os.path.join(self.directory, self.name + '.sqlite')

    def _pg_execute(self, statement):
        import psycopg
        parts = urllib.parse.urlsplit(self.uri)
        with psycopg.connect(parts._replace(path='/postgres').geturl(),
                autocommit=True) as connection:
            connection.execute(statement)

    def args(self):
        return ['--conf', self.conf, '--db', self.name]


def _conf_uri(conf):
    import configparser
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    return parser.get('database', 'uri', fallback='sqlite://')


# -- in-process session -------------------------------------------------------

def load_config(conf):
    "Configure trytond from conf alone; call before any other trytond use."
    for key in [k for k in os.environ if k.startswith('TRYTOND_')]:
        del os.environ[key]
    from trytond import config
    config.update_etc([conf])
    return config


class Session:
    """The pool of one database and the admin user's context, as an RPC
    call from the web client would have them."""

    def __init__(self, database):
        load_config(database.conf)
        from trytond.pool import Pool
        self.database = database
        self.name = database.name
        self.pool = Pool(self.name)
        self.pool.init()
        self.user = None
        self.context = {}

    def transaction(self, readonly=False, user=None, context=None):
        "A transaction as the admin user (or user) in their context."
        from trytond.transaction import Transaction
        return Transaction().start(self.name,
            self.user if user is None else user, readonly=readonly,
            context=self.context if context is None else context)

    def prepare(self):
        "Company, admin user and classification records; idempotent."
        with self.transaction(user=0) as transaction:
            admin = _prepare(self.pool)
            transaction.commit()
        self.user = admin
        with self.transaction() as transaction:
            User = self.pool.get('res.user')
            self.context = User.get_preferences(context_only=True)
        return self

    def references(self):
        "{model: {code: id}} of the classification records."
        result = {}
        with self.transaction(readonly=True):
            for model in ['crm.region', 'crm.source', 'crm.industry']:
                Model = self.pool.get(model)
                result[model] = {r.code: r.id for r in Model.search([])}
        return result


def _prepare(pool):
    from decimal import Decimal
    demo_names = demo_module('demo_names')
    Currency = pool.get('currency.currency')
    Company = pool.get('company.company')
    Party = pool.get('party.party')
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    admin, = User.search([('login', '=', 'admin')])
    if not Company.search([]):
        currency, = Currency.create([{'name': 'Chinese Yuan Renminbi',
                    'code': 'CNY', 'symbol': '¥', 'digits': 2,
                    'rounding': Decimal('0.01')}])
        party, = Party.create([{'name': 'Bench Company'}])
        company, = Company.create([{'party': party.id,
                    'currency': currency.id, 'timezone': 'Asia/Shanghai'}])
        User.write([admin], {'companies': [('add', [company.id])]})
        User.write([admin], {'company': company.id})
    groups = [ModelData.get_id(module, group)
        for module in _activated(pool, ADMIN_GROUPS)
        for group in ADMIN_GROUPS[module]]
    User.write([admin], {'groups': [('add', groups)]})
    Region = pool.get('crm.region')
    region_ids = {r.code: r.id for r in Region.search([])}
    for code, name, parent in demo_names.REGIONS:
        # parents come first
        if code not in region_ids:
            region, = Region.create([{'code': code, 'name': name,
                        'parent': region_ids.get(parent)}])
            region_ids[code] = region.id
    sources = [(s[0], s[1]) for s in demo_names.SOURCES]
    industries = sorted({t[0] for t in demo_names.COMPANY_TRADES})
    for model, records in [
            ('crm.source', sources),
            ('crm.industry', [(i, i) for i in industries]),
            ]:
        Model = pool.get(model)
        known = {r.code for r in Model.search([])}
        Model.create([{'code': code, 'name': name}
                for code, name in records if code not in known])
    return admin.id


def _activated(pool, modules):
    Module = pool.get('ir.module')
    return sorted(m.name for m in Module.search([
                ('name', 'in', list(modules)), ('state', '=', 'activated'),
                ]))


# -- data ---------------------------------------------------------------------

def demo_module(name):
    setup = os.path.join(ROOT, 'setup')
    if setup not in sys.path:
        sys.path.insert(0, setup)
    return __import__(name)


# what the benchmarks keep of a generated customer
CUSTOMER_KEYS = ['number', 'customer_type', 'name', 'gender', 'birth_date',
    'occupation', 'income_band', 'id_number', 'industry', 'region', 'source',
    'acquisition_channel', 'lifecycle_stage', 'preferences', 'wish',
    'mobile', 'phone', 'email', 'duplicate_of']
# customers generated before a chunk, so that a re-entered customer finds
# the original demo_gen would pick in one long run (at most 7 back)
_OVERLAP = 8


def customers(count, seed=SEED, chunk=5000):
    """The first count demo customers, trimmed to CUSTOMER_KEYS.

    Generated chunk by chunk (the purchases and interactions demo_gen
    makes for each customer are dropped at once) with the same result as
    one Generator.customers(0, count) call.
    """
    demo_gen = demo_module('demo_gen')
    generator = demo_gen.Generator(seed, END_DATE)
    result = []
    for start in range(0, count, chunk):
        first = max(start - _OVERLAP, 0)
        size = min(chunk, count - start)
        for customer in generator.customers(first, start - first + size)[
                start - first:]:
            result.append({k: customer.get(k) for k in CUSTOMER_KEYS})
    return result


def batches(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# -- measures and results -----------------------------------------------------

def median_time(function, runs):
    "Median of the wall-clock seconds of runs calls, and the last result."
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def percentile(values, share=95):
    """The share-th percentile of values, interpolated between the two
    nearest ranks as numpy.percentile does by default."""
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method='inclusive')[
        share - 1]


def peak_rss_mb():
    "Peak resident memory of this process (Linux reports kB)."
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def commit():
    try:
        return subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short',
                'HEAD'], capture_output=True, text=True,
            check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def result(task, database, size, value, unit, reference, reference_value,
        better, runs, note='', extra=None):
    """One result object of DESIGN.md, plus the number of runs and a note;
    extra holds a task's own figures, written between the two."""
    entry = {
        'task': task,
        'database': database,
        'size': size,
        'value': _round(value),
        'unit': unit,
        'reference': reference,
        'reference_value': _round(reference_value),
        'ratio': round(value / reference_value, 3),
        'better': better,
        'peak_rss_mb': peak_rss_mb(),
        'date': dt.date.today().isoformat(),
        'commit': commit(),
        'runs': runs,
        'note': note,
        }
    for key, figure in (extra or {}).items():
        entry[key] = _round(figure) if isinstance(figure, float) else figure
    return entry


def _round(value):
    return round(value, 3) if value < 100 else round(value)


def write_results(task, results, directory=RESULTS):
    """Write bench/results/<task>.json: a list of result objects, one per
    database; the entries of databases not measured now are kept."""
    path = os.path.join(directory, task + '.json')
    entries = []
    if os.path.exists(path):
        with open(path) as file:
            previous = json.load(file)
        if isinstance(previous, dict):
            previous = [previous]
        entries = [e for e in previous
            if e.get('database') not in {r['database'] for r in results}]
    entries.extend(results)
    entries.sort(key=lambda e: e['database'])
    entries = [{k: e[k] for k in _key_order(e)} for e in entries]
    os.makedirs(directory, exist_ok=True)
    with open(path, 'w') as file:
        json.dump(entries, file, ensure_ascii=False, indent=1)
        file.write('\n')
    return path


def _key_order(entry):
    "DESIGN.md's keys, a task's extra figures, then runs and note."
    design, ours = RESULT_KEYS[:-2], RESULT_KEYS[-2:]
    extra = [k for k in entry if k not in RESULT_KEYS]
    return [k for k in design + extra + ours if k in entry]


def report(results, write, task):
    for entry in results:
        print(json.dumps({k: entry[k] for k in _key_order(entry)},
                ensure_ascii=False))
    if write:
        print('written', write_results(task, results))


def progress(message):
    print('[%s] %s' % (time.strftime('%H:%M:%S'), message), file=sys.stderr,
        flush=True)


def vacuum(session):
    """PostgreSQL: VACUUM ANALYZE (fresh statistics, dead rows of deleted
    references gone), outside a transaction; SQLite: nothing."""
    if session.database.backend != 'postgresql':
        return
    with session.transaction() as transaction:
        connection = transaction.connection
        connection.commit()
        autocommit = connection.autocommit
        connection.autocommit = True
        try:
            connection.cursor().execute('VACUUM ANALYZE')
        finally:
            connection.autocommit = autocommit


def run_task(task, options, modules, run):
    """Call run(session) on the database of options (a new one, created
    before and dropped after, unless --conf names one) and report the
    entry it returns as task's result."""
    database = BenchDatabase.from_options(options, modules)
    created = not options.conf
    if created:
        progress('creating %s database with %s' % (
                database.backend, ', '.join(modules)))
        database.create()
    try:
        session = Session(database).prepare()
        report([run(session)], not options.no_write, task)
    finally:
        if created:
            database.drop()
    return 0
