# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The integrator API and the sync jobs against a real trytond with
crm_service and crm_integration (``integration_server`` of conftest.py).

- an integrator pushes and reads customers with the plain Python
  ``xmlrpc.client`` exactly as docs/integration.md shows, and over
  JSON-RPC; every bad argument is refused with a stable code and a
  message in the user's language, and changes nothing;
- users outside the Integrator group, or not listed for a system, are
  refused;
- an administrator syncs a stand-in sales system (real HTTP on
  127.0.0.1); trytond is killed in the middle of the job and restarted:
  the committed batches are there, Resume completes it with no duplicate.
"""
import base64
import json
import re
import secrets
import threading
import time
import urllib.request
import xmlrpc.client

import pytest

from trytond.modules.crm_integration.tests import standin

CJK = re.compile('[\u4e00-\u9fff]')
PASSWORD = 'integrator-pw-1'


def fault(call, *args):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args)
    return info.value


@pytest.fixture(scope='module')
def env(integration_server):
    "A system, an integrator (zh_CN), an English one, a CRM user"
    tag = secrets.token_hex(3)
    admin = integration_server.admin()
    users = {}
    for login, groups, language in [
            ('integrator', ['crm_integration.group_integrator'], 'zh_CN'),
            ('integrator_en', ['crm_integration.group_integrator'], 'en'),
            ('clerk', ['crm_core.group_crm'], 'en'),
            ]:
        users[login] = integration_server.create_user(
            f'{login}_{tag}', PASSWORD, groups, language=language)
    company_id, = admin('company.company', 'search', [], 0, 1, None)
    system_id, = admin('crm.integration.system', 'create', [{
                'name': 'Web Shop', 'code': f'WEB{tag}', 'kind': 'sales',
                'transport': 'rest', 'endpoint': 'http://127.0.0.1:9',
                'company': company_id,
                }])
    closed_id, = admin('crm.integration.system', 'create', [{
                'name': 'Closed', 'code': f'CLOSED{tag}', 'kind': 'sales',
                'transport': 'rest', 'endpoint': 'http://127.0.0.1:9',
                'company': company_id,
                'api_users': [('add', [users['integrator_en']])],
                }])

    def plain(login):
        "The proxy of docs/integration.md: login and password in the URL"
        base = integration_server.rpc_url.replace(
            'http://', f'http://{login}_{tag}:{PASSWORD}@')
        return xmlrpc.client.ServerProxy(base, allow_none=True)
    return {'tag': tag, 'admin': admin, 'plain': plain,
        'system': f'WEB{tag}', 'closed': f'CLOSED{tag}',
        'company': company_id, 'server': integration_server}


def party_count(env):
    return len(env['admin']('party.party', 'search', [], 0, None, None))


def test_upsert_read_and_search_customer(env):
    api = env['plain']('integrator_en').model.crm.api
    system, tag = env['system'], env['tag']
    customer = {
        'external_id': f'C-{tag}-1', 'name': '王伟',
        'mobile': '+86 139 1234 5678', 'email': f'wang.{tag}@example.com',
        'customer_type': 'person', 'birth_date': '1985-03-07',
        'wish_budget_max': '5000000', 'wish_rooms': 3,
        'wish_district': '浦东新区',
        }
    created = api.upsert_customer(system, customer, {})
    assert created['status'] == 'created'
    again = api.upsert_customer(system, customer, {})
    assert again == dict(created, status='unchanged')
    updated = api.upsert_customer(
        system, dict(customer, name='王伟伟'), {})
    assert (updated['id'], updated['status']) == (created['id'], 'updated')

    # another system's id for the same mobile: the same customer
    merged = api.upsert_customer(system, {
            'external_id': f'C-{tag}-other', 'name': 'Wang Wei',
            'mobile': '13912345678'}, {})
    assert (merged['id'], merged['status']) == (created['id'], 'merged')

    card = api.customer_card(system, f'C-{tag}-1', {})
    assert card['name'] == '王伟伟'
    assert card['code'] == created['code']
    assert sorted(card['external_ids']) == sorted(
        [f'C-{tag}-1', f'C-{tag}-other'])
    assert {'type': 'mobile', 'value': '13912345678'} in card['contacts']
    assert card['wishes']['rooms'] == 3
    assert card['wishes']['budget_max'] == '5000000.00'
    assert card['open_tickets'] == []
    assert card == api.customer_card(system, {'id': created['id']}, {})

    found = api.search_customers(
        system, {'phone': '139-1234-5678'}, {})
    assert [f['id'] for f in found] == [created['id']]
    found = api.search_customers(
        system, {'email': f'WANG.{tag}@EXAMPLE.COM'}, {})
    assert [f['id'] for f in found] == [created['id']]
    assert found[0]['external_id'] in {f'C-{tag}-1', f'C-{tag}-other'}


def test_interactions_purchases_and_ticket(env):
    api = env['plain']('integrator_en').model.crm.api
    system, tag, admin = env['system'], env['tag'], env['admin']
    customer = api.upsert_customer(system, {
            'external_id': f'C-{tag}-2', 'name': '李娜',
            'mobile': '13700000002'}, {})
    interaction = {
        'external_id': f'I-{tag}-1', 'customer': f'C-{tag}-2',
        'channel': 'phone', 'direction': 'inbound',
        'date': '2026-11-30T10:15:00',
        'subject': "Robert'); DROP TABLE party_party;-- <b>bold</b>",
        }
    logged = api.log_interaction(system, interaction, {})
    assert logged['status'] == 'created'
    assert api.log_interaction(system, interaction, {}) == dict(
        logged, status='unchanged')
    subject, = admin('crm.interaction', 'read', [logged['id']],
        ['subject'])
    assert subject['subject'] == interaction['subject']

    lines = [{
            'external_id': f'L-{tag}-{i}', 'customer': f'C-{tag}-2',
            'date': '2026-11-%02d' % (i % 28 + 1),
            'product_code': f'NOPE-{i % 3}', 'quantity': 1,
            'amount': '%d.50' % (100 + i)} for i in range(150)]
    assert api.record_purchases(system, lines, {}) == {
        'created': 150, 'updated': 0, 'unchanged': 0}
    lines[0]['amount'] = '999.00'
    assert api.record_purchases(system, lines, {}) == {
        'created': 0, 'updated': 1, 'unchanged': 149}
    purchases = admin('crm.purchase', 'search',
        [('party', '=', customer['id'])], 0, None, None)
    assert len(purchases) == 150

    # one line of an unknown customer: nothing of the call is stored
    bad = lines[:10] + [dict(lines[10], customer='UNKNOWN',
            external_id=f'L-{tag}-new')]
    bad[1] = dict(bad[1], amount='1.00')
    error = fault(api.record_purchases, system, bad, {})
    assert error.faultCode == 4040
    assert 'UNKNOWN' in error.faultString
    amount, = admin('crm.purchase', 'search_read',
        [('external_id', '=', f'{system}:L-{tag}-1')], 0, None, None,
        ['amount'])
    assert str(amount['amount']) != '1.00'

    card = api.customer_card(system, f'C-{tag}-2', {})
    assert len(card['purchases']) == 10
    assert card['figures']['purchase_count'] == 150
    assert card['interactions'][0]['subject'] == interaction['subject']

    # crm_service is active here: a ticket opens and shows on the card
    centre = admin('crm.service.centre', 'create', [{
                'name': f'Centre {tag}'}])[0]
    admin('crm.service.queue', 'create', [{
                'name': f'Queue {tag}', 'centre': centre}])
    ticket = api.open_ticket(system, {
            'external_id': f'T-{tag}-1', 'customer': f'C-{tag}-2',
            'channel': 'web', 'type': 'complaint',
            'subject': '漏水', 'queue': f'Queue {tag}'}, {})
    assert ticket['status'] == 'created' and ticket['number']
    assert api.open_ticket(system, {
            'external_id': f'T-{tag}-1', 'customer': f'C-{tag}-2',
            'channel': 'web', 'subject': '漏水'}, {})['id'] == ticket['id']
    card = api.customer_card(system, f'C-{tag}-2', {})
    assert [t['id'] for t in card['open_tickets']] == [ticket['id']]


@pytest.mark.parametrize('customer,code,words', [
        ({'name': 'No id'}, 4001, ['external_id', 'required']),
        ({'external_id': 'X1', 'name': 'A', 'colour': 'red'}, 4001,
            ['colour', 'unknown field']),
        ({'external_id': 'X2', 'name': 'A', 'email': 'not-an-email'},
            4001, ['email', 'e-mail']),
        ({'external_id': 'X3', 'name': 'A' * 121}, 4001,
            ['name', '120']),
        ({'external_id': 'X4', 'name': 'A', 'wish_rooms': 'three'}, 4001,
            ['wish_rooms', 'type']),
        ({'external_id': 'X6', 'name': 'A', 'preferences': 'x' * 1100000},
            4013, ['bytes']),
        ])
def test_bad_arguments_change_nothing(env, customer, code, words):
    api = env['plain']('integrator_en').model.crm.api
    before = party_count(env)
    error = fault(api.upsert_customer, env['system'], customer, {})
    assert error.faultCode == code
    for word in words:
        assert word in error.faultString
    assert party_count(env) == before


def test_oversize_purchases_refused(env):
    "Too many lines, or too many bytes: refused whole, nothing stored"
    api = env['plain']('integrator_en').model.crm.api
    line = {'external_id': 'L', 'customer': 'C', 'date': '2026-01-01',
        'quantity': 1, 'amount': '1'}
    error = fault(api.record_purchases, env['system'], [
            dict(line, external_id=f'L{i}') for i in range(1001)], {})
    assert error.faultCode == 4013
    error = fault(api.record_purchases, env['system'], [
            dict(line, description='x' * 3_000_000)], {})
    assert error.faultCode == 4013


def test_refusals_in_chinese_and_access(env):
    zh = env['plain']('integrator').model.crm.api
    error = fault(zh.upsert_customer, env['system'], {'name': 'x'}, {})
    assert error.faultCode == 4001 and CJK.search(error.faultString)

    clerk = env['plain']('clerk').model.crm.api
    error = fault(clerk.customer_card, env['system'], 'C-x', {})
    assert error.faultCode == 4030
    error = fault(clerk.upsert_customer, env['system'],
        {'external_id': 'C-clerk', 'name': 'x'}, {})
    assert error.faultCode == 4030

    # the closed system lists only integrator_en
    error = fault(zh.search_customers, env['closed'], {'code': 'x'}, {})
    assert error.faultCode == 4030 and CJK.search(error.faultString)
    en = env['plain']('integrator_en').model.crm.api
    assert en.search_customers(env['closed'], {'code': 'none'}, {}) == []

    error = fault(en.customer_card, 'NO-SUCH-SYSTEM', 'C-x', {})
    assert error.faultCode == 4040
    error = fault(en.customer_card, env['system'], 'C-never', {})
    assert error.faultCode == 4040

    # an integrator cannot read the systems' secrets
    error = fault(env['server'].client(
            f"integrator_en_{env['tag']}", PASSWORD),
        'crm.integration.system', 'read', [1], ['secret'])
    assert 'ccess' in error.faultString


def test_json_rpc(env):
    server, tag = env['server'], env['tag']
    credentials = base64.b64encode(
        f'integrator_en_{tag}:{PASSWORD}'.encode()).decode()

    def call(method, *params):
        request = urllib.request.Request(
            server.rpc_url, method='POST',
            data=json.dumps({'id': 1, 'method': 'model.crm.api.' + method,
                    'params': [*params, {}]}).encode(),
            headers={'Content-Type': 'application/json',
                'Authorization': 'Basic ' + credentials})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())
    answer = call('upsert_customer', env['system'], {
            'external_id': f'J-{tag}', 'name': 'JSON 客户',
            'phone': '021 6123 4567'})
    assert answer['result']['status'] == 'created'
    card = call('customer_card', env['system'], f'J-{tag}')['result']
    assert card['name'] == 'JSON 客户'
    error = call('upsert_customer', env['system'], {'name': 'x'})['error']
    assert error[0] == 'UserError'
    assert error[1][1] == 'invalid_argument'
    assert 'external_id' in error[1][0]
    # XML cannot carry control characters; JSON can, and they are refused
    error = call('upsert_customer', env['system'], {
            'external_id': f'J-{tag}-2', 'name': 'A\x00B'})['error']
    assert error[1][1] == 'invalid_argument'
    assert 'control' in error[1][0]


def test_sync_crash_and_resume(env):
    """trytond killed in the middle of a sync: the committed batches stay,
    Resume goes on from there and nothing is imported twice"""
    server, admin, tag = env['server'], env['admin'], env['tag']
    data = standin.generate(customers=60, orders_per_customer=1,
        lines_per_order=2, products=5, seed=21)
    with standin.StandIn(data, token=f'tok-{tag}').start() as shop:
        shop.timeout_delay = 20
        shop.inject('/api/customers', 'timeout', times=1, page=4)
        system_id, = admin('crm.integration.system', 'create', [{
                    'name': 'Shop', 'code': f'SHOP{tag}', 'kind': 'sales',
                    'transport': 'rest', 'endpoint': shop.url,
                    'secret': f'tok-{tag}', 'page_size': 10,
                    'timeout': 60, 'company': env['company'],
                    }])
        before = party_count(env)
        thread = threading.Thread(target=_call_quietly, args=(
                server.admin(), 'crm.integration.system', 'sync',
                [system_id]))
        thread.start()
        job = _wait_for(admin, system_id, lambda j: j['cursor'] >= 3)
        server.kill()
        thread.join(30)
        server.restart()
        admin = server.admin()
        job, = admin('crm.integration.job', 'read', [job['id']],
            ['state', 'cursor', 'rows_read', 'created', 'merged'])
        assert (job['state'], job['cursor'], job['rows_read']) == (
            'running', 3, 30)
        assert party_count(env) - before == job['created']

        jobs = admin('crm.integration.job', 'search',
            [('system', '=', system_id)], 0, None, [('id', 'ASC')])
        admin('crm.integration.job', 'resume', jobs)
        done = admin('crm.integration.job', 'read', jobs,
            ['state', 'rows_read', 'created', 'merged', 'failed'])
        assert [j['state'] for j in done] == ['done'] * 3
        customers, products, orders = done
        assert customers['rows_read'] == 60 and customers['failed'] == 0
        links = admin('crm.integration.link', 'search_count',
            [('system', '=', system_id), ('record_type', '=', 'customer')])
        assert links == 60
        assert party_count(env) - before == customers['created']
        lines = admin('crm.purchase', 'search_count',
            [('external_id', 'like', f'SHOP{tag}:%')])
        assert lines == sum(len(o['lines']) for o in data['orders'])
        assert f'tok-{tag}' not in server.log_tail(100000)


def _call_quietly(client, *args):
    try:
        client(*args)
    except Exception:
        pass  # the server is killed under it


def _wait_for(admin, system_id, condition, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = admin('crm.integration.job', 'search_read',
            [('system', '=', system_id), ('record_type', '=', 'customer')],
            0, 1, None, ['cursor', 'state'])
        if jobs and condition(jobs[0]):
            return jobs[0]
        time.sleep(0.2)
    raise AssertionError('the job did not get there')
