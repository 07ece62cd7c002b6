# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""An HR manager working in Chinese runs a quarterly campaign in sao.

On the trytond with crm_service and crm_hr of conftest.py
(``service_server``), the administrator creates over XML-RPC an HR
manager (zh_CN), two service agents who resolve tickets, and the HR set-up
(a department, a KPI template whose first indicator is crm_service's
tickets handled, a position).  The HR manager then, in sao, from the
menu, creates this quarter's campaign for the department (the period and
its dates are the defaults) and clicks Generate Assessments: the form
shows one assessment per agent, and XML-RPC shows the tickets each agent
resolved as the figure of the automatic indicator.
"""
import secrets

import pytest

from test_browser import (  # noqa: F401 (browser is a fixture)
    CJK, browser, expect)
from test_browser_service import ServiceSao, supervisor_sao  # noqa: F401
from test_xmlrpc_hr import decimal, resolve_tickets


@pytest.fixture
def hr_setup(service_server):
    admin = service_server.admin()
    company = admin.context['company']
    tag = secrets.token_hex(3)
    login, password = f'hrm_{tag}', secrets.token_hex(8)
    service_server.create_user(
        login, password, ['crm_hr.group_hr_manager'], 'zh_CN')
    department, = admin('crm.hr.department', 'create', [
            {'name': f'售后服务部 {tag}'}])
    template, = admin('crm.hr.kpi.template', 'create', [{
                'name': f'售后 KPI {tag}',
                'indicators': [('create', [
                            {'name': '处理工单数', 'weight': decimal(70),
                                'target': decimal(2),
                                'source': 'service_tickets_handled'},
                            {'name': '服务态度', 'weight': decimal(30),
                                'target': decimal(100),
                                'source': 'manual'}])]}])
    position, = admin('crm.hr.position', 'create', [{
                'name': f'售后专员 {tag}', 'kpi_template': template}])
    agents = {}
    for name, tickets in [('周杰', 2), ('吴敏', 1)]:
        party, = admin('party.party', 'create', [{'name': f'{name} {tag}'}])
        agents[f'{name} {tag}'], = admin('company.employee', 'create', [{
                    'party': party, 'company': company,
                    'department': department, 'position': position}])
        resolve_tickets(admin, tag, agents[f'{name} {tag}'], tickets)
    return {'tag': tag, 'login': login, 'password': password,
        'department': f'售后服务部 {tag}', 'agents': agents}


def test_hr_manager_runs_campaign(
        service_server, supervisor_sao, hr_setup):  # noqa: F811
    sao = supervisor_sao
    admin = service_server.admin(language='zh_CN')

    def menu(fs_id):
        return admin('ir.ui.menu', 'read', [admin.get_id(fs_id)],
            ['name'])[0]['name']
    path = [menu(f'crm_hr.{m}') for m in [
            'menu_hr', 'menu_assessment', 'menu_campaign_form']]
    generate, = admin('ir.model.button', 'read', [
            admin.get_id('crm_hr.campaign_generate_button')], ['string'])
    for label in path + [generate['string']]:
        assert CJK.search(label), f'{label!r} is not translated'

    sao.login(service_server.url, service_server.database,
        hr_setup['login'], hr_setup['password'])
    sao.open_menu(*path)
    tab = sao.tab
    sao.new_form(ready=tab.locator('select[name="period"]'))
    name = f'本季度考核 {hr_setup["tag"]}'
    sao.put(tab.locator('input[name="name"]').first, name)
    sao.pick(tab.locator('input[name="departments"]'),
        hr_setup['department'])
    sao.save()
    tab.get_by_role('button', name=generate['string'], exact=True).click()
    sao.settle()
    assessments = admin('crm.hr.campaign', 'fields_get',
        ['assessments'])['assessments']['string']
    tab.get_by_role('tab', name=assessments).click()
    for agent in hr_setup['agents']:
        expect(tab.get_by_text(agent, exact=True).first).to_be_visible()
    assert not sao.errors, sao.errors

    hrm = service_server.client(hr_setup['login'], hr_setup['password'])
    campaign, = hrm('crm.hr.campaign', 'search_read', [
            ('name', '=', name)], 0, None, None,
        ['state', 'start_date', 'end_date', 'assessments'])
    assert campaign['state'] == 'open'
    figures = {}
    for assessment in hrm('crm.hr.assessment', 'read',
            campaign['assessments'], ['employee', 'lines']):
        for line in hrm('crm.hr.assessment.line', 'read',
                assessment['lines'], ['source', 'actual', 'score']):
            if line['source'] == 'service_tickets_handled':
                figures[assessment['employee']] = (
                    line['actual'], line['score'])
    # 2 and 1 tickets against a target of 2
    first, second = hr_setup['agents'].values()
    assert figures == {first: (2, 100), second: (1, 50)}
