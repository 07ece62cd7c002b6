"""integration_api: the integrator API under 4 concurrent clients.

value      requests per second of ``crm.api.upsert_customer('BENCH',
           {...})`` creating --calls (2,000) distinct new customers
           (external id, name, type, mobile), sent over XML-RPC by 4
           client threads at once, each with its own session (login once,
           ``Session`` header: tests/server.py's ``Client``), to a real
           trytond server (``running_server`` of tests/server.py:
           ``trytond -c CONF -d DB``, werkzeug ``run_simple`` with
           ``threaded=True``: one process, a thread per request);
reference  Tryton's generic ``party.party.create`` of one customer with
           one mobile per call, --calls distinct ones (other mobiles, so
           that no duplicate is detected), from the same 4 clients.

Also measured (the "calls" figures): the same upsert payloads sent
again (status "unchanged"), ``crm.api.customer_card('BENCH',
external_id)`` of each customer against the generic ``party.party.read``
of the same customer's card fields (code, name, type, lifecycle stage,
segment, value tier, owner, contact mechanisms, wishes, purchase
figures) in one call; requests per second and the 95th percentile of
the latency seen by the client (ms) of each.  Each client calls a few
times before the clock (caches, connections).  The task fails unless
every upsert returns created then unchanged with the same party, and
every card answers its customer.

The integrator user is in crm_integration's Integrator group and, for
the generic calls, crm_core's CRM User group.  peak_rss_mb is the
trytond server process's peak (VmHWM).

    python bench/integration_api.py --database sqlite --calls 400
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402

sys.path.insert(0, os.path.join(common.ROOT, 'tests'))

TASK = 'integration_api'
MODULES = ('crm_integration',)
CLIENTS = 4
WARMUP = 5
LOGIN = 'bench_integrator'
PASSWORD = 'bench-integrator-pw'
CODE = 'BENCH'
CARD_FIELDS = ['code', 'name', 'customer_type', 'lifecycle_stage',
    'segment.name', 'value_tier', 'owner.rec_name',
    'contact_mechanisms', 'wish_budget_min', 'wish_budget_max',
    'wish_area_min', 'wish_area_max', 'wish_rooms', 'wish_district',
    'purchase_amount', 'purchase_count',
    'last_purchase_date']
SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华'


def name(number):
    return (SURNAMES[number % len(SURNAMES)]
        + GIVEN[number // len(SURNAMES) % len(GIVEN)]
        + GIVEN[number // 400 % len(GIVEN)])


def mobile(prefix, number):
    return '%s%08d' % (prefix, (number * 61728397 + 20240517) % 10 ** 8)


def customers(count, prefix, external):
    return [{'external_id': '%s%06d' % (external, n), 'name': name(n),
            'customer_type': 'person', 'mobile': mobile(prefix, n)}
        for n in range(count)]


def peak_rss(config):
    "VmHWM (MB) of the trytond process started with config"
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as file:
                cmdline = file.read().split(b'\0')
            if str(config).encode() not in cmdline or not any(
                    c.endswith(b'trytond') for c in cmdline[:2]):
                continue
            with open('/proc/%s/status' % pid) as file:
                for line in file:
                    if line.startswith('VmHWM:'):
                        return round(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return None


def hammer(clients, calls, function):
    """Split calls over the clients, one thread each, started together;
    return (requests/s, latencies in s, results in order, errors)."""
    shares = [calls[i::len(clients)] for i in range(len(clients))]
    latencies = [[] for _ in clients]
    results = [[] for _ in clients]
    errors = []
    barrier = threading.Barrier(len(clients) + 1)

    def work(index):
        client = clients[index]
        barrier.wait()
        for call in shares[index]:
            started = time.perf_counter()
            try:
                result = function(client, call)
            except Exception as e:  # noqa: BLE001 (counted, reported)
                errors.append(repr(e)[:300])
                result = None
            latencies[index].append(time.perf_counter() - started)
            results[index].append(result)

    threads = [threading.Thread(target=work, args=(i,))
        for i in range(len(clients))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    ordered = [None] * len(calls)
    for index, part in enumerate(results):
        for position, result in enumerate(part):
            ordered[index + position * len(clients)] = result
    return (len(calls) / seconds, [t for part in latencies for t in part],
        ordered, errors)


def figure(rate, latencies):
    return {'requests_per_s': round(rate, 1),
        'p95_ms': round(common.percentile(latencies) * 1000, 1),
        'median_ms': round(common.percentile(latencies, 50) * 1000, 1)}


def measure(server, options):
    admin = server.admin()
    company_id, = admin('company.company', 'search', [], 0, 1, None)
    admin('crm.integration.system', 'create', [{
                'name': 'Bench', 'code': CODE, 'kind': 'sales',
                'transport': 'rest', 'endpoint': 'http://127.0.0.1:9',
                'company': company_id,
                }])
    server.create_user(LOGIN, PASSWORD,
        ['crm_integration.group_integrator', 'crm_core.group_crm'])
    clients = [server.client(LOGIN, PASSWORD) for _ in range(CLIENTS)]

    def upsert(client, customer):
        return client('crm.api', 'upsert_customer', CODE, customer)

    def card(client, external_id):
        return client('crm.api', 'customer_card', CODE, external_id)

    def create(client, customer):
        return client('party.party', 'create', [{
                    'name': customer['name'],
                    'customer_type': customer['customer_type'],
                    'contact_mechanisms': [('create', [{
                                    'type': 'mobile',
                                    'value': customer['mobile']}])],
                    }])[0]

    def read(client, party_id):
        return client('party.party', 'read', [party_id], CARD_FIELDS)[0]

    # warm-up: each client a few of each call, outside the clock
    warm = customers(CLIENTS * WARMUP, '137', 'W')
    warm_generic = customers(CLIENTS * WARMUP, '136', 'X')
    hammer(clients, warm, upsert)
    hammer(clients, [c['external_id'] for c in warm], card)
    ids = hammer(clients, warm_generic, create)[2]
    hammer(clients, ids, read)

    ours = customers(options.calls, '139', 'B')
    generic = customers(options.calls, '138', 'G')
    figures, problems = {}, []

    def timed(label, calls, function):
        common.progress('%s: %d calls from %d clients' % (
                label, len(calls), CLIENTS))
        rate, latencies, results, errors = hammer(clients, calls, function)
        figures[label] = figure(rate, latencies)
        figures[label]['calls'] = len(calls)
        figures[label]['errors'] = len(errors)
        if errors:
            figures[label]['first_error'] = errors[0]
            common.progress('  %d refused, first: %s' % (
                    len(errors), errors[0]))
        common.progress('  %(requests_per_s)s requests/s, p95 %(p95_ms)s '
            'ms, median %(median_ms)s ms' % figures[label])
        return results

    created = timed('upsert_customer (new)', ours, upsert)
    unchanged = timed('upsert_customer (unchanged)', ours, upsert)
    party_ids = timed('party.party.create', generic, create)
    cards = timed('customer_card', [c['external_id'] for c in ours], card)
    read_ids = [r['id'] for r in created if r]
    reads = timed('party.party.read', read_ids, read)

    # transient refusals (SQLite: "database is locked") are counted in
    # the figures; every answer given must be right
    first = [r and r['status'] for r in created]
    second = [r and r['status'] for r in unchanged]
    if set(first) - {'created', None}:
        problems.append('first pass: %s' % sorted(set(first) - {None}))
    for one, two in zip(first, second):
        if two is not None and two != ('unchanged' if one else two) or (
                two == 'created' and one):
            problems.append('second pass: %s after %s' % (two, one))
            break
    for one, two in zip(created, unchanged):
        if one and two and one['id'] != two['id']:
            problems.append('the second pass answered other parties')
            break
    party_of = {c['external_id']: (r or u)['id'] for c, r, u in zip(
            ours, created, unchanged) if r or u}
    for customer, answer in zip(ours, cards):
        if answer and (answer['id'] != party_of.get(customer['external_id'])
                or answer['external_ids'] != [customer['external_id']]):
            problems.append('card of another party')
            break
    made = [p for p in party_ids if p]
    if len(set(made)) != len(made):
        problems.append('party.party.create answered an id twice')
    for party_id, answer in zip(read_ids, reads):
        if answer and answer['id'] != party_id:
            problems.append('read of another party')
            break
    strict = server.backend == 'postgresql'
    errors = sum(f['errors'] for f in figures.values())
    if strict and errors:
        problems.append('%d refused calls on PostgreSQL' % errors)
    if problems:
        raise SystemExit('integration_api FAILED: ' + '; '.join(problems))
    return figures


def run(options):
    from server import running_server
    os.environ.pop('TRYTOND_DATABASE__URI', None)
    if options.database == 'postgresql':
        if not options.pg_uri.startswith('postgresql://'):
            raise SystemExit("PostgreSQL needs --pg-uri or "
                "TRYTOND_DATABASE__URI")
        os.environ['TRYTOND_DATABASE__URI'] = options.pg_uri
    common.progress('starting trytond with %s on %s (trytond-admin --all, '
        'setup/configure.py)' % (', '.join(MODULES), options.database))
    started = time.perf_counter()
    with running_server(modules=MODULES) as server:
        common.progress('server up in %.0f s at %s' % (
                time.perf_counter() - started, server.url))
        figures = measure(server, options)
        rss = peak_rss(server.config)
    ours = figures['upsert_customer (new)']
    generic = figures['party.party.create']
    card, read = figures['customer_card'], figures['party.party.read']
    unchanged = figures['upsert_customer (unchanged)']
    ratios = {
        'upsert_customer (new) / party.party.create': round(
            ours['requests_per_s'] / generic['requests_per_s'], 3),
        'upsert_customer (unchanged) / party.party.create': round(
            unchanged['requests_per_s'] / generic['requests_per_s'], 3),
        'customer_card / party.party.read': round(
            card['requests_per_s'] / read['requests_per_s'], 3),
        }
    entry = common.result(TASK, options.database, {
            'calls_per_measure': options.calls, 'clients': CLIENTS},
        ours['requests_per_s'], 'requests/s',
        'party.party.create of one customer with one mobile per call, '
        'from the same 4 clients', generic['requests_per_s'], 'higher',
        runs=1,
        note='value: crm.api.upsert_customer of %d new customers (name, '
        'type, mobile) by 4 client threads, each its own XML-RPC session '
        '(tests/server.py Client), to a real trytond (tests/server.py '
        'running_server: trytond -c CONF -d DB, werkzeug run_simple '
        'threaded=True, one process and a thread per request, GIL-bound; '
        '%s on this 2-core machine); reference: party.party.create of as '
        'many other customers with one mobile each. calls: upsert again '
        '(unchanged), customer_card vs party.party.read of the card\'s '
        'fields of the same customer; requests/s over the wall time of '
        'each measure, p95 and median latency seen by the clients; %d '
        'warm-up calls of each per client first; refused calls (SQLite: '
        '"database is locked" turned into crm.api\'s conflict fault, code '
        '4090, or party code unique errors of the generic create) count in '
        'requests/s and in calls[...].errors. peak_rss_mb: the trytond '
        'process (VmHWM)' % (options.calls, options.database, WARMUP),
        extra={'p95_ms': ours['p95_ms'],
            'reference_p95_ms': generic['p95_ms'],
            'refused_calls': sum(f['errors'] for f in figures.values()),
            'calls': figures, 'ratios': ratios})
    entry['peak_rss_mb'] = rss
    return entry


def main(argv=None):
    parser = common.argument_parser(__doc__.splitlines()[0],
        customers=False)
    parser.add_argument('--calls', type=int, default=2000,
        help="calls of each measure, spread over the 4 clients")
    options = parser.parse_args(argv)
    if options.conf:
        parser.error('integration_api starts its own server and database')
    entry = run(options)
    common.report([entry], not options.no_write, TASK)
    return 0


if __name__ == '__main__':
    sys.exit(main())
