# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A service supervisor working in Chinese sets a centre up in sao.

On the trytond with crm_service of conftest.py (``service_server``), the
administrator creates, over XML-RPC, the supervisor (zh_CN, Service
Supervisor and CRM User), an employee to become an agent and a customer
with a mobile.  The supervisor then, in sao, from the menu:

- creates an SLA policy with a target for normal tickets,
- creates a centre and adds themselves as its supervisor,
- creates a queue of the centre with the policy,
- makes the employee an agent of the centre and sets them available,

and XML-RPC shows the records with the values typed.  A ticket created
over XML-RPC from the customer's number goes to that agent with the
policy's deadlines; the supervisor opens it from the ticket list and sees
the agent, the customer and the customer's card (lifecycle stage and
value tier in zh_CN, the ticket among the customer's interactions).

The browser, the skip rules and the screenshots of failed tests are those
of test_browser.py.
"""
import datetime as dt
import json
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from test_browser import (  # noqa: F401 (browser is a fixture)
    CJK, TIMEOUT, Sao, _sao_text, _save_artifacts, browser, expect)

SUPERVISOR = ['crm_service.group_service_supervisor', 'crm_core.group_crm']
EXPECT_TIMEOUT = 15  # seconds, for what the page shows after a step


@dataclass
class Labels:
    "What the zh_CN screens call the things the supervisor uses"
    crm: str
    service: str
    configuration: str
    policies: str
    centres: str
    queues: str
    agents: str
    tickets: str
    targets: str  # the SLA policy's lines
    supervisors: str
    available: str  # the agent's presence button
    open_tickets: str  # the ticket list's tab
    customer_card: str  # the ticket form's page


def _labels(admin):
    def menu(fs_id):
        return admin('ir.ui.menu', 'read', [admin.get_id(fs_id)],
            ['name'])[0]['name']

    def field(model, name):
        return admin(model, 'fields_get', [name])[name]['string']
    button, = admin('ir.model.button', 'read', [
            admin.get_id('crm_service.agent_available_button')], ['string'])
    domain, = admin('ir.action.act_window.domain', 'read', [
            admin.get_id('crm_service.act_ticket_form_domain_open')],
        ['name'])
    form = ET.fromstring(
        admin('crm.ticket', 'fields_view_get', None, 'form')['arch'])
    return Labels(
        crm=menu('crm_core.menu_crm'),
        service=menu('crm_service.menu_service'),
        configuration=menu('crm_service.menu_service_configuration'),
        policies=menu('crm_service.menu_sla_policy_form'),
        centres=menu('crm_service.menu_centre_form'),
        queues=menu('crm_service.menu_queue_form'),
        agents=menu('crm_service.menu_agent_form'),
        tickets=menu('crm_service.menu_ticket_form'),
        targets=field('crm.service.sla.policy', 'lines'),
        supervisors=field('crm.service.centre', 'supervisors'),
        available=button['string'],
        open_tickets=domain['name'],
        customer_card=form.find(
            ".//page[@id='customer_card']").get('string'))


class ServiceSao(Sao):
    "sao as the supervisor uses it: menus, relation fields, numbers"

    def __init__(self, page):
        super().__init__(page)
        self._expanded = set()

    def open_menu(self, *path):
        """Open the menu entry at path.  Folders are clicked open once per
        page (a click closes an open one); a name used twice (zh_CN
        "服务中心" is the folder and the list of centres) means the
        deeper entry, shown after its folder."""
        menu = self.page.locator('#menu')
        for i, label in enumerate(path):
            item = menu.get_by_title(label, exact=True).last
            expect(item).to_be_visible()
            if i == len(path) - 1:
                item.dblclick()
            elif path[:i + 1] not in self._expanded:
                item.click()
                self._expanded.add(path[:i + 1])
            self.settle()
        expect(self.page.locator('#tablist li.active')).to_contain_text(
            path[-1])
        expect(self.tab.locator('.treeview').first).to_be_visible()
        self.settle()

    def new_form(self, ready=None):
        "Click New; ready: a field whose default shows the form is loaded"
        self.tab.locator('button#new_').click()
        expect(self.tab.locator('.form').first).to_be_visible()
        if ready is not None:
            expect(ready).not_to_have_value('')
        self.settle()

    def pick(self, entry, text):
        "Type into a relation field and take the suggestion named text"
        entry.fill(text)
        self.page.locator('.dropdown-completion:visible li.completion a') \
            .get_by_text(text, exact=True).click()
        self.settle()

    def put_number(self, container, name, value):
        """sao shows numbers in a text input and edits them in a number
        input that replaces it on focus."""
        shown = container.locator(f'input[type="text"][name="{name}"]')
        number = container.locator(f'input[type="number"][name="{name}"]')
        if not number.is_visible():
            shown.click()
        expect(number).to_be_visible()
        number.fill(value)
        number.press('Tab')
        self.settle()

    def open_row(self, text):
        "Select the list's row showing text and switch to its form"
        rows = self.tab.locator('.treeview tbody tr:visible')
        expect(rows).to_have_count(1)
        rows.first.get_by_text(text, exact=True).click()
        expect(rows.first).to_have_class(re.compile(r'\bselected\b'))
        self.tab.locator('button#switch_').click()
        expect(self.tab.locator('.form').first).to_be_visible()
        self.settle()


@pytest.fixture
def supervisor_sao(request, browser):  # noqa: F811
    expect.set_options(timeout=EXPECT_TIMEOUT * 1000)
    context = browser.new_context(
        viewport={'width': 1400, 'height': 900}, locale='zh-CN')
    page = context.new_page()
    page.set_default_timeout(TIMEOUT * 1000)
    sao = ServiceSao(page)
    yield sao
    report = getattr(request.node, 'rep_call', None)
    if report is not None and report.failed:
        stem = _save_artifacts(page, request.node.name)
        print(f'screenshot: {stem}.png; JavaScript errors: {sao.errors}')
    context.close()
    expect.set_options(timeout=5000)


@pytest.fixture
def people(service_server):
    """The supervisor (login, password, employee, name), the employee to
    become an agent (id, name) and the customer (id, name, mobile)"""
    admin = service_server.admin()
    company = admin.context['company']
    tag = secrets.token_hex(4)

    def employee(name):
        party_id, = admin('party.party', 'create', [{'name': name}])
        employee_id, = admin('company.employee', 'create', [
                {'party': party_id, 'company': company}])
        return employee_id, name
    supervisor = employee(f'吴主管 {tag}')
    login, password = f'sup_{tag}', f'sup-{secrets.token_hex(6)}'
    user_id = service_server.create_user(
        login, password, SUPERVISOR, 'zh_CN')
    admin('res.user', 'write', [user_id], {
            'employees': [('add', [supervisor[0]])],
            'employee': supervisor[0]})
    agent = employee(f'王芳 {tag}')
    mobile = f'138 {secrets.randbelow(10 ** 4):04d} ' \
        f'{secrets.randbelow(10 ** 4):04d}'
    name = f'钱立 {tag}'
    customer_id, = admin('party.party', 'create', [{
                'name': name, 'value_tier': 'a', 'value_tier_manual': True,
                'contact_mechanisms': [('create', [
                            {'type': 'mobile', 'value': mobile}])],
                }])
    admin('party.party', 'write', [customer_id], {'lifecycle_stage': 'new'})
    return {
        'tag': tag, 'login': login, 'password': password,
        'supervisor': supervisor, 'agent': agent,
        'customer': (customer_id, name, mobile)}


def _set_up_in_sao(sao, labels, people):
    "What the supervisor types; returns the names given"
    tag = people['tag']
    names = {
        'policy': f'金牌服务 {tag}', 'centre': f'静安客服中心 {tag}',
        'queue': f'电梯维修 {tag}'}
    config = (labels.crm, labels.service, labels.configuration)
    tab = sao.tab

    sao.open_menu(*config, labels.policies)
    sao.new_form(ready=tab.locator('input[name="warn_ratio"]').first)
    sao.put(tab.locator('input[name="name"]').first, names['policy'])
    targets = tab.get_by_label(labels.targets, exact=True)
    sao.new_line(targets)
    sao.choose(targets.locator('select[name="priority"]'), 'normal')
    sao.put_number(targets, 'response_hours', '2')
    sao.put_number(targets, 'resolution_hours', '8')
    sao.save()

    sao.open_menu(*config, labels.centres)
    sao.new_form(ready=tab.locator('input[name="reopen_days"]').first)
    sao.put(tab.locator('input[name="name"]').first, names['centre'])
    _, supervisor_name = people['supervisor']
    sao.pick(tab.locator('input[name="supervisors"]'), supervisor_name)
    supervisors = tab.get_by_label(labels.supervisors, exact=True)
    expect(supervisors.locator('tbody tr')).to_have_count(1)
    expect(supervisors.locator('tbody tr')).to_contain_text(supervisor_name)
    sao.save()

    sao.open_menu(*config, labels.queues)
    sao.new_form()
    sao.put(tab.locator('input[name="name"]').first, names['queue'])
    sao.pick(tab.locator('input[name="centre"]').first, names['centre'])
    sao.pick(tab.locator('input[name="sla_policy"]').first, names['policy'])
    sao.save()

    sao.open_menu(labels.crm, labels.service, labels.agents)
    sao.new_form(ready=tab.locator('input[type="text"][name="capacity"]'))
    _, agent_name = people['agent']
    sao.pick(tab.locator('input[name="employee"]').first, agent_name)
    sao.pick(tab.locator('input[name="centre"]').first, names['centre'])
    sao.put_number(tab, 'capacity', '4')
    sao.save()
    tab.get_by_role('button', name=labels.available, exact=True).click()
    sao.settle()
    expect(tab.locator('select[name="presence"]')).to_have_value(
        json.dumps('available'))
    return names


def test_supervisor_sets_up_centre_and_sees_ticket(
        service_server, supervisor_sao, people):
    sao = supervisor_sao
    admin = service_server.admin(language='zh_CN')
    labels = _labels(admin)
    for label in [labels.service, labels.policies, labels.centres,
            labels.queues, labels.agents, labels.tickets, labels.targets,
            labels.supervisors, labels.available, labels.open_tickets,
            labels.customer_card]:
        assert CJK.search(label), f'{label!r} is not translated'

    sao.login(service_server.url, service_server.database,
        people['login'], people['password'])
    expect(sao.page.locator('html')).to_have_attribute('lang', 'zh-CN')
    names = _set_up_in_sao(sao, labels, people)
    assert not sao.errors, sao.errors

    # What the database holds, as the supervisor reads it over XML-RPC
    supervisor = service_server.client(people['login'], people['password'])
    supervisor_id, _ = people['supervisor']
    agent_employee, agent_name = people['agent']
    policy, = supervisor('crm.service.sla.policy', 'search_read', [
            ('name', '=', names['policy'])], 0, None, None,
        ['warn_ratio', 'lines'])
    assert policy['warn_ratio'] == 0.8
    line, = supervisor('crm.service.sla.policy.line', 'read',
        policy['lines'], ['priority', 'response_hours', 'resolution_hours'])
    assert (line['priority'], line['response_hours'],
        line['resolution_hours']) == ('normal', 2, 8)
    centre, = supervisor('crm.service.centre', 'search_read', [
            ('name', '=', names['centre'])], 0, None, None,
        ['company', 'supervisors', 'reopen_days'])
    assert centre['company'] == supervisor.context['company']
    assert centre['supervisors'] == [supervisor_id]
    assert centre['reopen_days'] == 7
    queue, = supervisor('crm.service.queue', 'search_read', [
            ('name', '=', names['queue'])], 0, None, None,
        ['centre', 'sla_policy'])
    assert (queue['centre'], queue['sla_policy']) == (
        centre['id'], policy['id'])
    agent, = supervisor('crm.service.agent', 'search_read', [
            ('employee', '=', agent_employee)], 0, None, None,
        ['centre', 'capacity', 'presence', 'idle_since'])
    assert (agent['centre'], agent['capacity'], agent['presence']) == (
        centre['id'], 4, 'available')
    assert agent['idle_since']

    # A call from the customer's mobile, logged over XML-RPC
    customer_id, customer_name, mobile = people['customer']
    ticket_id, = supervisor('crm.ticket', 'create', [{
                'centre': centre['id'], 'queue': queue['id'],
                'contact': '+86 ' + mobile, 'subject': '电梯停在 12 楼不动',
                }])
    ticket, = supervisor('crm.ticket', 'read', [ticket_id], [
            'number', 'party', 'agent', 'state', 'create_time',
            'response_deadline', 'resolution_deadline'])
    assert (ticket['party'], ticket['agent'], ticket['state']) == (
        customer_id, agent['id'], 'assigned')
    # the centre has no working hours: open around the clock
    assert ticket['response_deadline'] == ticket['create_time'] \
        + dt.timedelta(hours=2)
    assert ticket['resolution_deadline'] == ticket['create_time'] \
        + dt.timedelta(hours=8)

    # The supervisor finds it among the open tickets and opens it
    sao.open_menu(labels.crm, labels.service, labels.tickets)
    sao.tab.get_by_role('tab', name=labels.open_tickets).click()
    sao.settle()
    sao.search(ticket['number'])
    sao.open_row(ticket['number'])
    tab = sao.tab
    expect(tab.locator('input[name="number"]')).to_have_value(
        ticket['number'])
    expect(tab.locator('input[name="agent"]')).to_have_value(agent_name)
    expect(tab.locator('input[name="party"]')).to_have_value(customer_name)
    tab.get_by_role('tab', name=labels.customer_card).click()
    sao.settle()
    stages = dict(admin('party.party', 'fields_get', [
                'lifecycle_stage'])['lifecycle_stage']['selection'])
    tiers = dict(admin('party.party', 'fields_get', [
                'value_tier'])['value_tier']['selection'])
    expect(tab.locator('input[name="customer_lifecycle"]')).to_have_value(
        stages['new'])
    expect(tab.locator('select[name="customer_value_tier"] option:checked')
        ).to_have_text(tiers['a'])
    # the ticket is the last of the customer's interactions
    expect(tab.get_by_text(f'{ticket["number"]}: 电梯停在 12 楼不动',
            exact=True)).to_be_visible()
    assert not sao.errors, sao.errors
