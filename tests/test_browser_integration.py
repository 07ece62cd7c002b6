# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""crm_integration in sao, on the trytond of conftest.py's
``integration_server``:

- an integration administrator working in Chinese opens the external
  property system (a stand-in on 127.0.0.1), clicks 立即同步, and the sync
  jobs list shows the three jobs done;
- a CRM user opens a customer with wishes, clicks the button of the
  recommended units tab and sees the best unit first;
- every screen of the Integration menu opens without a JavaScript error.
"""
import re
import secrets

import pytest

from test_browser import (  # noqa: F401 (browser is a fixture)
    CJK, browser, expect)
from test_browser_service import supervisor_sao  # noqa: F401
from test_xmlrpc_hr import decimal

from trytond.modules.crm_integration.tests import standin
from trytond.modules.crm_integration.tests.test_property import (
    property_data)


@pytest.fixture
def setup(integration_server):
    admin = integration_server.admin()
    tag = secrets.token_hex(3)
    password = secrets.token_hex(8)
    users = {}
    for role, groups in [
            ('admin', ['crm_integration.group_integration_admin',
                    'crm_core.group_crm']),
            ('agent', ['crm_core.group_crm'])]:
        login = f'{role}_{tag}'
        integration_server.create_user(login, password, groups, 'zh_CN')
        users[role] = login
    company = admin.context['company']
    return {'admin': admin, 'tag': tag, 'password': password,
        'users': users, 'company': company}


def menu_path(client, *fs_ids):
    return [client('ir.ui.menu', 'read', [client.get_id(f)],
            ['name'])[0]['name'] for f in fs_ids]


def test_admin_syncs_property_system(
        integration_server, supervisor_sao, setup):  # noqa: F811
    sao, admin, tag = supervisor_sao, setup['admin'], setup['tag']
    zh = integration_server.admin(language='zh_CN')
    data = property_data()
    for project in data['projects']:
        project['code'] += tag
    for building in data['buildings']:
        building['code'] += tag
        building['project'] += tag
    for unit in data['units']:
        unit['id'] += tag
        unit['project'] += tag
        unit['building'] += tag
    with standin.StandIn(data, token=f'tok-{tag}').start() as pms:
        name = f'物业系统 {tag}'
        system_id, = admin('crm.integration.system', 'create', [{
                    'name': name, 'code': f'PMS{tag}', 'kind': 'property',
                    'transport': 'rest', 'endpoint': pms.url,
                    'secret': f'tok-{tag}', 'company': setup['company'],
                    }])
        path = menu_path(zh, 'crm_core.menu_crm',
            'crm_integration.menu_integration',
            'crm_integration.menu_system_form')
        button, = zh('ir.model.button', 'read', [
                zh.get_id('crm_integration.system_sync_button')],
            ['string'])
        for label in path[1:] + [button['string']]:
            assert CJK.search(label), f'{label!r} is not translated'
        sao.login(integration_server.url, integration_server.database,
            setup['users']['admin'], setup['password'])
        sao.open_menu(*path)
        sao.search(name)
        sao.open_row(name)
        sao.tab.get_by_role(
            'button', name=button['string'], exact=True).click()
        sao.settle()
        assert not sao.errors, sao.errors

    jobs = admin('crm.integration.job', 'search_read',
        [('system', '=', system_id)], 0, None, [('id', 'ASC')],
        ['state', 'created', 'record_type'])
    assert [(j['record_type'], j['state'], j['created']) for j in jobs] == [
        ('project', 'done', 2), ('building', 'done', 2),
        ('unit', 'done', 5)]
    done = dict(zh('crm.integration.job', 'fields_get', ['state'])[
            'state']['selection'])['done']
    sao.open_menu(*menu_path(zh, 'crm_core.menu_crm',
            'crm_integration.menu_integration',
            'crm_integration.menu_job_form'))
    every, = zh('ir.action.act_window.domain', 'read', [
            zh.get_id('crm_integration.act_job_form_domain_all')], ['name'])
    sao.tab.get_by_role('tab', name=every['name']).click()
    sao.settle()
    sao.search(name)
    rows = sao.tab.locator('.treeview tbody tr:visible')
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(done)
    assert not sao.errors, sao.errors


def test_agent_sees_recommended_units(
        integration_server, supervisor_sao, setup):  # noqa: F811
    sao, admin, tag = supervisor_sao, setup['admin'], setup['tag']
    zh = integration_server.admin(language='zh_CN')
    project, = admin('crm.property.project', 'create', [{
                'code': f'P{tag}', 'name': f'阳光花园{tag}',
                'district': '浦东新区', 'company': setup['company']}])
    admin('crm.property', 'create', [{
                'project': project, 'unit_no': f'{n}-{tag}',
                'usage': 'sale', 'rooms': rooms, 'area': 90.0,
                'price': decimal(price), 'status': 'available'}
            for n, rooms, price in [
                (1, 2, 4_000_000), (2, 3, 4_800_000), (3, 3, 9_000_000)]])
    name = f'王芳 {tag}'
    admin('party.party', 'create', [{
                'name': name, 'wish_rooms': 3,
                'wish_budget_max': decimal(5_000_000),
                'wish_area_min': 80.0, 'wish_area_max': 100.0,
                'wish_district': '浦东'}])
    button, = zh('ir.model.button', 'read', [
            zh.get_id('crm_integration.party_recommend_units_button')],
        ['string'])
    assert CJK.search(button['string'])
    sao.login(integration_server.url, integration_server.database,
        setup['users']['agent'], setup['password'])
    sao.open_menu(*menu_path(zh, 'crm_core.menu_crm',
            'crm_core.menu_customer'))
    sao.search(name)
    sao.open_row(name)
    arch = zh('party.party', 'fields_view_get', None, 'form')['arch']
    page = re.search(
        r'<page[^>]*id="crm_integration_units"[^>]*>', arch).group(0)
    label = re.search(r'string="([^"]*)"', page).group(1)
    assert CJK.search(label), label
    sao.tab.get_by_role('tab', name=label, exact=True).click()
    sao.tab.get_by_role(
        'button', name=button['string'], exact=True).click()
    sao.settle()
    # 9,000,000 is 80 % over the budget: no budget points, 60 in all
    # (units of the other tests may be recommended too)
    units = sao.tab.locator('.treeview tbody tr:visible').filter(
        has_text=f'阳光花园{tag}')
    expect(units).to_have_count(3)
    for row, (unit, score) in zip(range(3), [
            (f'2-{tag}', '100.0'), (f'1-{tag}', '90.0'),
            (f'3-{tag}', '60.0')]):
        expect(units.nth(row)).to_contain_text(unit)
        expect(units.nth(row)).to_contain_text(score)
    assert not sao.errors, sao.errors


def test_every_integration_screen_opens(
        integration_server, supervisor_sao, setup):  # noqa: F811
    sao = supervisor_sao
    zh = integration_server.admin(language='zh_CN')
    crm, = menu_path(zh, 'crm_core.menu_crm')
    sao.login(integration_server.url, integration_server.database,
        setup['users']['admin'], setup['password'])
    opened = 0
    for folder_id in ['crm_integration.menu_integration',
            'crm_integration.menu_property']:
        root = zh.get_id(folder_id)
        folder, = menu_path(zh, folder_id)
        for entry in zh('ir.ui.menu', 'search_read', [
                    ('parent', '=', root)], 0, None,
                [('sequence', 'ASC'), ('id', 'ASC')], ['name', 'action']):
            action = entry['action'] or ''
            if not action.startswith('ir.action.act_window'):
                continue
            sao.open_menu(crm, folder, entry['name'])
            assert not sao.errors, (entry['name'], sao.errors)
            opened += 1
    assert opened >= 5
