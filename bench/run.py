"""Run the eCRM benchmarks and write bench/results/<task>.json.

    python bench/run.py [--database sqlite,postgresql] [--tasks T1,T2]
                        [--customers N] [--tickets N] [--articles N]
                        [--employees N] [--hr-tickets N]
                        [--lines N] [--products N] [--api-calls N]
                        [--pg-uri postgresql://USER@HOST:PORT/]

For each database, each group of tasks below gets a new throw-away
database with its module activated, runs its tasks in order, and the
database is dropped: crm_core for core_bulk_create (which leaves its
customers in it) then core_duplicate_scan over them; crm_service for
service_routing; crm_service again for service_kb_match; crm_service
and crm_hr for hr_campaign; crm_analytics for analytics_rfm (which
loads the generated purchases), analytics_contribution,
analytics_product_pairs and analytics_clv; crm_integration for
integration_import; integration_api starts a trytond server on a
database of its own (tests/server.py).  A task whose group's first
task is not run builds its own database and data.  Each task runs in a
process of its own (trytond serves one backend per process).

service_kb_match compares with scikit-learn, analytics_rfm with pandas
and analytics_product_pairs with mlxtend: bench/requirements.txt is
installed into this Python first when its pins are not met.
analytics_clv makes its own virtualenv for lifetimes.

PostgreSQL runs on the server of --pg-uri or TRYTOND_DATABASE__URI; with
neither, on a throw-away cluster (bench/pg_cluster.py) stopped at the end.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402
import pg_cluster  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = os.path.join(HERE, 'requirements.txt')
# the modules to activate and the tasks sharing their database, in order
GROUPS = [
    (['crm_core'], ['core_bulk_create', 'core_duplicate_scan']),
    (['crm_service'], ['service_routing']),
    (['crm_service'], ['service_kb_match']),
    (['crm_service', 'crm_hr'], ['hr_campaign']),
    (['crm_analytics'], ['analytics_rfm', 'analytics_contribution',
            'analytics_product_pairs', 'analytics_clv']),
    (['crm_integration'], ['integration_import']),
    # starts a trytond server on a database of its own
    (None, ['integration_api']),
    ]
# the tasks whose references bench/requirements.txt installs
REFERENCE_TASKS = {'service_kb_match', 'analytics_rfm',
    'analytics_product_pairs'}
TASKS = [t for _, tasks in GROUPS for t in tasks]


def task_args(task, options):
    "The size options of a task."
    if task.startswith('core_'):
        return ['--customers', str(options.customers),
            '--batch', str(options.batch)]
    if task == 'service_routing':
        return ['--tickets', str(options.tickets),
            '--agents', str(options.agents), '--queues', str(options.queues)]
    if task == 'service_kb_match':
        return ['--articles', str(options.articles),
            '--queries', str(options.queries)]
    if task.startswith('analytics_'):
        return ['--customers', str(options.customers),
            '--products', str(options.products)] + (
            ['--lines', str(options.lines)] if options.lines else [])
    if task == 'integration_import':
        return ['--customers', str(options.customers),
            '--products', str(options.products),
            '--lines', str(options.lines or 5 * options.customers)]
    if task == 'integration_api':
        return ['--calls', str(options.api_calls)]
    if task == 'hr_campaign':
        return ['--employees', str(options.employees),
            '--tickets', str(options.hr_tickets)]
    return []


def run_task(task, database_args, options):
    subprocess.run([sys.executable, os.path.join(HERE, task + '.py'),
            *database_args, *task_args(task, options)]
        + (['--no-write'] if options.no_write else []),
        check=True)


def run_tasks(backend, uri, options):
    """Per group of tasks: create the database, run the tasks on it, drop
    it."""
    for modules, tasks in GROUPS:
        selected = [t for t in tasks if t in options.tasks]
        if not selected:
            continue
        if modules is None or selected[0] != tasks[0]:
            # without the task that fills it, each builds its own
            for task in selected:
                common.progress('%s: %s on its own database' % (
                        backend, task))
                run_task(task, ['--database', backend]
                    + (['--pg-uri', uri] if uri else []), options)
            continue
        database = common.BenchDatabase(backend, uri, modules=modules)
        common.progress('%s: activating %s in %s' % (
                backend, ', '.join(modules), database.name))
        database.create()
        try:
            for task in selected:
                common.progress('%s: %s' % (backend, task))
                run_task(task, database.args(), options)
        finally:
            database.drop()


def ensure_requirements():
    "Install bench/requirements.txt unless its pins are met already."
    from importlib import metadata
    unmet = []
    with open(REQUIREMENTS) as file:
        for line in file:
            requirement = line.split('#')[0].strip()
            if not requirement:
                continue
            name, _, version = requirement.partition('==')
            try:
                if metadata.version(name) != version:
                    unmet.append(requirement)
            except metadata.PackageNotFoundError:
                unmet.append(requirement)
    if unmet:
        common.progress('installing %s' % ', '.join(unmet))
        subprocess.run([sys.executable, '-m', 'pip', 'install', '--quiet',
                '-r', REQUIREMENTS], check=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='sqlite,postgresql',
        help="comma-separated: sqlite, postgresql")
    parser.add_argument('--tasks', default=','.join(TASKS),
        help="comma-separated, of: %s (default: all)" % ', '.join(TASKS))
    parser.add_argument('--customers', type=int, default=100000,
        help="core_*: demo customers")
    parser.add_argument('--batch', type=int, default=1000,
        help="core_*: customers per transaction")
    parser.add_argument('--tickets', type=int, default=10000,
        help="service_routing: incoming tickets")
    parser.add_argument('--agents', type=int, default=200,
        help="service_routing: agents")
    parser.add_argument('--queues', type=int, default=20,
        help="service_routing: queues")
    parser.add_argument('--articles', type=int, default=5000,
        help="service_kb_match: standard answers")
    parser.add_argument('--queries', type=int, default=1000,
        help="service_kb_match: ticket texts matched")
    parser.add_argument('--employees', type=int, default=2000,
        help="hr_campaign: employees assessed")
    parser.add_argument('--hr-tickets', type=int, default=500000,
        help="hr_campaign: tickets of the quarter the metrics read")
    parser.add_argument('--lines', type=int,
        help="analytics_*: purchase lines (default: 10 per customer); "
        "integration_import: order lines (default: 5 per customer)")
    parser.add_argument('--products', type=int, default=2000,
        help="analytics_*, integration_import: products")
    parser.add_argument('--api-calls', type=int, default=2000,
        help="integration_api: calls of each measure")
    parser.add_argument('--pg-uri',
        default=os.environ.get('TRYTOND_DATABASE__URI', ''),
        help="PostgreSQL server (default: $TRYTOND_DATABASE__URI, else a "
        "throw-away cluster)")
    parser.add_argument('--no-write', action='store_true',
        help="print the results, leave bench/results alone")
    options = parser.parse_args(argv)
    backends = [b.strip() for b in options.database.split(',') if b.strip()]
    unknown = set(backends) - {'sqlite', 'postgresql'}
    if unknown:
        parser.error('unknown database: %s' % ', '.join(sorted(unknown)))
    options.tasks = [t.strip() for t in options.tasks.split(',')
        if t.strip()]
    unknown = set(options.tasks) - set(TASKS)
    if unknown:
        parser.error('unknown task: %s' % ', '.join(sorted(unknown)))
    if REFERENCE_TASKS & set(options.tasks):
        ensure_requirements()
    # stop the throw-away cluster and drop the databases when killed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    for backend in backends:
        if backend == 'sqlite':
            run_tasks('sqlite', '', options)
        elif options.pg_uri.startswith('postgresql://'):
            run_tasks('postgresql', options.pg_uri, options)
        else:
            common.progress('starting a throw-away PostgreSQL cluster')
            with pg_cluster.cluster() as uri:
                run_tasks('postgresql', uri, options)
    common.progress('all done in %.0f s' % (time.perf_counter() - started))
    return 0


if __name__ == '__main__':
    sys.exit(main())
