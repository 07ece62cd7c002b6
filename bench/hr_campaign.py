"""hr_campaign: a quarter's KPI assessment campaign of the service centre.

value      seconds of ``crm.hr.campaign``'s ``generate`` (find the
           employees of the campaign's departments, create their
           assessments with the template's 8 indicators, compute the
           automatic ones) plus ``compute`` (the button that reads the
           automatic indicators again) for --employees (2,000) employees,
           run as a user does over RPC (access checked, one transaction
           committed per button); the 4 automatic indicators are
           crm_service's metrics over --tickets (500,000) tickets of the
           quarter;
reference  hand-written SQL on the same database: one query for the
           employees in scope, one query per automatic indicator
           (GROUP BY employee, over every employee at once), the scores,
           totals and grades computed in Python with crm_hr's engine, and
           the assessments and their lines inserted with ``executemany``,
           committed.

Also counted: the SQL queries the ORM path issues (calls of the
database cursor's ``execute`` and ``executemany``), per employee, for a
campaign of one region (200 employees) and for the whole centre: the
figure must not grow with the number of employees.  Every figure
(actual, score of each line, total and grade of each assessment) of both
ORM campaigns must equal the reference's.  Medians of --runs (3) runs.

The employees, their parties, agents and tickets are inserted in bulk by
SQL before the clock starts; the departments, the KPI template and the
campaigns are made through the ORM.  Each campaign is deleted again
after its run, outside the clock.

    python bench/hr_campaign.py --database postgresql --pg-uri URI \\
        --employees 400 --tickets 50000
"""
import collections
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402

TASK = 'hr_campaign'
MODULES = ['crm_service', 'crm_hr']
SEED = 1
# the quarter assessed; "today" is after it
START = dt.date(2026, 4, 1)
END = dt.date(2026, 6, 30)
TEAM = 50        # employees per team (a department with a manager)
REGION = 200     # employees per region (the parent of 4 teams)
CUSTOMERS = 1000  # parties the tickets are about
# name, weight, target, direction, source, unit, bands
INDICATORS = [
    ('工单处理量', 20, 240, 'higher', 'service_tickets_handled', '张', None),
    ('平均首次响应', 15, 20, 'lower', 'service_first_response', '分钟',
        None),
    ('SLA达成率', 15, 95, 'higher', 'service_sla_compliance', '%',
        [(0, 0), (80, 60), (90, 80), (100, 100)]),
    ('重开率', 10, 5, 'lower', 'service_reopen_rate', '%', None),
    ('服务态度', 10, 100, 'higher', 'manual', '分', None),
    ('业务知识', 10, 100, 'higher', 'manual', '分', None),
    ('团队协作', 10, 100, 'higher', 'manual', '分', None),
    ('出勤纪律', 10, 100, 'higher', 'manual', '分', None),
    ]
AUTOMATIC = [i[4] for i in INDICATORS if i[4] != 'manual']
CITIES = ['上海', '北京', '广州', '深圳', '杭州', '南京', '苏州', '成都',
    '重庆', '武汉', '西安', '天津']
TEAM_NAMES = ['一组', '二组', '三组', '四组']
PRIORITIES = [('urgent', 3), ('high', 12), ('normal', 75), ('low', 10)]
# hours to the first response and to the resolution by priority
SLA_HOURS = {'urgent': (0.5, 4), 'high': (1, 8), 'normal': (2, 16),
    'low': (4, 40)}
CHANNELS = [('phone', 40), ('web', 15), ('email', 15), ('chat', 25),
    ('social', 5)]
TYPES = [('inquiry', 60), ('repair', 12), ('complaint', 8),
    ('order_tracking', 12), ('defective', 5), ('feedback', 3)]
SUBJECTS = ['物业费缴纳', '厨房漏水报修', '订单还没发货', '退款还没到账',
    '会员积分查询', '门禁卡补办', '投诉服务态度', '咨询营业时间']
TICKET_COLUMNS = ['id', 'create_uid', 'create_date', 'number', 'company',
    'centre', 'queue', 'channel', 'party', 'type', 'priority', 'subject',
    'agent', 'state', 'resolution', 'create_time', 'assigned_time',
    'first_response_time', 'resolved_time', 'closed_time',
    'response_deadline', 'resolution_deadline', 'sla_state',
    'response_seconds', 'handling_seconds', 'reopen_count',
    'auto_answered']


def weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def param():
    from sql import Flavor
    return Flavor.get().param


def insert_sql(table, columns):
    return 'INSERT INTO "%s" (%s) VALUES (%s)' % (table,
        ', '.join('"%s"' % c for c in columns),
        ', '.join([param()] * len(columns)))


def reserve_ids(cursor, backend, table, count):
    "count new ids of table, as Tryton's backends hand them out."
    if backend == 'postgresql':
        cursor.execute('SELECT nextval(\'"%s_id_seq"\') '
            'FROM generate_series(1, %d)' % (table, count))
        return [i for i, in cursor]
    cursor.execute('SELECT COALESCE(MAX(id), 0) FROM "%s"' % table)
    start, = cursor.fetchone()
    return list(range(start + 1, start + 1 + count))


# -- the organisation (ORM) ---------------------------------------------------

def create_structure(session, employees):
    """The service centre and its queue, the departments (the centre,
    a region per --subset employees, a team per 50), the KPI template
    and the agents' position; {name: id or ids}."""
    pool = session.pool
    Centre = pool.get('crm.service.centre')
    Queue = pool.get('crm.service.queue')
    Department = pool.get('crm.hr.department')
    Template = pool.get('crm.hr.kpi.template')
    Position = pool.get('crm.hr.position')
    with session.transaction() as transaction:
        company = transaction.context['company']
        centre, = Centre.create([{'name': '客户服务中心', 'company': company}])
        queue, = Queue.create([{'name': '综合咨询', 'centre': centre.id}])
        root, = Department.create([{'name': '客户服务中心', 'code': 'CS',
                    'company': company}])
        regions, teams = [], []
        for number in range(math.ceil(employees / REGION)):
            city = CITIES[number % len(CITIES)] + (
                str(number // len(CITIES) + 1)
                if number >= len(CITIES) else '')
            region, = Department.create([{'name': city + '客服部',
                        'code': 'CS%02d' % (number + 1),
                        'company': company, 'parent': root.id}])
            regions.append(region.id)
            size = min(REGION, employees - number * REGION)
            teams.extend(d.id for d in Department.create([{
                            'name': city + TEAM_NAMES[t],
                            'code': 'CS%02d-%d' % (number + 1, t + 1),
                            'company': company, 'parent': region.id}
                        for t in range(math.ceil(size / TEAM))]))
        template, = Template.create([{
                    'name': '客服专员季度考核', 'company': company,
                    'indicators': [('create', [{
                                    'sequence': number,
                                    'name': name, 'weight': Decimal(weight),
                                    'target': Decimal(target),
                                    'direction': direction,
                                    'source': source, 'unit': unit,
                                    'bands': [('create', [{
                                                    'minimum': Decimal(m),
                                                    'score': Decimal(s)}
                                                for m, s in bands or []])],
                                    } for number, (name, weight, target,
                                    direction, source, unit, bands)
                                in enumerate(INDICATORS, 1)])],
                    }])
        position, = Position.create([{'name': '客服专员', 'code': 'CSR',
                    'company': company, 'department': root.id,
                    'kpi_template': template.id}])
        transaction.commit()
    return {'company': company, 'centre': centre.id, 'queue': queue.id,
        'root': root.id, 'regions': regions, 'teams': teams,
        'template': template.id, 'position': position.id}


# -- people and tickets (SQL, in bulk) ----------------------------------------

def person_name(rng, names):
    surname = weighted(rng, [(s, w) for s, _, w in names.SURNAMES])
    given = names.GIVEN_MALE if rng.random() < 0.5 else names.GIVEN_FEMALE
    return surname + ''.join(rng.choice(given)[0]
        for _ in range(rng.choice([1, 2, 2])))


def insert_people(session, structure, employees, rng):
    """Employees (a party each) in the teams, an agent of the centre for
    each, team managers; the customers.  Return the agents as
    (agent id, employee id) and the customer party ids."""
    names = common.demo_module('demo_names')
    backend = session.database.backend
    Agent = session.pool.get('crm.service.agent')
    channels = Agent._fields['channels']
    party_columns = ['id', 'create_uid', 'create_date', 'name', 'code',
        'code_alnum', 'active', 'customer_type', 'lifecycle_stage',
        'segment_manual', 'value_tier_manual']
    employee_columns = ['id', 'create_uid', 'create_date', 'party',
        'company', 'department', 'position', 'start_date',
        'employment_type']
    agent_columns = ['id', 'create_uid', 'create_date', 'employee',
        'centre', 'capacity', 'presence', 'channels', 'active',
        'idle_since']
    with session.transaction() as transaction:
        cursor = transaction.connection.cursor()
        user, now = transaction.user, dt.datetime.now()
        channels_value = channels.sql_format(['chat', 'phone'])
        party_ids = reserve_ids(cursor, backend, 'party_party',
            employees + CUSTOMERS)
        employee_ids = reserve_ids(cursor, backend, 'company_employee',
            employees)
        agent_ids = reserve_ids(cursor, backend, 'crm_service_agent',
            employees)
        parties, rows, agents = [], [], []
        for number, (party, employee, agent) in enumerate(
                zip(party_ids, employee_ids, agent_ids)):
            code = 'HRB-E%05d' % (number + 1)
            parties.append([party, user, now, person_name(rng, names),
                    code, code, True, 'person', 'customer', False, False])
            # a few joined during the quarter: still assessed
            start = (dt.date(2026, 5, 1) + dt.timedelta(rng.randint(0, 40))
                if rng.random() < 0.02 else dt.date(2015, 1, 1)
                + dt.timedelta(rng.randint(0, 3900)))
            rows.append([employee, user, now, party, structure['company'],
                    structure['teams'][number // TEAM],
                    structure['position'], start, 'full_time'])
            agents.append([agent, user, now, employee, structure['centre'],
                    5, 'offline', channels_value, True, None])
        for number, party in enumerate(party_ids[employees:]):
            code = 'HRB-C%05d' % (number + 1)
            parties.append([party, user, now, person_name(rng, names),
                    code, code, True, 'person', 'customer', False, False])
        cursor.executemany(insert_sql('party_party', party_columns),
            parties)
        cursor.executemany(insert_sql('company_employee', employee_columns),
            rows)
        cursor.executemany(insert_sql('crm_service_agent', agent_columns),
            agents)
        # the first employee of each team manages it, the first of each
        # region its region
        managers = {}
        for number, employee in enumerate(employee_ids):
            managers.setdefault(structure['teams'][number // TEAM], employee)
            managers.setdefault(structure['regions'][number // REGION],
                employee)
        cursor.executemany('UPDATE crm_hr_department SET manager = %s '
            'WHERE id = %s' % (param(), param()),
            [(e, d) for d, e in managers.items()])
        transaction.commit()
    return list(zip(agent_ids, employee_ids)), party_ids[employees:]


def agent_profiles(agents, rng):
    """How each agent works: share of the tickets, mean first response
    (minutes) and handling time (hours), reopen rate; one in 100 had no
    ticket this quarter."""
    profiles = []
    for agent, _ in agents:
        idle = rng.random() < 0.01
        profiles.append({
                'agent': agent,
                'volume': 0 if idle else rng.lognormvariate(0, 0.35),
                'response': rng.lognormvariate(math.log(18), 0.45),
                'handling': rng.lognormvariate(math.log(5), 0.45),
                'reopen': rng.uniform(0.005, 0.12),
                })
    return profiles


def ticket_rows(count, structure, profiles, customers, rng, user, first_id,
        now):
    """The tickets of the quarter, created 8:00-22:00 on any day,
    spread over the agents by volume; resolved (closed after 3 days)
    unless one in 50 still open; first response and handling times,
    deadlines, SLA state and reopen count consistent with each other."""
    agents = [p for p in profiles if p['volume']]
    cumulative, total = [], 0.0
    for profile in agents:
        total += profile['volume']
        cumulative.append(total)
    days = (END - START).days + 1
    priorities, priority_weights = zip(*PRIORITIES)
    channels, channel_weights = zip(*CHANNELS)
    types, type_weights = zip(*TYPES)
    for number in range(count):
        profile = agents[min(
            bisect_left(cumulative, rng.random() * total), len(agents) - 1)]
        priority = rng.choices(priorities, priority_weights)[0]
        created = dt.datetime.combine(
            START + dt.timedelta(rng.randrange(days)), dt.time(8)) \
            + dt.timedelta(seconds=rng.randrange(14 * 3600))
        assign_delay = rng.randint(5, 600)
        assigned = created + dt.timedelta(seconds=assign_delay)
        response_seconds = assign_delay + int(
            rng.expovariate(1 / (profile['response'] * 60)))
        first_response = created + dt.timedelta(seconds=response_seconds)
        response_hours, resolution_hours = SLA_HOURS[priority]
        response_deadline = created + dt.timedelta(hours=response_hours)
        resolution_deadline = created + dt.timedelta(hours=resolution_hours)
        reopen = rng.random()
        reopen_count = (2 if reopen < profile['reopen'] / 10
            else 1 if reopen < profile['reopen'] else 0)
        if rng.random() < 0.02:
            state, resolution, resolved, closed = (
                'in_progress', None, None, None)
            handling_seconds = None
            sla_state = ('breached' if resolution_deadline < now else 'ok')
        else:
            handling_seconds = max(response_seconds - assign_delay, 0) + int(
                rng.expovariate(1 / (profile['handling'] * 3600)))
            resolved = assigned + dt.timedelta(seconds=handling_seconds)
            closed = resolved + dt.timedelta(days=3)
            state, resolution = 'closed', '已处理'
            sla_state = 'ok' if resolved <= resolution_deadline else 'breached'
        yield [first_id + number, user, now, 'T%07d' % (number + 1),
            structure['company'], structure['centre'], structure['queue'],
            rng.choices(channels, channel_weights)[0],
            customers[rng.randrange(len(customers))],
            rng.choices(types, type_weights)[0], priority,
            SUBJECTS[rng.randrange(len(SUBJECTS))], profile['agent'],
            state, resolution, created, assigned, first_response, resolved,
            closed, response_deadline, resolution_deadline, sla_state,
            response_seconds, handling_seconds, reopen_count, False]


def bisect_left(values, value):
    import bisect
    return bisect.bisect_left(values, value)


def insert_tickets(session, structure, agents, customers, count, rng,
        batch=50000):
    """count tickets in batches (PostgreSQL: COPY, SQLite: executemany),
    a commit each; return the number of tickets per agent."""
    backend = session.database.backend
    profiles = agent_profiles(agents, rng)
    with session.transaction() as transaction:
        cursor = transaction.connection.cursor()
        if backend == 'postgresql':
            cursor.execute('SELECT COALESCE(MAX(id), 0) FROM crm_ticket')
            first_id = cursor.fetchone()[0] + 1
        else:
            first_id, = reserve_ids(cursor, backend, 'crm_ticket', 1)
        user = transaction.user
    rows = ticket_rows(count, structure, profiles, customers, rng, user,
        first_id, dt.datetime.now())
    done = 0
    while done < count:
        chunk = [next(rows) for _ in range(min(batch, count - done))]
        with session.transaction() as transaction:
            cursor = transaction.connection.cursor()
            if backend == 'postgresql':
                with cursor.copy('COPY crm_ticket (%s) FROM STDIN' % ', '.join(
                            '"%s"' % c for c in TICKET_COLUMNS)) as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                cursor.executemany(insert_sql('crm_ticket', TICKET_COLUMNS),
                    chunk)
            transaction.commit()
        done += len(chunk)
        common.progress('%d tickets' % done)
    if backend == 'postgresql':
        with session.transaction() as transaction:
            transaction.connection.cursor().execute(
                'SELECT setval(\'crm_ticket_id_seq\', %d)'
                % (first_id + count - 1))
            transaction.commit()


# -- counting queries ---------------------------------------------------------

class Counter:
    """Counts the calls of the database cursor's execute and executemany
    while on, by statement (SELECT, INSERT, UPDATE...), and times the
    metric computations crm_hr asks for."""

    def __init__(self, session):
        self.on = False
        self.queries = 0
        self.kinds = collections.Counter()
        self.metric_seconds = 0.0
        self.metric_queries = 0
        with session.transaction(readonly=True) as transaction:
            cursor_class = type(transaction.connection.cursor())
        counter = self
        for name in ['execute', 'executemany']:
            original = getattr(cursor_class, name)

            def counted(cursor, query, *args, _original=original, **kwargs):
                if counter.on:
                    counter.queries += 1
                    counter.kinds[str(query).split(None, 1)[0].upper()] += 1
                return _original(cursor, query, *args, **kwargs)
            setattr(cursor_class, name, counted)
        Employee = session.pool.get('company.employee')
        values = Employee.crm_metric_values.__func__

        def timed(cls, *args, **kwargs):
            started, queries = time.perf_counter(), counter.queries
            try:
                return values(cls, *args, **kwargs)
            finally:
                if counter.on:
                    counter.metric_seconds += time.perf_counter() - started
                    counter.metric_queries += counter.queries - queries
        Employee.crm_metric_values = classmethod(timed)

    def start(self):
        self.queries = self.metric_queries = 0
        self.kinds.clear()
        self.metric_seconds = 0.0
        self.on = True

    def stop(self):
        self.on = False
        return self.queries


# -- the ORM path -------------------------------------------------------------

def create_campaign(session, name, departments):
    Campaign = session.pool.get('crm.hr.campaign')
    with session.transaction() as transaction:
        campaign, = Campaign.create([{'name': name, 'period': 'quarter',
                    'start_date': START, 'end_date': END,
                    'departments': [('add', departments)]}])
        transaction.commit()
    return campaign.id


def orm_run(session, counter, campaign_id):
    """generate then compute, as a user clicks the buttons over RPC: a
    committed transaction each.  Return seconds and queries of each."""
    from trytond.transaction import check_access
    Campaign = session.pool.get('crm.hr.campaign')
    result = {}
    for button in ['generate', 'compute']:
        with session.transaction() as transaction, check_access():
            counter.start()
            started = time.perf_counter()
            getattr(Campaign, button)(Campaign.browse([campaign_id]))
            transaction.commit()
            seconds = time.perf_counter() - started
            queries = counter.stop()
        result[button] = {'seconds': seconds, 'queries': queries,
            'kinds': dict(counter.kinds),
            'metric_seconds': counter.metric_seconds,
            'metric_queries': counter.metric_queries}
    return result


def delete_campaign(session, campaign_id):
    with session.transaction() as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('DELETE FROM crm_hr_assessment_line WHERE assessment '
            'IN (SELECT id FROM crm_hr_assessment WHERE campaign = %d)'
            % campaign_id)
        cursor.execute('DELETE FROM crm_hr_assessment WHERE campaign = %d'
            % campaign_id)
        cursor.execute('DELETE FROM "crm_hr_campaign-crm_hr_department" '
            'WHERE campaign = %d' % campaign_id)
        cursor.execute('DELETE FROM crm_hr_campaign WHERE id = %d'
            % campaign_id)
        transaction.commit()


def figures(session, campaign_id):
    """{employee: (total, grade, state, lines)} of a campaign's
    assessments as stored, lines: (source, actual, score, (name, weight,
    target, direction, indicator)) in sequence order."""
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT a.employee, a.total, a.grade, a.state, '
            'l.sequence, l.source, l.actual, l.score, l.name, l.weight, '
            'l.target, l.direction, l.indicator '
            'FROM crm_hr_assessment AS a '
            'JOIN crm_hr_assessment_line AS l ON l.assessment = a.id '
            'WHERE a.campaign = %d ORDER BY a.employee, l.sequence'
            % campaign_id)
        result = {}
        for (employee, total, grade, state, _, source, actual, score,
                *line) in cursor:
            head = result.setdefault(employee, [total, grade, state, []])
            head[3].append((source, _number(actual), _number(score),
                    tuple(_number(v) for v in line)))
    return {e: (_number(t), g, s, tuple(lines))
        for e, (t, g, s, lines) in result.items()}


def _number(value):
    "Stored numbers compared as decimals (SQLite gives floats back)."
    if isinstance(value, float):
        return Decimal(str(value))
    return value


# -- the reference ------------------------------------------------------------

# the employees of the departments and their sub-departments with a KPI
# template, employed during the period and today (Employee.search's
# active test)
SCOPE_SQL = '''
WITH RECURSIVE tree (id) AS (
    SELECT id FROM crm_hr_department WHERE id IN ({departments})
    UNION SELECT d.id FROM crm_hr_department AS d
        JOIN tree ON d.parent = tree.id)
SELECT e.id, e.department, e.position, p.kpi_template, d.manager
FROM company_employee AS e
JOIN tree ON tree.id = e.department
JOIN crm_hr_department AS d ON d.id = e.department
JOIN crm_hr_position AS p ON p.id = e.position
WHERE e.company = {p} AND p.kpi_template IS NOT NULL
    AND (e.start_date IS NULL OR e.start_date <= {p})
    AND (e.end_date IS NULL OR e.end_date >= {p})
    AND (e.start_date IS NULL OR e.start_date <= {p})
    AND (e.end_date IS NULL OR e.end_date >= {p})
ORDER BY e.id
'''
METRIC_SQL = '''
SELECT a.employee, {aggregate}
FROM crm_ticket AS t JOIN crm_service_agent AS a ON a.id = t.agent
WHERE t.resolved_time >= {p} AND t.resolved_time < {p}
GROUP BY a.employee
'''
SLA_MET = ('CASE WHEN t.resolution_deadline IS NULL '
    'OR t.resolved_time <= t.resolution_deadline THEN 1 ELSE 0 END')
# source: (SQL aggregate, the figure from it, the figure of no ticket)
METRICS = {
    'service_tickets_handled': ('COUNT(t.id)', int, 0),
    'service_first_response': ('AVG(t.response_seconds)',
        lambda v: round(float(v) / 60, 2), None),
    'service_sla_compliance': (
        'SUM(%s) * 100.0 / COUNT(t.id)' % SLA_MET,
        lambda v: round(float(v), 2), None),
    'service_reopen_rate': (
        'SUM(CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END) * 100.0 '
        '/ COUNT(t.id)', lambda v: round(float(v), 2), None),
    }
ASSESSMENT_COLUMNS = ['id', 'create_uid', 'create_date', 'campaign',
    'company', 'employee', 'department', 'position', 'template', 'manager',
    'state', 'total', 'grade', 'computed']
LINE_COLUMNS = ['create_uid', 'create_date', 'assessment', 'indicator',
    'sequence', 'name', 'weight', 'target', 'direction', 'source',
    'actual', 'score']


def reference_run(session, campaign_id, departments):
    """The reference: scope, one query per automatic indicator, scores in
    Python, executemany of the assessments and lines, commit.  Return
    seconds and the number of queries."""
    from trytond.modules.crm_hr.engine import kpi
    pool = session.pool
    Line = pool.get('crm.hr.assessment.line')
    Assessment = pool.get('crm.hr.assessment')
    actual_field = Line._fields['actual']
    score_field = Line._fields['score']
    total_field = Assessment._fields['total']
    p = param()
    backend = session.database.backend
    today = dt.date.today()
    low, high = (dt.datetime.combine(START, dt.time()),
        dt.datetime.combine(END + dt.timedelta(days=1), dt.time()))
    with session.transaction() as transaction:
        cursor = transaction.connection.cursor()
        company = transaction.context['company']
        user = transaction.user
        # what the template says, read once (as the ORM path does)
        cursor.execute('SELECT id, sequence, name, weight, target, '
            'direction, source FROM crm_hr_kpi_indicator '
            'WHERE template = (SELECT kpi_template FROM crm_hr_position '
            'WHERE kpi_template IS NOT NULL LIMIT 1) '
            'ORDER BY sequence, id')
        indicators = cursor.fetchall()
        cursor.execute('SELECT indicator, minimum, score FROM crm_hr_kpi_band')
        bands = defaultdict(list)
        for indicator, minimum, points in cursor:
            bands[indicator].append((minimum, points))
        cursor.execute('SELECT code, minimum FROM crm_hr_grade')
        grades = cursor.fetchall()
        transaction.rollback()

    with session.transaction() as transaction:
        cursor = transaction.connection.cursor()
        queries = 0
        started = time.perf_counter()
        cursor.execute(SCOPE_SQL.format(p=p,
                departments=', '.join(map(str, departments))),
            (company, END, START, today, today))
        queries += 1
        scope = cursor.fetchall()
        values = {}
        for source, (aggregate, convert, empty) in METRICS.items():
            cursor.execute(METRIC_SQL.format(p=p, aggregate=aggregate),
                (low, high))
            queries += 1
            values[source] = {e: convert(v) if v is not None else empty
                for e, v in cursor}
        now = dt.datetime.now()
        ids = reserve_ids(cursor, backend, 'crm_hr_assessment', len(scope))
        queries += 1
        assessments, lines = [], []
        for id_, (employee, department, position, template, manager) in zip(
                ids, scope):
            scores = []
            for (indicator, sequence, name, weight, target, direction,
                    source) in indicators:
                actual = score = None
                if source != 'manual':
                    actual = _decimal(values[source].get(
                            employee, METRICS[source][2]))
                    score = _decimal(kpi.score(actual, target, direction,
                            bands.get(indicator)))
                scores.append((score, weight))
                lines.append([user, now, id_, indicator, sequence, name,
                        weight, target, direction, source,
                        actual_field.sql_format(actual),
                        score_field.sql_format(score)])
            total = _decimal(kpi.total(scores))
            assessments.append([id_, user, now, campaign_id, company,
                    employee, department, position, template, manager,
                    'draft', total_field.sql_format(total),
                    kpi.grade(total, grades), now])
        cursor.executemany(insert_sql('crm_hr_assessment',
                ASSESSMENT_COLUMNS), assessments)
        cursor.executemany(insert_sql('crm_hr_assessment_line',
                LINE_COLUMNS), lines)
        queries += 2
        transaction.commit()
        seconds = time.perf_counter() - started
    return seconds, queries, len(scope)


def _decimal(value):
    return (Decimal(str(value)).quantize(Decimal('0.01'))
        if value is not None else None)


# -- the task -----------------------------------------------------------------

def describe(session):
    "What the metrics read: the tickets resolved in the quarter."
    low, high = (dt.datetime.combine(START, dt.time()),
        dt.datetime.combine(END + dt.timedelta(days=1), dt.time()))
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(('SELECT COUNT(*), COUNT(DISTINCT a.employee), '
                'SUM(%s), SUM(CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 '
                'END), AVG(t.response_seconds) / 60.0 '
                'FROM crm_ticket AS t '
                'JOIN crm_service_agent AS a ON a.id = t.agent '
                'WHERE t.resolved_time >= {p} AND t.resolved_time < {p}'
                % SLA_MET).format(p=param()), (low, high))
        resolved, employees, met, reopened, response = cursor.fetchone()
        cursor.execute('SELECT COUNT(*) FROM crm_ticket '
            'WHERE resolved_time IS NULL')
        open_, = cursor.fetchone()
    assert resolved and met and reopened and response, (
        "every metric needs data")
    return ('%d tickets resolved in the quarter by %d employees\' agents '
        '(SLA met %.1f %%, reopened %.1f %%, first response %.1f min on '
        'average), %d still open, the rest resolved after the quarter' % (
            resolved, employees, 100 * met / resolved,
            100 * reopened / resolved, response, open_))


def compare(orm, reference, label):
    "Assert the ORM's figures are the reference's; return their number."
    missing = set(reference) - set(orm)
    extra = set(orm) - set(reference)
    assert not missing and not extra, (
        "%s: employees assessed differ: %d missing, %d extra (%s)" % (
            label, len(missing), len(extra),
            sorted(missing | extra)[:10]))
    wrong = [e for e in reference if orm[e] != reference[e]]
    assert not wrong, "%s: %d assessments differ, e.g. %r vs %r" % (
        label, len(wrong), orm[wrong[0]], reference[wrong[0]])
    return sum(len(f[3]) for f in orm.values())


def run(session, options):
    rng = random.Random(SEED)
    common.progress('organisation: %d employees' % options.employees)
    structure = create_structure(session, options.employees)
    agents, customers = insert_people(session, structure, options.employees,
        rng)
    common.progress('%d tickets over %s..%s' % (options.tickets, START, END))
    insert_tickets(session, structure, agents, customers, options.tickets,
        rng)
    common.vacuum(session)
    data = describe(session)
    common.progress(data)
    counter = Counter(session)
    region = [structure['regions'][0]]
    whole = [structure['root']]
    subset = min(REGION, options.employees)
    in_region = {e for _, e in agents[:subset]}

    # the reference first: its figures check every ORM run
    reference_times, reference_figures = [], None
    for number in range(options.runs):
        # the campaign in draft, made through the ORM outside the clock
        campaign = create_campaign(session,
            '2026年第二季度考核 (参照 %d)' % (number + 1), whole)
        seconds, reference_queries, scoped = reference_run(session,
            campaign, whole)
        reference_times.append(seconds)
        found = figures(session, campaign)
        assert reference_figures in (None, found)
        reference_figures = found
        delete_campaign(session, campaign)
        common.progress('reference %d: %d employees in %.2f s' % (
                number + 1, scoped, seconds))
    assert scoped == options.employees, (scoped, options.employees)
    common.vacuum(session)

    runs = {'subset': [], 'whole': []}
    checked = 0
    for number in range(options.runs):
        for key, departments, size in [('subset', region, subset),
                ('whole', whole, options.employees)]:
            campaign = create_campaign(session,
                '2026年第二季度考核 (%d)' % (number + 1), departments)
            result = orm_run(session, counter, campaign)
            found = figures(session, campaign)
            expected = {e: f for e, f in reference_figures.items()
                if e in in_region} if key == 'subset' else reference_figures
            assert len(expected) == size, (key, len(expected), size)
            checked += compare(found, expected, key)
            delete_campaign(session, campaign)
            runs[key].append(result)
            common.progress('ORM %s %d: %d employees: generate %.2f s '
                '(%d queries), compute %.2f s (%d queries)' % (key,
                    number + 1, size, result['generate']['seconds'],
                    result['generate']['queries'],
                    result['compute']['seconds'],
                    result['compute']['queries']))
        common.vacuum(session)

    def median(key, button, figure):
        return statistics.median(r[button][figure] for r in runs[key])

    def total(key, figure):
        return statistics.median(
            r['generate'][figure] + r['compute'][figure] for r in runs[key])

    def last(key, button):
        "Queries of the last run (caches warm), by statement."
        found = runs[key][-1][button]
        return '%d (%s)' % (found['queries'], ', '.join('%s %d' % k
                for k in sorted(found['kinds'].items(),
                    key=lambda k: -k[1])))
    value = total('whole', 'seconds')
    reference_value = statistics.median(reference_times)
    queries = {key: runs[key][-1]['generate']['queries']
        + runs[key][-1]['compute']['queries'] for key in runs}
    per_employee = {
        subset: round(queries['subset'] / subset, 3),
        options.employees: round(queries['whole'] / options.employees, 3)}
    lines = sum(len(f[3]) for f in reference_figures.values())
    common.progress('ORM %.2f s, reference %.2f s; queries per employee %s'
        % (value, reference_value, per_employee))
    size = {'employees': options.employees, 'indicators': len(INDICATORS),
        'automatic_indicators': len(AUTOMATIC), 'tickets': options.tickets,
        'assessment_lines': lines}
    note = (
        'medians of %d runs. ORM: generate %.2f s (search of the '
        'employees, overlap check, the 4 automatic metrics for all the '
        'employees, create of %d assessments with their %d lines, figures '
        'and scores) + compute %.2f s (the metrics read again, the lines '
        'compared, none changed so none written, computed stamped, totals '
        'checked), each a button call as over RPC (access checked) in a '
        'transaction committed; crm_service\'s metric queries (SQL '
        'aggregates GROUP BY employee) take %.2f s of it. Queries issued '
        'for %d employees: generate %s, compute %s; for %d (one region): '
        'generate %s, compute %s; per employee %s. Reference: %d queries '
        '(scope, one GROUP BY employee per automatic indicator, ids) + 2 '
        'executemany, scores, totals and grades by crm_hr.engine.kpi; '
        'generate alone is %.1f times the reference. Agreement: every '
        'line (indicator, figure, score, weight, target) and every '
        'assessment (total, grade, state) of the ORM campaigns over %d '
        'and %d employees equal the reference\'s (%d lines compared in '
        'all runs). Data: %s. Manual indicators are left unscored, so '
        'totals and grades stay empty in both' % (
            options.runs,
            median('whole', 'generate', 'seconds'), options.employees,
            lines, median('whole', 'compute', 'seconds'),
            total('whole', 'metric_seconds'),
            options.employees, last('whole', 'generate'),
            last('whole', 'compute'), subset, last('subset', 'generate'),
            last('subset', 'compute'), per_employee, reference_queries,
            median('whole', 'generate', 'seconds') / reference_value,
            options.employees, subset, checked, data))
    return common.result(TASK, session.database.backend, size, value, 's',
        'hand-written SQL: employees in scope, one GROUP BY employee query '
        'per automatic indicator, scores in Python, executemany INSERT of '
        'the assessments and lines, committed', reference_value, 'lower',
        runs=options.runs, note=note, extra={
            'queries_per_employee': {str(k): v
                for k, v in per_employee.items()},
            'generate_s': median('whole', 'generate', 'seconds'),
            'compute_s': median('whole', 'compute', 'seconds'),
            'agreement': 1.0,
            })


def argument_parser():
    parser = common.argument_parser(__doc__.splitlines()[0],
        customers=False)
    parser.add_argument('--employees', type=int, default=2000)
    parser.add_argument('--tickets', type=int, default=500000)
    parser.add_argument('--runs', type=int, default=3)
    return parser


def main(argv=None):
    options = argument_parser().parse_args(argv)
    return common.run_task(
        TASK, options, MODULES, lambda session: run(session, options))


if __name__ == '__main__':
    sys.exit(main())
