# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A service centre over XML-RPC, from set-up to the agent's metrics.

Issue 3's "done means" against a real trytond with crm_service (the
``service_server`` of conftest.py), each step done by the user who does it
in the company:

- the administrator creates the employees and their users: a supervisor
  working in zh_CN (Service Supervisor and CRM User) and agents (Service
  Agent);
- the supervisor creates the centre and supervises it, skills, an SLA
  policy, queues and four agents of whom only Wang may take the next
  repair ticket: Li lacks the skill level, Zhao is away and Chen is full,
  although Zhao and Chen would win on skill;
- Li, at the front desk, creates a ticket from the caller's number alone,
  received an hour ago: it finds the customer, goes to Wang, shows the
  customer's card and joins the customer's timeline;
- the escalation cron runs as in production: the "Run Once" button of
  Administration > Scheduler > Actions (ir.cron run_once), then a
  ``trytond-cron --once`` process on the same database once the
  first-response deadline has passed: about to breach, then breached
  with the priority raised and the supervisor told, then nothing more;
- Wang cannot resolve without a resolution (nothing changes), then
  resolves; a survey score of 7 is refused in zh_CN, 4 is kept;
- the metrics of the crm_core extension point (the way KPI assessments
  read them, in a Python process on the database), the supervisor's
  agent metrics for the day and agent monitor show the ticket for Wang and
  nothing for the others.

Apart from the story: every list and form view of the CRM modules uses
only widgets that the installed sao can draw (sao has no list column for
a date and time field, which must be shown as two columns, date and
time).
"""
import copy
import datetime as dt
import json
import re
import secrets
import sys
import time
import xml.etree.ElementTree as ET
import xmlrpc.client
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polib
import pytest

from server import BIN

ROOT = Path(__file__).resolve().parents[1]
SAO_JS = ROOT / 'var' / 'sao' / 'dist' / 'tryton-sao.js'
ZH_CN_PO = ROOT / 'addons' / 'crm_service' / 'locale' / 'zh_CN.po'
CJK = re.compile('[\u4e00-\u9fff]')
SUPERVISOR = ['crm_service.group_service_supervisor', 'crm_core.group_crm']
AGENT = ['crm_service.group_service_agent']
# The first-response target of normal tickets and how long before it the
# story ticket is created: the cron runs once before the deadline, once
# after it.
RESPONSE_HOURS, RESOLUTION_HOURS = 1, 4
MARGIN = dt.timedelta(seconds=20)
TICKET_FIELDS = [
    'number', 'party', 'contact', 'centre', 'queue', 'agent', 'state',
    'priority', 'type', 'channel', 'resolution', 'create_time',
    'assigned_time', 'first_response_time', 'resolved_time',
    'response_deadline', 'resolution_deadline', 'sla_state',
    'response_seconds', 'handling_seconds', 'escalations', 'surveys']

# The crm_core extension point (company.employee.compute_crm_metric) is
# Python only: KPI assessments call it inside trytond.  This runs it the
# same way in a process of its own: argv = config, database, company,
# start, end, employee ids (JSON).
METRICS = '''
import datetime as dt, json, sys
from trytond import config
config.update_etc([sys.argv[1]])
from trytond.pool import Pool
from trytond.transaction import Transaction
database, company = sys.argv[2], int(sys.argv[3])
start, end = map(dt.date.fromisoformat, sys.argv[4:6])
pool = Pool(database)
pool.init()
with Transaction().start(database, 0, readonly=True,
        context={'company': company}):
    Employee = pool.get('company.employee')
    employees = Employee.browse(json.loads(sys.argv[6]))
    print(json.dumps({code: {str(k): v for k, v in
                    Employee.compute_crm_metric(
                        code, employees, start, end).items()}
            for code, _ in Employee.crm_metrics()
            if code.startswith('service_')}))
'''


def utcnow():
    "trytond runs in UTC and stores naive datetimes"
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def rpc_date(value):
    return {'__class__': 'date',
        'year': value.year, 'month': value.month, 'day': value.day}


def from_rpc_date(value):
    assert value['__class__'] == 'date', value
    return dt.date(value['year'], value['month'], value['day'])


def fault(client, *args):
    "The Fault that the call raises"
    with pytest.raises(xmlrpc.client.Fault) as info:
        client(*args)
    return info.value


def read_one(client, model, id_, fields):
    record, = client(model, 'read', [id_], fields)
    return record


def zh_cn_message(msg_id):
    context = f'model:ir.message,text:{msg_id}'
    entry, = [e for e in polib.pofile(str(ZH_CN_PO))
        if e.msgctxt == context]
    assert entry.msgstr and not entry.fuzzy, context
    return entry.msgstr


@dataclass
class Staff:
    "The users and employees of the centre"
    admin: object
    supervisor: object  # Client, zh_CN
    wang: object  # Client of the agent who gets the ticket
    li: object  # Client of the front-desk agent
    employees: dict  # {'supervisor'|'wang'|'li'|'zhao'|'chen': id}


@dataclass
class Centre:
    centre: int
    repair: int  # queue needing Plumbing >= 2
    complaints: int  # queue needing Complaints >= 1
    policy: int
    plumbing: int
    agents: dict  # {'wang'|'li'|'zhao'|'chen': id}


@pytest.fixture(scope='module')
def tag():
    return secrets.token_hex(3)


@pytest.fixture(scope='module')
def staff(service_server, tag):
    admin = service_server.admin()
    company = admin.context['company']
    employees, clients = {}, {}
    for key, name, groups, language in [
            ('supervisor', '周主管', SUPERVISOR, 'zh_CN'),
            ('wang', '王强', AGENT, 'en'),
            ('li', '李娜', AGENT, 'en'),
            ('zhao', '赵敏', None, None),
            ('chen', '陈刚', None, None)]:
        party_id, = admin('party.party', 'create', [
                {'name': f'{name} {tag}'}])
        employees[key], = admin('company.employee', 'create', [
                {'party': party_id, 'company': company}])
        if groups is None:
            continue
        login, password = f'{key}_{tag}', f'{key}-{secrets.token_hex(6)}'
        user_id = service_server.create_user(login, password, groups,
            language)
        admin('res.user', 'write', [user_id], {
                'employees': [('add', [employees[key]])],
                'employee': employees[key]})
        clients[key] = service_server.client(login, password)
    return Staff(admin=admin, employees=employees, **clients)


@pytest.fixture(scope='module')
def centre(staff, tag):
    "What the supervisor sets up, over XML-RPC"
    supervisor, employees = staff.supervisor, staff.employees
    centre_id, = supervisor('crm.service.centre', 'create', [{
                'name': f'浦东客服中心 {tag}',
                'reopen_days': 10,
                'supervisors': [('add', [employees['supervisor']])],
                'entry_points': [('create', [{
                                'channel': 'phone',
                                'address': '400 820 8820'}])],
                # no working hours: open around the clock
                }])
    plumbing, complaints = supervisor('crm.service.skill', 'create', [
            {'name': f'水电维修 {tag}'}, {'name': f'投诉处理 {tag}'}])
    policy_id, = supervisor('crm.service.sla.policy', 'create', [{
                'name': f'标准 {tag}',
                'warn_ratio': 0.8,
                'lines': [('create', [{
                                'priority': priority,
                                'response_hours': RESPONSE_HOURS / factor,
                                'resolution_hours':
                                RESOLUTION_HOURS / factor}
                            for priority, factor in [
                                ('low', 1), ('normal', 1), ('high', 2),
                                ('urgent', 4)]])],
                }])
    repair, complaint_queue = supervisor('crm.service.queue', 'create', [{
                'name': f'报修 {tag}', 'centre': centre_id,
                'sla_policy': policy_id,
                'skills': [('create', [{'skill': plumbing, 'level': 2}])],
                }, {
                'name': f'投诉 {tag}', 'centre': centre_id,
                'sla_policy': policy_id,
                'skills': [('create', [{'skill': complaints, 'level': 1}])],
                }])

    def agent(key, level, capacity, presence):
        return {
            'employee': employees[key], 'centre': centre_id,
            'capacity': capacity, 'presence': presence,
            'channels': ['phone', 'web'],
            'skills': [('create', [{'skill': plumbing, 'level': level}])],
            }
    ids = supervisor('crm.service.agent', 'create', [
            agent('wang', 3, 3, 'available'),
            agent('li', 1, 3, 'available'),
            agent('zhao', 5, 3, 'away'),
            agent('chen', 5, 1, 'available')])
    return Centre(centre=centre_id, repair=repair,
        complaints=complaint_queue, policy=policy_id, plumbing=plumbing,
        agents=dict(zip(['wang', 'li', 'zhao', 'chen'], ids)))


@pytest.fixture(scope='module')
def customer(staff, tag):
    """An active customer with a mobile, a segment, a value tier, a
    purchase and an earlier call: (id, name, mobile); and another one"""
    admin = staff.admin
    company, = admin('company.company', 'read', [
            admin.context['company']], ['currency'])
    segment, = admin('crm.segment', 'create', [
            {'name': f'业主 {tag}', 'code': f'OWN-{tag}'}])
    mobile = f'139 {secrets.randbelow(10 ** 4):04d} ' \
        f'{secrets.randbelow(10 ** 4):04d}'
    name = f'刘芳 {tag}'
    party_id, = admin('party.party', 'create', [{
                'name': name,
                'contact_mechanisms': [('create', [
                            {'type': 'mobile', 'value': mobile}])],
                }])
    for stage in ['new', 'active']:
        admin('party.party', 'write', [party_id], {'lifecycle_stage': stage})
    admin('party.party', 'write', [party_id], {
            'segment': segment, 'segment_manual': True,
            'value_tier': 'b', 'value_tier_manual': True})
    admin('crm.purchase', 'create', [{
                'company': admin.context['company'], 'party': party_id,
                'date': rpc_date(dt.date(2024, 5, 18)),
                'description': '滨江花园 3-1201', 'quantity': 1.0,
                'amount': {'__class__': 'Decimal', 'decimal': '1280000.00'},
                'currency': company['currency']}])
    admin('crm.interaction', 'create', [{
                'party': party_id, 'channel': 'phone',
                'direction': 'inbound', 'date': utcnow() - dt.timedelta(
                    days=30),
                'subject': '咨询物业费'}])
    other_id, = admin('party.party', 'create', [{'name': f'孙伟 {tag}'}])
    return party_id, name, mobile, other_id


def test_supervisor_sets_up_centre(staff, centre, tag):
    "What the supervisor typed reads back; an agent sees but cannot set up"
    supervisor = staff.supervisor
    record = read_one(supervisor, 'crm.service.centre', centre.centre, [
            'name', 'company', 'reopen_days', 'supervisors', 'queues',
            'agents', 'hours'])
    assert record['name'] == f'浦东客服中心 {tag}'
    assert record['company'] == supervisor.context['company']
    assert record['supervisors'] == [staff.employees['supervisor']]
    assert sorted(record['queues']) == sorted(
        [centre.repair, centre.complaints])
    assert sorted(record['agents']) == sorted(centre.agents.values())
    queue = read_one(supervisor, 'crm.service.queue', centre.repair, [
            'sla_policy', 'skills'])
    assert queue['sla_policy'] == centre.policy
    skill = read_one(supervisor, 'crm.service.queue.skill',
        queue['skills'][0], ['skill', 'level'])
    assert (skill['skill'], skill['level']) == (centre.plumbing, 2)
    lines = supervisor('crm.service.sla.policy.line', 'search_read', [
            ('policy', '=', centre.policy)], 0, None, None, [
            'priority', 'response_hours', 'resolution_hours'])
    assert {line['priority']: (line['response_hours'],
            line['resolution_hours']) for line in lines} == {
        'low': (1, 4), 'normal': (1, 4), 'high': (0.5, 2),
        'urgent': (0.25, 1)}
    agents = {a['id']: a for a in supervisor('crm.service.agent', 'read',
            list(centre.agents.values()), [
                'employee', 'presence', 'capacity', 'open_tickets'])}
    assert {key: (agents[i]['employee'], agents[i]['presence'],
            agents[i]['capacity'])
        for key, i in centre.agents.items()} == {
        'wang': (staff.employees['wang'], 'available', 3),
        'li': (staff.employees['li'], 'available', 3),
        'zhao': (staff.employees['zhao'], 'away', 3),
        'chen': (staff.employees['chen'], 'available', 1)}

    # An agent reads the set-up, sets no one up and changes only their
    # own presence
    li = staff.li
    assert li('crm.service.centre', 'search', [
            ('id', '=', centre.centre)], 0, None, None) == [centre.centre]
    error = fault(li, 'crm.service.agent', 'create', [{
                'employee': staff.employees['li'],
                'centre': centre.centre, 'capacity': 9}])
    assert error.faultString.startswith(
        'You are not allowed to access "Service Agent".'), error.faultString
    error = fault(li, 'crm.service.agent', 'write',
        [centre.agents['wang']], {'presence': 'offline'})
    assert error.faultString.startswith('You are not allowed to write to '
        f'records "{centre.agents["wang"]}" of "Service Agent"'), \
        error.faultString
    assert read_one(supervisor, 'crm.service.agent', centre.agents['wang'],
        ['presence'])['presence'] == 'available'
    for presence in ['busy', 'available']:
        li('crm.service.agent', presence, [centre.agents['li']])
        assert read_one(supervisor, 'crm.service.agent',
            centre.agents['li'], ['presence'])['presence'] == presence


def _run_cron_button(staff):
    "Administration > Scheduler > Actions: Run Once on the escalation"
    cron = staff.admin.get_id('crm_service.cron_ticket_escalate')
    staff.admin('ir.cron', 'run_once', [cron])


def _run_trytond_cron(server, staff):
    """trytond-cron --once on the server's database: what the cron process
    of a deployment does every minute.  The escalation task is due (as it
    is every five minutes); the task's log shows that it ran."""
    admin = staff.admin
    cron = admin.get_id('crm_service.cron_ticket_escalate')
    admin('ir.cron', 'write', [cron], {'next_call': None})
    logs = read_one(admin, 'ir.cron', cron, ['logs'])['logs']
    output = server.command(BIN / 'trytond-cron', '-c', server.config,
        '-d', server.database, '--once', '-n', '1')
    record = read_one(admin, 'ir.cron', cron, ['logs', 'next_call'])
    assert len(record['logs']) == len(logs) + 1, output
    assert record['next_call'] > utcnow(), output


def _escalations(supervisor, ticket):
    return supervisor('crm.ticket.escalation', 'search_read', [
            ('ticket', '=', ticket['id'])], 0, None, [('id', 'ASC')],
        ['level', 'from_priority', 'to_priority', 'agent', 'date'])


def _supervisor_follow_ups(staff, ticket):
    return staff.supervisor('crm.interaction', 'search_read', [
            ('employee', '=', staff.employees['supervisor']),
            ('origin', '=', f'crm.ticket,{ticket["id"]}'),
            ], 0, None, [('id', 'ASC')], ['subject', 'follow_up_date'])


def test_ticket_from_phone_number(service_server, staff, centre, customer):
    supervisor, li, wang = staff.supervisor, staff.li, staff.wang
    customer_id, customer_name, mobile, other_id = customer
    digits = mobile.replace(' ', '')

    def ticket(id_, fields=TICKET_FIELDS):
        return read_one(supervisor, 'crm.ticket', id_, fields)

    # Two earlier repair calls: Chen, the most skilled agent available,
    # takes the first and is full; Wang the second.
    first_id, second_id = li('crm.ticket', 'create', [{
                'centre': centre.centre, 'queue': centre.repair,
                'party': customer_id, 'subject': '门锁坏了',
                'type': 'repair'}, {
                'centre': centre.centre, 'queue': centre.repair,
                'party': other_id, 'subject': '空调不制冷',
                'type': 'repair'}])
    assert ticket(first_id)['agent'] == centre.agents['chen']
    assert ticket(second_id)['agent'] == centre.agents['wang']

    # The caller's number, spelt as the switchboard gives it
    contact = f'+86-{digits[:3]}-{digits[3:7]}-{digits[7:]}'
    sent = utcnow()
    received = sent - dt.timedelta(hours=RESPONSE_HOURS) + MARGIN
    ticket_id, = li('crm.ticket', 'create', [{
                'centre': centre.centre, 'queue': centre.repair,
                'contact': contact, 'type': 'repair',
                'subject': '厨房水管漏水',
                'description': '水从橱柜下面渗出来，已关总阀。',
                'create_time': received,
                }])
    # the cron's first run must come before the deadline: first thing
    _run_cron_button(staff)
    story = ticket(ticket_id)

    # Routed to Wang, the one eligible agent, with deadlines from the SLA
    assert story['party'] == customer_id
    assert story['contact'] == contact
    assert story['agent'] == centre.agents['wang'], {
        key: id_ for key, id_ in centre.agents.items()
        if id_ == story['agent']}
    assert story['state'] == 'assigned'
    assert story['number'].startswith('T')
    assert story['create_time'] == received
    assert story['assigned_time'] >= sent
    assert story['response_deadline'] == received + dt.timedelta(
        hours=RESPONSE_HOURS)
    assert story['resolution_deadline'] == received + dt.timedelta(
        hours=RESOLUTION_HOURS)
    # The caller was found, not created again
    assert supervisor('party.party', 'search', [
            ('rec_name', 'ilike', f'%{digits}%')], 0, None, None) == [
        customer_id]
    # Li took the call but the ticket went to Wang's desk: Li no longer
    # sees it
    error = fault(li, 'crm.ticket', 'read', [ticket_id], ['state'])
    assert 'Service Ticket' in error.faultString

    # The first cron run: 59'40" of the 60' target have gone
    assert (story['sla_state'], story['priority']) == ('warning', 'normal')
    warning, = _escalations(supervisor, story)
    assert (warning['level'], warning['from_priority'],
        warning['to_priority'], warning['agent']) == (
        'warning', 'normal', 'normal', centre.agents['wang'])
    assert warning['date'] < story['response_deadline']
    for id_ in [first_id, second_id]:
        assert ticket(id_, ['sla_state', 'escalations']) == {
            'id': id_, 'sla_state': 'ok', 'escalations': []}

    # The customer's card, as the supervisor (zh_CN) sees it
    first_number = ticket(first_id, ['number'])['number']
    card = ticket(ticket_id, [
            'customer_segment', 'customer_value_tier', 'customer_lifecycle',
            'customer_purchase_amount', 'customer_open_tickets',
            'customer_interactions', 'customer_purchases',
            'party.rec_name'])
    stages = dict(supervisor('party.party', 'fields_get', [
                'lifecycle_stage'])['lifecycle_stage']['selection'])
    party = read_one(supervisor, 'party.party', customer_id, [
            'segment', 'purchases', 'interactions'])
    assert card['party.']['rec_name'] == customer_name
    assert card['customer_segment'] == party['segment']
    assert card['customer_value_tier'] == 'b'
    # ... which the card shows with its label, not as 'b'
    selection = supervisor('crm.ticket', 'fields_get', [
            'customer_value_tier'])['customer_value_tier']['selection']
    tiers = dict(supervisor('crm.ticket', selection))
    assert tiers['b'] == dict(supervisor('party.party', 'fields_get', [
                'value_tier'])['value_tier']['selection'])['b']
    assert CJK.search(tiers['b'])
    assert card['customer_lifecycle'] == stages['active']
    assert CJK.search(card['customer_lifecycle'])
    assert card['customer_purchase_amount'] == Decimal('1280000.00')
    assert card['customer_purchases'] == party['purchases']
    assert card['customer_open_tickets'] == [first_id]
    assert sorted(card['customer_interactions']) == sorted(
        party['interactions'])
    # ... and the customer's timeline: the call of a month ago, the two
    # tickets (taken by Li) and the supervisor's follow-up of the warning
    timeline = supervisor('crm.interaction', 'read', party['interactions'],
        ['subject', 'origin', 'channel', 'direction', 'date', 'employee'])
    logged, = [i for i in timeline
        if i['origin'] == f'crm.ticket,{ticket_id}'
        and i['direction'] == 'inbound']
    assert logged == {
        'id': logged['id'],
        'subject': f'{story["number"]}: 厨房水管漏水',
        'origin': f'crm.ticket,{ticket_id}',
        'channel': 'phone', 'direction': 'inbound', 'date': received,
        'employee': staff.employees['li']}
    assert sorted(i['subject'] for i in timeline) == sorted([
            '咨询物业费', f'{first_number}: 门锁坏了',
            f'{story["number"]}: 厨房水管漏水',
            f'SLA escalation of {story["number"]}: About to Breach'])
    # The form's screen pop: typing the number proposes the customer
    changes = supervisor('crm.ticket', 'on_change',
        {'contact': digits, 'party': None}, ['contact'])
    assert (changes['party'], changes['party.']['rec_name']) == (
        customer_id, customer_name)
    unknown = supervisor('crm.ticket', 'on_change',
        {'contact': '139 0000 0001', 'party': None}, ['contact'])
    assert unknown.get('party') is None

    # Past the first-response deadline, the cron process escalates
    wait = (story['response_deadline'] - utcnow()).total_seconds() + 1
    if wait > 0:
        time.sleep(wait)
    _run_trytond_cron(service_server, staff)
    story = ticket(ticket_id)
    assert (story['sla_state'], story['priority']) == ('breached', 'high')
    assert story['agent'] == centre.agents['wang']
    warning_, breach = _escalations(supervisor, story)
    assert warning_ == warning
    assert (breach['level'], breach['from_priority'],
        breach['to_priority'], breach['agent']) == (
        'breached', 'normal', 'high', centre.agents['wang'])
    assert breach['date'] > story['response_deadline']
    follow_ups = _supervisor_follow_ups(staff, story)
    assert [f['subject'] for f in follow_ups] == [
        f'SLA escalation of {story["number"]}: About to Breach',
        f'SLA escalation of {story["number"]}: Breached']
    assert {from_rpc_date(f['follow_up_date']) for f in follow_ups} == {
        breach['date'].date()}
    for id_ in [first_id, second_id]:
        assert ticket(id_, ['sla_state', 'escalations']) == {
            'id': id_, 'sla_state': 'ok', 'escalations': []}
    # Once breached, nothing more
    _run_cron_button(staff)
    assert ticket(ticket_id)['escalations'] == story['escalations']
    assert len(_supervisor_follow_ups(staff, story)) == 2

    # Wang starts, and cannot resolve without a resolution
    wang('crm.ticket', 'start', [ticket_id])
    wang('crm.ticket', 'write', [ticket_id], {'resolution': '  '})
    before = ticket(ticket_id)
    assert before['state'] == 'in_progress'
    assert before['first_response_time'] > story['response_deadline']
    wang_open = read_one(supervisor, 'crm.service.agent',
        centre.agents['wang'], ['open_tickets'])
    for button in ['resolve', 'close']:
        error = fault(wang, 'crm.ticket', button, [ticket_id])
        assert error.faultCode == 1
        if button == 'resolve':
            assert error.faultString.startswith(
                f'Ticket "{story["number"]}" needs a resolution before it '
                'is resolved or closed.'), error.faultString
        assert ticket(ticket_id) == before, button
    assert read_one(supervisor, 'crm.service.agent', centre.agents['wang'],
        ['open_tickets']) == wang_open
    wang('crm.ticket', 'write', [ticket_id], {
            'resolution': '更换了水槽下的软管，已试水无渗漏。'})
    wang('crm.ticket', 'resolve', [ticket_id])
    story = ticket(ticket_id)
    assert story['state'] == 'resolved'
    assert story['resolved_time'] >= before['first_response_time']
    assert story['handling_seconds'] == int((
            story['resolved_time'] - story['assigned_time']).total_seconds())
    assert story['response_seconds'] >= RESPONSE_HOURS * 3600
    assert read_one(supervisor, 'crm.service.agent', centre.agents['wang'],
        ['open_tickets'])['open_tickets'] == wang_open['open_tickets'] - 1

    # The customer's survey: 7 is refused in the supervisor's language
    error = fault(supervisor, 'crm.ticket.survey', 'create', [{
                'ticket': ticket_id, 'score': 7}])
    assert error.faultCode == 1
    expected = zh_cn_message('msg_survey_score') % {
        'ticket': story['number'], 'score': 7}
    assert error.faultString.startswith(expected), error.faultString
    assert 'must be between' not in error.faultString
    assert ticket(ticket_id)['surveys'] == []
    survey_id, = supervisor('crm.ticket.survey', 'create', [{
                'ticket': ticket_id, 'score': 4,
                'comment': '师傅很专业，就是来得晚了点。'}])
    survey = read_one(supervisor, 'crm.ticket.survey', survey_id, [
            'agent', 'score', 'date'])
    assert (survey['agent'], survey['score']) == (centre.agents['wang'], 4)
    # 4 is above the low score: no follow-up for the supervisor
    assert len(_supervisor_follow_ups(staff, story)) == 2

    # The metrics per agent for the day the ticket was resolved
    day = story['resolved_time'].date()
    keys = ['wang', 'li', 'zhao', 'chen']
    employee_ids = [staff.employees[k] for k in keys]
    output = service_server.command(sys.executable, '-c', METRICS,
        service_server.config, service_server.database,
        supervisor.context['company'], day.isoformat(),
        (day + dt.timedelta(days=1)).isoformat(), json.dumps(employee_ids))
    metrics = json.loads(output.strip().splitlines()[-1])
    wang_metrics = {code: values[str(staff.employees['wang'])]
        for code, values in metrics.items()}
    assert wang_metrics == {
        'service_tickets_handled': 1,
        'service_first_response': round(story['response_seconds'] / 60, 2),
        'service_handling_time': round(story['handling_seconds'] / 60, 2),
        'service_sla_compliance': 100.0,
        'service_csat': 4.0,
        'service_reopen_rate': 0.0,
        }
    for key in keys[1:]:
        assert metrics['service_tickets_handled'][
            str(staff.employees[key])] == 0, key
        assert metrics['service_csat'][str(staff.employees[key])] is None
    # ... in the supervisor's Service Centre > Metrics > Agents for the day
    period = copy.copy(supervisor)
    period.context = dict(supervisor.context, centre=centre.centre,
        from_date=rpc_date(day), to_date=rpc_date(day))
    rows = {row['agent']: row for row in period(
            'crm.service.metrics.agent', 'search_read', [], 0, None, None,
            ['agent', 'employee', 'handled', 'first_response',
                'handling_time', 'sla_compliance', 'reopen_rate', 'surveys',
                'csat'])}
    assert set(rows) == set(centre.agents.values())
    row = rows[centre.agents['wang']]
    assert (row['employee'], row['handled'], row['surveys']) == (
        staff.employees['wang'], 1, 1)
    assert float(row['csat']) == 4.0
    assert float(row['sla_compliance']) == 100.0
    assert float(row['reopen_rate']) == 0.0
    assert float(row['first_response']) == pytest.approx(
        story['response_seconds'] / 60)
    assert float(row['handling_time']) == pytest.approx(
        story['handling_seconds'] / 60)
    for key in keys[1:]:
        row = rows[centre.agents[key]]
        assert (row['handled'], row['surveys'], row['csat']) == (
            0, 0, None), key
    # ... and in the supervisor's agent monitor
    monitor = {row['agent']: row for row in supervisor(
            'crm.service.agent.monitor', 'search_read', [
                ('centre', '=', centre.centre)], 0, None, None,
            ['agent', 'presence', 'open', 'capacity', 'handled_today'])}
    assert {key: (monitor[centre.agents[key]]['open'],
            monitor[centre.agents[key]]['handled_today'])
        for key in keys} == {
        'wang': (1, 1), 'li': (0, 0), 'zhao': (0, 0), 'chen': (1, 0)}


def _sao_widgets(kind):
    "The widget names of sao's Form or Tree view parser"
    source = SAO_JS.read_text(encoding='utf-8')
    start = source.index(f'Sao.View.{kind}XMLViewParser.WIDGETS = {{')
    block = source[start:source.index('};', start)]
    return set(re.findall(r"'([a-z0-9_]+)':", block))


@pytest.mark.skipif(not SAO_JS.exists(), reason='sao is not installed')
def test_views_use_widgets_of_sao(staff):
    """A list or form view with a widget sao lacks does not open at all
    ("ColumnFactory is not a constructor"), nor any form showing it."""
    admin = staff.admin
    views = admin('ir.ui.view', 'search_read', [
            ('module', 'like', 'crm_%'), ('type', 'in', ['tree', 'form'])],
        0, None, None, ['model', 'type', 'name', 'module'])
    assert len(views) > 20
    widgets = {kind: _sao_widgets(name)
        for kind, name in [('tree', 'Tree'), ('form', 'Form')]}
    missing = []
    for view in views:
        result = admin(view['model'], 'fields_view_get', view['id'],
            view['type'])
        for node in ET.fromstring(result['arch']).iter('field'):
            field = result['fields'][node.get('name')]
            widget = node.get('widget') or field['type']
            if widget not in widgets[view['type']]:
                missing.append(
                    f"{view['module']}/view/{view['name']}.xml: "
                    f"{node.get('name')} ({widget})")
    assert not missing, missing
