# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""KPI assessments over XML-RPC, fed by the service centre's live data.

Issue 4's "done means" against a real trytond with crm_service and crm_hr
(``service_server`` of conftest.py), each step done by the user whose job
it is:

- an HR manager working in zh_CN defines a department (with its manager),
  a position for service agents and its KPI template: tickets handled
  (from crm_service, an indicator source crm_hr does not name) and a
  manual indicator; a template whose weights do not make 100 is refused
  in Chinese and nothing of it is stored;
- two agents of that department resolve tickets in the service centre;
- the HR manager runs this quarter's campaign: one assessment per agent,
  tickets handled read from the tickets;
- the department manager scores the manual indicator and reviews, but may
  not approve; the HR manager approves, adds the bonus rules and
  downloads the bonus list as .xlsx, read back cell by cell.
"""
import datetime as dt
import io
import re
import secrets
import xmlrpc.client
from decimal import Decimal

import openpyxl
import pytest

CJK = re.compile('[\u4e00-\u9fff]')


def quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def quarter_end(day):
    month = quarter_start(day).month + 3
    following = dt.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def rpc_date(value):
    return {'__class__': 'date',
        'year': value.year, 'month': value.month, 'day': value.day}


def decimal(value):
    return {'__class__': 'Decimal', 'decimal': str(value)}


def fault(client, *args):
    with pytest.raises(xmlrpc.client.Fault) as info:
        client(*args)
    return info.value


@pytest.fixture(scope='module')
def hr(service_server):
    "The admin, an HR manager (zh_CN), a department manager and 2 agents"
    tag = secrets.token_hex(3)
    admin = service_server.admin()
    company = admin.context['company']
    people = {}
    for key, name in [('boss', '钱经理'), ('wang', '王强'), ('li', '李娜'),
            ('hrm', '人事 孙')]:
        party, = admin('party.party', 'create', [{'name': f'{name} {tag}'}])
        people[key], = admin('company.employee', 'create', [{
                    'party': party, 'company': company,
                    'salary': decimal(10000),
                    'start_date': rpc_date(dt.date(2024, 1, 1))}])
    clients = {}
    for key, groups, language in [
            ('hrm', ['crm_hr.group_hr_manager'], 'zh_CN'),
            ('boss', ['crm_hr.group_hr_department_manager'], 'en')]:
        login, password = f'{key}_{tag}', secrets.token_hex(8)
        user = service_server.create_user(login, password, groups, language)
        admin('res.user', 'write', [user], {
                'employees': [('add', [people[key]])],
                'employee': people[key]})
        clients[key] = service_server.client(login, password)
    return tag, admin, clients['hrm'], clients['boss'], people


def resolve_tickets(admin, tag, employee, count):
    "count tickets resolved by employee's agent in a centre of its own"
    # the admin supervises the centre: agents are created there
    centre, = admin('crm.service.centre', 'create', [{
                'name': f'Centre {tag} {employee}',
                'supervisors': [('add', [admin.context['employee']])]}])
    skill, = admin('crm.service.skill', 'create', [
            {'name': f'Skill {tag} {employee}'}])
    queue, = admin('crm.service.queue', 'create', [{
                'name': 'Repairs', 'centre': centre,
                'skills': [('create', [{'skill': skill, 'level': 1}])]}])
    agent, = admin('crm.service.agent', 'create', [{
                'employee': employee, 'centre': centre, 'capacity': 10,
                'presence': 'available', 'channels': ['phone'],
                'skills': [('create', [{'skill': skill, 'level': 2}])]}])
    party, = admin('party.party', 'create', [{'name': f'Caller {tag}'}])
    tickets = admin('crm.ticket', 'create', [{
                'centre': centre, 'queue': queue, 'party': party,
                'channel': 'phone', 'subject': 'Leak'}] * count)
    assert {t['agent'] for t in admin('crm.ticket', 'read', tickets,
            ['agent'])} == {agent}
    admin('crm.ticket', 'write', tickets, {'resolution': 'Fixed'})
    admin('crm.ticket', 'resolve', tickets)
    return tickets


def test_quarterly_campaign_from_service_data(service_server, hr):
    tag, admin, hrm, boss, people = hr
    department, = hrm('crm.hr.department', 'create', [
            {'name': f'客服部 {tag}', 'manager': people['boss']}])
    indicators = [
        {'name': '处理工单数', 'weight': decimal(60), 'target': decimal(4),
            'direction': 'higher', 'source': 'service_tickets_handled'},
        {'name': '服务态度', 'weight': decimal(40), 'target': decimal(100),
            'direction': 'higher', 'source': 'manual'}]
    bad = dict(indicators[1], weight=decimal(30))
    error = fault(hrm, 'crm.hr.kpi.template', 'create', [{
                'name': f'Bad {tag}',
                'indicators': [('create', [indicators[0], bad])]}])
    assert CJK.search(error.faultString), error.faultString
    assert '90' in error.faultString
    assert hrm('crm.hr.kpi.template', 'search',
        [('name', '=', f'Bad {tag}')]) == []
    assert hrm('crm.hr.kpi.indicator', 'search',
        [('template.name', '=', f'Bad {tag}')]) == []

    # the sources offered by every active module, in the user's language
    method = hrm('crm.hr.kpi.indicator', 'fields_get', ['source'])[
        'source']['selection']
    sources = dict(hrm('crm.hr.kpi.indicator', method))
    assert {'manual', 'service_tickets_handled',
        'crm_interactions_logged'} <= set(sources)
    assert all(CJK.search(label) for label in sources.values()), sources

    template, = hrm('crm.hr.kpi.template', 'create', [{
                'name': f'客服 KPI {tag}',
                'indicators': [('create', indicators)]}])
    position, = hrm('crm.hr.position', 'create', [{
                'name': f'客服专员 {tag}', 'department': department,
                'kpi_template': template}])
    hrm('company.employee', 'write', [people['wang'], people['li']], {
            'department': department, 'position': position})
    resolve_tickets(admin, tag, people['wang'], 3)
    resolve_tickets(admin, tag, people['li'], 5)

    today = dt.date.today()
    campaign, = hrm('crm.hr.campaign', 'create', [{
                'name': f'本季度 {tag}', 'period': 'quarter',
                'start_date': rpc_date(quarter_start(today)),
                'end_date': rpc_date(quarter_end(today)),
                'departments': [('add', [department])]}])
    hrm('crm.hr.campaign', 'generate', [campaign])
    assessments = hrm('crm.hr.assessment', 'search_read', [
            ('campaign', '=', campaign)], 0, None, None,
        ['employee', 'lines', 'state'])
    assert {a['employee'] for a in assessments} == {
        people['wang'], people['li']}
    by_employee = {a['employee']: a for a in assessments}
    lines = {(a['employee'], l['name']): l
        for a in assessments
        for l in hrm('crm.hr.assessment.line', 'read', a['lines'],
            ['name', 'actual', 'score'])}
    assert lines[people['wang'], '处理工单数']['actual'] == Decimal(3)
    assert lines[people['wang'], '处理工单数']['score'] == Decimal(75)
    assert lines[people['li'], '处理工单数']['score'] == Decimal(125)

    # the department manager scores the manual indicator and reviews
    for key, actual in [('wang', 90), ('li', 70)]:
        boss('crm.hr.assessment.line', 'write',
            [lines[people[key], '服务态度']['id']], {'actual': decimal(actual)})
    ids = [by_employee[people[k]]['id'] for k in ['wang', 'li']]
    boss('crm.hr.assessment', 'review', ids)
    error = fault(boss, 'crm.hr.assessment', 'approve', ids)
    assert 'approve' in error.faultString
    error = fault(boss, 'crm.hr.assessment.line', 'write',
        [lines[people['wang'], '处理工单数']['id']], {'actual': decimal(99)})
    assert 'live data' in error.faultString

    hrm('crm.hr.assessment', 'approve', ids)
    totals = {a['employee']: (a['total'], a['grade'], a['state'])
        for a in hrm('crm.hr.assessment', 'read', ids,
            ['employee', 'total', 'grade', 'state'])}
    # wang: 75 * .6 + 90 * .4 = 81; li: 125 * .6 + 70 * .4 = 103
    assert totals == {
        people['wang']: (Decimal('81.00'), 'B', 'approved'),
        people['li']: (Decimal('103.00'), 'A', 'approved')}

    grades = {g['code']: g['id'] for g in hrm('crm.hr.grade', 'search_read',
            [], 0, None, None, ['code'])}
    hrm('crm.hr.campaign', 'write', [campaign], {'bonus_rules': [('create', [
                    {'grade': grades['A'], 'kind': 'percentage',
                        'percentage': decimal(15)},
                    {'grade': grades['B'], 'kind': 'fixed',
                        'amount': decimal(800)}])]})
    oext, content, _, name = getattr(hrm.proxy,
        'report.crm.hr.campaign.bonus.xlsx.execute')(
        [campaign], {}, hrm.context)
    assert oext == 'xlsx'
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert CJK.search(sheet['A1'].value), sheet['A1'].value
    header = [c.value for c in sheet[4]]
    assert len(header) == 7 and all(CJK.search(h) for h in header), header
    rows = {r[0].split(' ')[0]: r[3:] for r in sheet.iter_rows(
            min_row=5, values_only=True)}
    assert rows == {'王强': (81, 'B', 10000, 800),
        '李娜': (103, 'A', 10000, 1500)}
