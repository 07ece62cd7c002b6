# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A clerk working in Chinese uses the sao web client of a real trytond.

The user "demo" (CRM User, language zh_CN, made by setup/configure.py)
logs in, opens CRM > Customers from the menu, creates a customer with a
phone typed with spaces and an interaction, saves, then finds the customer
in the list by the phone's digits.  The test checks what the screen shows
(the labels come from the server in zh_CN, sao's own texts from its zh_CN
catalogue) and, over XML-RPC, what the database holds.

Headless Chromium of the system (Debian package chromium), never a
downloaded browser.  Without it the test is skipped, except when CI is
set: there a missing browser is a failure.  A failed test leaves a
screenshot and the page's HTML in var/test-artifacts/.
"""
import json
import os
import re
import secrets
import shutil
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # skipped below, or a failure under CI
    expect = sync_playwright = None

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / 'var' / 'test-artifacts'
SAO_ZH_CN = ROOT / 'var' / 'sao' / 'locale' / 'zh_CN.json'
TIMEOUT = 30  # seconds, for any one step
CJK = re.compile('[\u4e00-\u9fff]')


def _in_ci():
    return os.environ.get('CI', '').lower() not in {'', '0', 'false', 'no'}


CHROMIUM = (shutil.which('chromium')
    or shutil.which('chromium', path='/usr/bin'))
if not CHROMIUM:
    MISSING = 'chromium is not installed (apt-get install chromium)'
elif not sync_playwright:
    MISSING = 'the playwright package is not installed'
else:
    MISSING = None
if MISSING and not _in_ci():
    pytest.skip(MISSING, allow_module_level=True)


def _sao_text(text):
    "sao's zh_CN translation of one of its own texts"
    catalogue = json.loads(SAO_ZH_CN.read_text(encoding='utf-8'))
    return catalogue[text][1]


@dataclass
class Labels:
    "What the zh_CN screens call the things the clerk uses"
    crm: str
    customers: str
    contacts: str
    interactions: str
    timeline: str


def _labels(admin):
    menus = admin('ir.ui.menu', 'read', [
            admin.get_id('crm_core.menu_crm'),
            admin.get_id('crm_core.menu_customer')], ['name'])
    fields = admin('party.party', 'fields_get', [
            'contact_mechanisms', 'interactions'])
    form = ET.fromstring(
        admin('party.party', 'fields_view_get', None, 'form')['arch'])
    return Labels(
        crm=menus[0]['name'], customers=menus[1]['name'],
        contacts=fields['contact_mechanisms']['string'],
        interactions=fields['interactions']['string'],
        timeline=form.find(".//page[@id='crm_timeline']").get('string'))


class Sao:
    """The sao page, with waits on what sao does: it is a single-page
    application whose every step is one or more RPC calls."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        self._pending = pending = set()

        def sent(request):
            if '/rpc/' in request.url or '/session/' in request.url:
                pending.add(request)

        # playwright wants plain functions as handlers
        page.on('pageerror', lambda error: self.errors.append(error))
        page.on('request', sent)
        page.on('requestfinished', lambda request: pending.discard(request))
        page.on('requestfailed', lambda request: pending.discard(request))

    def settle(self, quiet=0.3):
        "Wait until no RPC call has been under way for quiet seconds."
        deadline = time.monotonic() + TIMEOUT
        since = time.monotonic()
        while time.monotonic() - since < quiet:
            if time.monotonic() > deadline:
                raise TimeoutError(f'RPC calls under way: {self._pending}')
            if self._pending:
                since = time.monotonic()
            self.page.wait_for_timeout(50)

    @property
    def tab(self):
        return self.page.locator('#tabcontent > .tab-pane.active')

    def put(self, field, value):
        """Type value into field; sao stores it when the field loses the
        focus, and a display that was under way may still reset it."""
        for _ in range(3):
            field.fill(value)
            field.press('Tab')
            self.settle()
            if field.input_value() == value:
                return
        expect(field).to_have_value(value)

    def choose(self, select, value):
        # sao's options carry their values as JSON
        select.select_option(value=json.dumps(value))
        self.settle()
        expect(select).to_have_value(json.dumps(value))

    def login(self, url, database, login, password):
        self.page.goto(f'{url}#{database}')
        dialog = self.page.locator('.login-dialog')
        expect(dialog.locator('#database:visible')).to_have_value(database)
        dialog.locator('input#login').fill(login)
        dialog.locator('button[type=submit]').click()
        ask = self.page.locator('.ask-dialog')
        ask.locator('input[name=password]').fill(password)
        ask.locator('.modal-footer .btn-primary').click()
        expect(self.page.locator('#menu .column-char').first).to_be_visible()
        self.settle()

    def open_menu(self, *path):
        menu = self.page.locator('#menu')
        for label in path[:-1]:
            item = menu.get_by_title(label, exact=True)
            expect(item).to_be_visible()
            item.click()
        item = menu.get_by_title(path[-1], exact=True)
        expect(item).to_be_visible()
        item.dblclick()
        expect(self.page.locator('#tablist li.active')).to_contain_text(
            path[-1])
        expect(self.tab.locator('.treeview').first).to_be_visible()
        self.settle()

    def new_record(self, ready):
        "Click New; ready: a locator that shows the defaults are loaded"
        self.tab.locator('button#new_').click()
        expect(self.tab.locator('.form').first).to_be_visible()
        expect(ready).not_to_have_value('')
        self.settle()

    def new_line(self, one2many):
        one2many.get_by_title(_sao_text('New'), exact=True).click()
        self.settle()

    def save(self):
        self.tab.locator('button#save').click()
        saved = self.tab.locator('.infobar .alert-info')
        trouble = self.tab.locator('.infobar .alert-danger').or_(
            self.page.locator('.modal:visible'))
        expect(saved.or_(trouble).first).to_be_visible()
        assert not trouble.count(), trouble.all_inner_texts()
        expect(saved).to_contain_text(_sao_text('Record saved.'))
        saved.locator('button.close').click()
        expect(saved).to_have_count(0)
        self.settle()

    def search(self, text):
        entry = self.tab.locator('form.filter-box input.form-control').first
        entry.fill(text)
        entry.press('Enter')
        self.settle()


@pytest.fixture(scope='module')
def browser():
    if MISSING:
        pytest.fail(f'{MISSING}; CI is set: the browser test must run')
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


def _save_artifacts(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / f'{name}-{time.strftime("%Y%m%d-%H%M%S")}'
    page.screenshot(path=f'{stem}.png', full_page=True)
    Path(f'{stem}.html').write_text(page.content(), encoding='utf-8')
    return stem


@pytest.fixture
def sao(request, browser):
    context = browser.new_context(
        viewport={'width': 1400, 'height': 900}, locale='zh-CN')
    page = context.new_page()
    page.set_default_timeout(TIMEOUT * 1000)
    sao = Sao(page)
    yield sao
    report = getattr(request.node, 'rep_call', None)
    if report is not None and report.failed:
        stem = _save_artifacts(page, request.node.name)
        print(f'screenshot: {stem}.png; JavaScript errors: {sao.errors}')
    context.close()


def _create_customer(sao, labels, name, phone, subject, notes):
    "New customer with a phone and an interaction, saved; return its code"
    tab = sao.tab
    sao.new_record(ready=tab.locator('select[name="lifecycle_stage"]'))
    sao.put(tab.locator('input[name="name"]').first, name)

    contacts = tab.get_by_label(labels.contacts, exact=True)
    sao.new_line(contacts)
    sao.choose(contacts.locator('select[name="type"]'), 'phone')
    sao.put(contacts.locator('input[name="value"]'), phone)

    tab.get_by_role('tab', name=labels.timeline).click()
    interactions = tab.get_by_label(labels.interactions, exact=True)
    sao.new_line(interactions)
    dialog = sao.page.locator(
        '.modal:visible', has=sao.page.locator('input[name="subject"]'))
    # the company is a default: the new interaction is ready
    expect(dialog.locator('input[name="company"]')).not_to_have_value('')
    sao.settle()
    sao.put(dialog.locator('input[name="subject"]'), subject)
    sao.choose(dialog.locator('select[name="channel"]'), 'visit')
    sao.put(dialog.locator('textarea[name="notes"]'), notes)
    dialog.locator('button#save').click()
    expect(dialog).to_have_count(0)
    expect(interactions.locator('tbody tr')).to_have_count(1)
    expect(interactions.locator('tbody tr')).to_contain_text(subject)

    sao.save()
    code = tab.locator('input[name="code"]').first
    expect(code).not_to_have_value('')
    return code.input_value()


def test_clerk_creates_and_finds_customer(trytond_server, sao):
    admin = trytond_server.admin(language='zh_CN')
    labels = _labels(admin)
    for label in [labels.customers, labels.contacts, labels.interactions,
            labels.timeline]:
        assert CJK.search(label), f'{label!r} is not translated'
    tag = secrets.token_hex(3)
    name = f'浏览器测试客户 {tag}'
    digits = f'139{secrets.randbelow(10 ** 8):08d}'
    phone = f'{digits[:3]} {digits[3:7]} {digits[7:]}'
    subject = f'首次来电 {tag}'
    notes = '想看地铁附近的两居室。'

    sao.login(trytond_server.url, trytond_server.database,
        trytond_server.demo_login, trytond_server.demo_password)
    expect(sao.page.locator('html')).to_have_attribute('lang', 'zh-CN')
    sao.open_menu(labels.crm, labels.customers)
    code = _create_customer(sao, labels, name, phone, subject, notes)

    sao.tab.locator('button#switch_').click()
    rows = sao.tab.locator('.treeview tbody tr:visible')
    expect(rows.first).to_be_visible()
    sao.search(digits)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(name)
    expect(rows).to_contain_text(code)
    assert not sao.errors, sao.errors

    demo_id, = admin('res.user', 'search', [
            ('login', '=', trytond_server.demo_login)], 0, None, None)
    party, = admin('party.party', 'search_read', [('name', '=', name)],
        0, None, None, ['code', 'phone', 'interactions', 'create_uid'])
    assert (party['code'], party['phone'], party['create_uid']) == (
        code, phone, demo_id)
    interaction, = admin('crm.interaction', 'read', party['interactions'],
        ['subject', 'channel', 'notes', 'party', 'create_uid'])
    assert interaction == {
        'id': interaction['id'], 'subject': subject, 'channel': 'visit',
        'notes': notes, 'party': party['id'], 'create_uid': demo_id}
