# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""An analyst working in Chinese runs an RFM analysis in sao.

On the trytond of conftest.py's ``service_server`` (with crm_analytics),
the administrator records purchases of three customers over XML-RPC; the
analyst opens CRM › 客户分析 › 分析任务 from the menu, creates a run with
the defaults (RFM over the last year), saves and clicks 运行: the form
shows the run done and the customers' rows; XML-RPC shows their scores
on the customer card."""
import datetime as dt
import secrets

import pytest

from test_browser import (  # noqa: F401 (browser is a fixture)
    CJK, browser, expect)
from test_browser_service import supervisor_sao  # noqa: F401
from test_xmlrpc_hr import decimal, rpc_date


@pytest.fixture
def analyst(service_server):
    admin = service_server.admin()
    company = admin.context['company']
    currency = admin('company.company', 'read', [company],
        ['currency'])[0]['currency']
    tag = secrets.token_hex(3)
    login, password = f'analyst_{tag}', secrets.token_hex(8)
    service_server.create_user(
        login, password, ['crm_analytics.group_analyst'], 'zh_CN')
    names = [f'{n} {tag}' for n in ['赵磊', '钱芳', '孙伟']]
    parties = admin('party.party', 'create', [{'name': n} for n in names])
    day = dt.date.today() - dt.timedelta(days=30)
    admin('crm.purchase', 'create', [{
                'company': company, 'party': party, 'currency': currency,
                'date': rpc_date(day - dt.timedelta(days=i)),
                'quantity': 1, 'amount': decimal(1000 * (i + 1)),
                } for i, party in enumerate(parties)])
    return {'tag': tag, 'login': login, 'password': password,
        'names': names, 'parties': parties}


def test_analyst_runs_rfm(
        service_server, supervisor_sao, analyst):  # noqa: F811
    sao = supervisor_sao
    admin = service_server.admin(language='zh_CN')

    def menu(fs_id):
        return admin('ir.ui.menu', 'read', [admin.get_id(fs_id)],
            ['name'])[0]['name']
    path = [menu('crm_core.menu_crm')] + [
        menu(f'crm_analytics.{m}') for m in ['menu_analytics',
            'menu_run_form']]
    button, = admin('ir.model.button', 'read', [
            admin.get_id('crm_analytics.run_run_button')], ['string'])
    done = dict(admin('crm.analytics.run', 'fields_get', ['state'])[
            'state']['selection'])['done']
    for label in path[1:] + [button['string'], done]:
        assert CJK.search(label), f'{label!r} is not translated'

    sao.login(service_server.url, service_server.database,
        analyst['login'], analyst['password'])
    sao.open_menu(*path)
    tab = sao.tab
    sao.new_form(ready=tab.locator('input[name="start_date"]'))
    name = f'年度 RFM {analyst["tag"]}'
    sao.put(tab.locator('input[name="name"]').first, name)
    sao.save()
    tab.get_by_role('button', name=button['string'], exact=True).click()
    sao.settle()
    expect(tab.locator('select[name="state"]')).to_have_value('"done"')
    for customer in analyst['names']:
        expect(tab.get_by_text(customer, exact=True).first).to_be_visible()
    assert not sao.errors, sao.errors

    cards = admin('party.party', 'read', analyst['parties'],
        ['rfm_scores', 'relationship_index'])
    assert all(c['rfm_scores'] and c['relationship_index'] for c in cards)


def test_every_analytics_screen_opens(
        service_server, supervisor_sao, analyst):  # noqa: F811
    "Each report of the Analytics menu opens for the analyst, no error"
    sao = supervisor_sao
    admin = service_server.admin(language='zh_CN')
    root = admin.get_id('crm_analytics.menu_analytics')
    crm, = admin('ir.ui.menu', 'read', [admin.get_id('crm_core.menu_crm')],
        ['name'])
    entries = [e for e in admin('ir.ui.menu', 'search_read', [
                ('parent', '=', root)], 0, None,
            [('sequence', 'ASC'), ('id', 'ASC')], ['name', 'action'])
        if e['action']]
    folder, = admin('ir.ui.menu', 'read', [root], ['name'])
    assert len(entries) >= 10
    sao.login(service_server.url, service_server.database,
        analyst['login'], analyst['password'])
    for entry in entries:
        sao.open_menu(crm['name'], folder['name'], entry['name'])
        assert not sao.errors, (entry['name'], sao.errors)
