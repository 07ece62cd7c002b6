# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""docs/integration.md is right: its examples run against a real trytond
with crm_service and crm_integration (``integration_server`` of
conftest.py).

- every call of crm.api is documented, in English and in Chinese, with
  the same code in both;
- every curl example's JSON body parses, names an existing call and ends
  with the context {}; it is then sent as it is (with the test's system
  code) over JSON-RPC and answered without error;
- the ```python blocks, concatenated, run with the test's URL and system
  code; their asserts hold and they print what they say they print.
"""
import contextlib
import io
import json
import linecache
import re
import secrets
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = {
    'en': ROOT / 'docs' / 'integration.md',
    'zh_CN': ROOT / 'docs' / 'integration.zh_CN.md',
    }
API = ROOT / 'addons' / 'crm_integration' / 'api.py'
PASSWORD = 'doc-integrator-pw'
PLACEHOLDERS = {
    'URL': "URL = 'http://integrator:secret@127.0.0.1:8000/ecrm/rpc/'",
    'SYSTEM': "SYSTEM = 'WEB'",
    }


def api_calls():
    "The calls crm.api exposes: the keys of its __rpc__ update"
    source = API.read_text(encoding='utf-8')
    block = re.search(
        r'cls\.__rpc__\.update\(\{(.*?)\}\)', source, re.S).group(1)
    calls = set(re.findall(r"'(\w+)':\s*RPC\(", block))
    assert calls, "no call found in api.py's __rpc__"
    return calls


def blocks(text, language):
    return re.findall(
        r'^```%s\n(.*?)^```' % language, text, re.M | re.S)


def python_code(lang='en'):
    return blocks(DOCS[lang].read_text(encoding='utf-8'), 'python')


def curl_examples(lang='en'):
    "(command, JSON body) of every curl example"
    examples = []
    for block in blocks(DOCS[lang].read_text(encoding='utf-8'), 'sh'):
        if 'curl' not in block:
            continue
        body = re.search(r"-d '([^']*)'", block)
        assert body, f"no -d '...' body in {block!r}"
        examples.append((block, body.group(1)))
    return examples


@pytest.mark.parametrize('lang', DOCS)
def test_every_call_documented(lang):
    text = DOCS[lang].read_text(encoding='utf-8')
    code = '\n'.join(python_code(lang))
    for call in api_calls():
        assert f'`{call}`' in text, call
        assert f'api.{call}(' in code, f'no Python example of {call}'
        assert f'model.crm.api.{call}"' in text, f'no curl example of {call}'


def test_chinese_code_identical():
    assert python_code('zh_CN') == python_code('en')
    for lang in DOCS:
        text = DOCS[lang].read_text(encoding='utf-8')
        assert blocks(text, 'sh') and blocks(text, 'python'), lang
    assert (blocks(DOCS['zh_CN'].read_text(encoding='utf-8'), 'sh')
        == blocks(DOCS['en'].read_text(encoding='utf-8'), 'sh'))


def test_curl_bodies_parse():
    calls = api_calls()
    seen = set()
    for command, body in curl_examples():
        request = json.loads(body)
        prefix, call = request['method'].rsplit('.', 1)
        assert prefix == 'model.crm.api', request['method']
        assert call in calls, request['method']
        assert request['params'][-1] == {}, 'no context at the end'
        assert 'Content-Type: application/json' in command
        assert re.search(r'http://[^ ]+/rpc/', command)
        seen.add(call)
    assert seen == calls


def test_placeholders_at_the_top():
    first = python_code()[0].splitlines()
    assert first[:2] == [PLACEHOLDERS['URL'], PLACEHOLDERS['SYSTEM']]


@pytest.fixture(scope='module')
def doc_env(integration_server):
    "An integrator listed as API user of a fresh system; a service queue"
    tag = secrets.token_hex(4)
    admin = integration_server.admin()
    login = f'doc_integrator_{tag}'
    user_id = integration_server.create_user(login, PASSWORD,
        ['crm_integration.group_integrator'], language='en')
    company_id, = admin('company.company', 'search', [], 0, 1, None)
    code = f'DOC{tag}'
    admin('crm.integration.system', 'create', [{
                'name': f'Doc Shop {tag}', 'code': code, 'kind': 'sales',
                'transport': 'rest', 'endpoint': 'http://127.0.0.1:9',
                'company': company_id,
                'api_users': [('add', [user_id])],
                }])
    # open_ticket without a queue name goes to the company's first queue
    centre, = admin('crm.service.centre', 'create', [{
                'name': f'Doc Centre {tag}', 'company': company_id}])
    admin('crm.service.queue', 'create', [{
                'name': f'Doc Queue {tag}', 'centre': centre}])
    url = integration_server.rpc_url.replace(
        'http://', f'http://{login}:{PASSWORD}@', 1)
    return {'url': url, 'system': code, 'login': login,
        'rpc_url': integration_server.rpc_url}


def run_python_examples(url, system):
    code = '\n'.join(python_code())
    for name, value in [('URL', url), ('SYSTEM', system)]:
        code, count = re.subn(
            r'^%s = .*$' % name, lambda m: f'{name} = {value!r}', code,
            count=1, flags=re.M)
        assert count == 1, name
    # tracebacks show the lines of the concatenated blocks
    filename = '<python blocks of docs/integration.md>'
    linecache.cache[filename] = (
        len(code), None, code.splitlines(True), filename)
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(code, filename, 'exec'),
                {'__name__': 'docs_integration'})
    finally:
        print(output.getvalue())  # shown by pytest when the test fails
    return output.getvalue()


def json_rpc(env, body):
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, env['rpc_url'], env['login'], PASSWORD)
    opener = urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(manager))
    request = urllib.request.Request(env['rpc_url'], method='POST',
        data=body.encode('utf-8'),
        headers={'Content-Type': 'application/json'})
    with opener.open(request, timeout=60) as response:
        return json.loads(response.read())


def test_examples_run(doc_env):
    output = run_python_examples(doc_env['url'], doc_env['system'])
    lines = output.splitlines()
    assert lines[0] == '1.0'
    assert lines[1] == 'created'  # the first upsert_customer
    assert 'Li Lei' in lines
    assert "{'created': 2, 'updated': 0, 'unchanged': 0}" in lines
    assert '4001' in lines and '4040' in lines
    assert any(line.startswith('customer.external_id: ') for line in lines)

    # then each curl example, as it is, with the test's system
    answers = {}
    for command, body in curl_examples():
        request = json.loads(body)
        if request['params'][0] == 'WEB':
            request['params'][0] = doc_env['system']
        answer = json_rpc(doc_env, json.dumps(request))
        assert 'error' not in answer or answer['error'] is None, (
            body, answer)
        answers[request['method'].rsplit('.', 1)[1]] = answer['result']
    assert answers['version'] == '1.0'
    assert answers['upsert_customer']['status'] == 'updated'
    assert answers['log_interaction']['status'] == 'created'
    assert answers['record_purchases'] == {
        'created': 1, 'updated': 0, 'unchanged': 0}
    assert answers['open_ticket']['status'] == 'created'
    assert answers['customer_card']['name'] == 'Li Lei'
    assert isinstance(answers['search_customers'], list)
