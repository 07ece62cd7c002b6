# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""An integrator talks to a real trytond over XML-RPC.

Calls go to http://HOST:PORT/DB/rpc/ with the context that
res.user.get_preferences gives the user, as any Tryton client does; the
customer flow authenticates with login and password on every call (HTTP
basic auth, http://LOGIN:PASSWORD@HOST:PORT/DB/rpc/), the other tests with
a session, which is twenty times faster.  Good calls round-trip; every bad
call answers a Fault that says what is wrong and leaves the database as it
was (records are counted before and after).
"""
import datetime as dt
import re
import secrets
import xmlrpc.client
from contextlib import contextmanager
from pathlib import Path

import polib
import pytest

from server import Client

ROOT = Path(__file__).resolve().parents[1]
ZH_CN_PO = ROOT / 'addons' / 'crm_core' / 'locale' / 'zh_CN.po'
CJK = re.compile('[\u4e00-\u9fff]')
COUNTED = [
    'party.party', 'party.contact_mechanism', 'crm.interaction',
    'crm.lifecycle.change', 'crm.profile.change']


@pytest.fixture(scope='module')
def admin(trytond_server):
    return trytond_server.admin()


def _user(server, login, groups=(), language='en'):
    password = f'{login}-{secrets.token_hex(6)}'
    server.create_user(login, password, groups, language)
    return server.client(login, password)


@pytest.fixture(scope='module')
def integrator(trytond_server):
    "A user of the company in the CRM User group"
    return _user(trytond_server, 'integrator', ['crm_core.group_crm'])


@pytest.fixture(scope='module')
def integrator_zh(trytond_server):
    "A CRM user whose language is zh_CN"
    return _user(
        trytond_server, 'integrator_zh', ['crm_core.group_crm'], 'zh_CN')


@pytest.fixture(scope='module')
def outsider(trytond_server):
    "A user of the company in no CRM group"
    return _user(trytond_server, 'outsider')


@pytest.fixture
def customer(integrator):
    "A new prospect (id, name)"
    name = f'Prospect {secrets.token_hex(4)}'
    party_id, = integrator('party.party', 'create', [{'name': name}])
    return party_id, name


def counts(admin):
    return {m: admin(m, 'search_count', []) for m in COUNTED}


@contextmanager
def nothing_changes(admin):
    before = counts(admin)
    yield
    assert counts(admin) == before


def fault(client, *args):
    "The Fault that the call raises"
    with pytest.raises(xmlrpc.client.Fault) as info:
        client(*args)
    return info.value


def read_one(client, model, id_, fields):
    record, = client(model, 'read', [id_], fields)
    return record


def test_context_comes_from_preferences(integrator, integrator_zh):
    assert integrator.context['language'] == 'en'
    assert integrator_zh.context['language'] == 'zh_CN'
    assert integrator.context['company']


def test_basic_auth(trytond_server, integrator):
    "The integrator's address with login and password; a wrong password"
    client = Client(trytond_server.rpc_url, integrator.login,
        integrator.password, basic=True)
    assert client.proxy.model.res.user.get_preferences(True, {})[
        'language'] == 'en'
    wrong = Client(trytond_server.rpc_url, integrator.login, 'wrong',
        basic=True, context={})
    with pytest.raises(xmlrpc.client.ProtocolError) as info:
        wrong('party.party', 'search', [], 0, 1, None)
    assert info.value.errcode == 401


def test_integrator_creates_customer_with_timeline(
        trytond_server, integrator):
    "A customer with a phone, two interactions, read back (basic auth)"
    integrator = Client(trytond_server.rpc_url, integrator.login,
        integrator.password, basic=True)
    name = f'Huaxin Trading {secrets.token_hex(4)}'
    party_id, = integrator('party.party', 'create', [{
                'name': name,
                'customer_type': 'organisation',
                'contact_mechanisms': [('create', [{
                                'type': 'phone',
                                'value': '021 5555 0101',
                                }])],
                }])
    first = {
        'party': party_id,
        'channel': 'phone',
        'direction': 'inbound',
        'date': dt.datetime(2025, 3, 1, 9, 30),
        'subject': 'Asks for a brochure',
        'notes': 'Two-bedroom flats near the metro.',
        }
    later = dict(first,
        channel='visit', direction='outbound',
        date=dt.datetime(2025, 3, 8, 15, 0), subject='Site visit')
    first_id, later_id = integrator('crm.interaction', 'create', [
            first, later])

    party = read_one(integrator, 'party.party', party_id, [
            'name', 'customer_type', 'code', 'lifecycle_stage', 'phone',
            'data_quality', 'contact_mechanisms', 'interactions',
            'last_interaction'])
    assert party['name'] == name
    assert party['customer_type'] == 'organisation'
    assert party['code']
    assert party['lifecycle_stage'] == 'prospect'
    assert party['phone'] == '021 5555 0101'
    assert party['data_quality'] == 'ok'
    # the timeline: newest first
    assert party['interactions'] == [later_id, first_id]
    assert party['last_interaction'] == later['date']
    mechanism = read_one(integrator, 'party.contact_mechanism',
        party['contact_mechanisms'][0], ['type', 'value', 'party'])
    assert (mechanism['type'], mechanism['value'], mechanism['party']) == (
        'phone', '021 5555 0101', party_id)

    interaction = read_one(integrator, 'crm.interaction', first_id,
        list(first) + ['company'])
    assert {k: interaction[k] for k in first} == first
    assert interaction['company'] == integrator.context['company']


def test_integrator_finds_customer_by_phone(integrator):
    "Any spelling of the number finds the customer"
    party_id, = integrator('party.party', 'create', [{
                'name': f'Li Na {secrets.token_hex(4)}',
                'contact_mechanisms': [('create', [{
                                'type': 'mobile',
                                'value': '139 1234 5678',
                                }])],
                }])
    for text in ['13912345678', '+86-139-1234-5678']:
        found = integrator('party.party', 'search',
            [('rec_name', 'ilike', f'%{text}%')], 0, None, None)
        assert party_id in found, text


def test_empty_contact_columns_as_sao_sends_them(integrator):
    "sao sends '' for the phone, mobile and email of the customer list"
    party_id, = integrator('party.party', 'create', [{
                'name': f'Wang Wei {secrets.token_hex(4)}',
                'phone': '', 'mobile': '', 'email': '',
                'contact_mechanisms': [('create', [{
                                'type': 'phone',
                                'value': '021 6888 1234',
                                }])],
                }])
    party = read_one(
        integrator, 'party.party', party_id, ['phone', 'mobile'])
    assert (party['phone'], party['mobile']) == ('021 6888 1234', '')


def test_unknown_field(admin, integrator):
    with nothing_changes(admin):
        error = fault(integrator, 'party.party', 'create', [{
                    'name': 'Nobody', 'nickname': 'Nob'}])
    assert error.faultCode == 255
    assert "'nickname'" in error.faultString


def test_string_for_many2one(admin, integrator):
    with nothing_changes(admin):
        error = fault(integrator, 'crm.interaction', 'create', [{
                    'party': 'Huaxin Trading',
                    'subject': 'Call',
                    'date': dt.datetime(2025, 3, 1, 9, 30),
                    }])
    assert error.faultCode == 255
    assert "invalid literal for int()" in error.faultString
    assert "'Huaxin Trading'" in error.faultString


def test_invalid_selection(admin, integrator):
    with nothing_changes(admin):
        error = fault(integrator, 'party.party', 'create', [{
                    'name': 'Nobody', 'customer_type': 'robot'}])
    assert error.faultCode == 1
    assert ('The value "robot" for field "Customer Type" in record '
        '"Nobody" of "Party" is not one of the allowed options.'
        in error.faultString)


def test_invalid_nested_value_creates_nothing(admin, integrator):
    "A bad contact mechanism: neither the customer nor its phone is kept"
    with nothing_changes(admin):
        error = fault(integrator, 'party.party', 'create', [{
                    'name': 'Nobody',
                    'contact_mechanisms': [('create', [
                                {'type': 'phone', 'value': '021 5555 0102'},
                                {'type': 'pigeon', 'value': 'roof'},
                                ])],
                    }])
    assert error.faultCode == 1
    assert 'The value "pigeon" for field "Type"' in error.faultString
    assert '"Party Contact Mechanism"' in error.faultString


def test_missing_required_field(admin, integrator, customer):
    party_id, _ = customer
    with nothing_changes(admin):
        error = fault(integrator, 'crm.interaction', 'create', [{
                    'party': party_id,
                    'date': dt.datetime(2025, 3, 1, 9, 30),
                    }])
    assert error.faultCode == 1
    assert ('A value is required for field "Subject"' in error.faultString)
    assert '"CRM Interaction"' in error.faultString


def test_lifecycle_transition_refused(admin, integrator, customer):
    party_id, name = customer
    with nothing_changes(admin):
        error = fault(integrator, 'party.party', 'write', [party_id], {
                'lifecycle_stage': 'loyal'})
    assert error.faultCode == 1
    assert (f'Customer "{name}" cannot move from lifecycle stage '
        '"Prospect" to "Loyal".' in error.faultString)
    assert read_one(integrator, 'party.party', party_id, [
            'lifecycle_stage'])['lifecycle_stage'] == 'prospect'


def test_lifecycle_transition_allowed(integrator, customer):
    "The allowed move next to the refused one: the rule, not the write"
    party_id, _ = customer
    integrator('party.party', 'write', [party_id], {
            'lifecycle_stage': 'new'})
    party = read_one(integrator, 'party.party', party_id, [
            'lifecycle_stage', 'lifecycle_changes'])
    assert party['lifecycle_stage'] == 'new'
    assert len(party['lifecycle_changes']) == 1


def _zh_cn_message(msg_id):
    context = f'model:ir.message,text:{msg_id}'
    entry, = [e for e in polib.pofile(str(ZH_CN_PO))
        if e.msgctxt == context]
    assert entry.msgstr and not entry.fuzzy, context
    return entry.msgstr


def test_lifecycle_error_in_user_language(admin, integrator_zh, customer):
    "The same refused move, for a user working in zh_CN"
    party_id, name = customer
    with nothing_changes(admin):
        error = fault(integrator_zh, 'party.party', 'write', [party_id], {
                'lifecycle_stage': 'loyal'})
    stages = dict(integrator_zh('party.party', 'fields_get', [
                'lifecycle_stage'])['lifecycle_stage']['selection'])
    assert CJK.search(stages['prospect']) and CJK.search(stages['loyal'])
    expected = _zh_cn_message('msg_lifecycle_transition') % {
        'party': name, 'from_': stages['prospect'], 'to': stages['loyal']}
    assert error.faultCode == 1
    assert error.faultString.startswith(expected), error.faultString
    assert 'cannot move' not in error.faultString


def test_required_field_in_user_language(admin, integrator_zh, customer):
    "Tryton's own message names the field and model in zh_CN"
    party_id, _ = customer
    with nothing_changes(admin):
        error = fault(integrator_zh, 'crm.interaction', 'create', [{
                    'party': party_id,
                    'date': dt.datetime(2025, 3, 1, 9, 30),
                    }])
    subject = integrator_zh('crm.interaction', 'fields_get', [
            'subject'])['subject']['string']
    assert CJK.search(subject)
    assert f'"{subject}"' in error.faultString
    assert '"Subject"' not in error.faultString


def test_outsider_cannot_create_interaction(admin, outsider, customer):
    party_id, _ = customer
    with nothing_changes(admin):
        error = fault(outsider, 'crm.interaction', 'create', [{
                    'party': party_id,
                    'subject': 'Call',
                    'date': dt.datetime(2025, 3, 1, 9, 30),
                    }])
    assert error.faultCode == 1
    assert ('You are not allowed to access "CRM Interaction".'
        in error.faultString)


def test_outsider_cannot_read_interactions(admin, integrator, outsider,
        customer):
    party_id, _ = customer
    interaction_id, = integrator('crm.interaction', 'create', [{
                'party': party_id,
                'subject': 'Call',
                'date': dt.datetime(2025, 3, 1, 9, 30),
                }])
    calls = [
        ('crm.interaction', 'read', [interaction_id], ['subject']),
        ('crm.interaction', 'search', [], 0, None, None),
        ('party.party', 'read', [party_id], ['interactions']),
        ]
    for call in calls:
        with nothing_changes(admin):
            error = fault(outsider, *call)
        assert ('You are not allowed to access "CRM Interaction".'
            in error.faultString), call
