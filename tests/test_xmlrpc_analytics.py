# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Analytics over XML-RPC on a real trytond (``service_server`` of
conftest.py, which has crm_analytics): an analyst working in zh_CN runs
an RFM analysis as a queued task (no worker: trytond runs it right after
the request's commit), reads the stored results and the customer card,
exports them to .xlsx; bad parameters and an empty period are refused in
Chinese and change nothing; a CRM user may read but not run."""
import datetime as dt
import io
import secrets

import openpyxl
import pytest

from test_xmlrpc_hr import CJK, decimal, fault, rpc_date


@pytest.fixture(scope='module')
def analytics(service_server):
    "An analyst (zh_CN), a CRM user and 30 customers with purchases"
    tag = secrets.token_hex(3)
    admin = service_server.admin()
    company = admin.context['company']
    currency, = admin('company.company', 'read', [company],
        ['currency'])[0]['currency'],
    clients = {}
    for key, groups, language in [
            ('analyst', ['crm_analytics.group_analyst'], 'zh_CN'),
            ('clerk', ['crm_core.group_crm'], 'en')]:
        login, password = f'{key}_{tag}', secrets.token_hex(8)
        service_server.create_user(login, password, groups, language)
        clients[key] = service_server.client(login, password)
    parties = admin('party.party', 'create', [
            {'name': f'客户 {tag} {i}'} for i in range(30)])
    # customer i buys on i % 5 + 1 days of 2025, 100 * (i + 1) each time
    admin('crm.purchase', 'create', [{
                'company': company, 'party': party, 'currency': currency,
                'date': rpc_date(dt.date(2025, 1 + day, 1 + i % 28)),
                'quantity': 1, 'amount': decimal(100 * (i + 1)),
                } for i, party in enumerate(parties)
            for day in range(i % 5 + 1)])
    return tag, admin, clients['analyst'], clients['clerk'], parties


def test_rfm_run_queued_and_exported(analytics):
    tag, admin, analyst, clerk, parties = analytics
    values = {'name': f'RFM {tag}', 'kind': 'rfm',
        'start_date': rpc_date(dt.date(2025, 1, 1)),
        'end_date': rpc_date(dt.date(2025, 12, 31))}
    run, = analyst('crm.analytics.run', 'create', [values])
    error = fault(clerk, 'crm.analytics.run', 'run', [run])
    assert 'run' in error.faultString

    analyst('crm.analytics.run', 'run', [run])
    record, = analyst('crm.analytics.run', 'read', [run],
        ['state', 'customers', 'results', 'message'])
    assert record['state'] == 'done', record['message']
    assert record['customers'] >= 30

    rows = analyst('crm.analytics.rfm', 'search_read', [
            ('run', '=', run), ('party', 'in', parties)], 0, None, None,
        ['party', 'frequency', 'monetary', 'm_score', 'segment'])
    by_party = {r['party']: r for r in rows}
    assert len(by_party) == 30
    for i, party in enumerate(parties):
        assert by_party[party]['frequency'] == i % 5 + 1
        assert by_party[party]['monetary'] == 100 * (i + 1) * (i % 5 + 1)
    # the biggest spender of the 30 is scored 5 on M, and the card shows it
    top = parties[29]
    assert by_party[top]['m_score'] == 5
    card, = clerk('party.party', 'read', [top],
        ['rfm_scores', 'relationship_index', 'segment'])
    assert card['rfm_scores'].endswith('-5')
    assert card['segment'] == by_party[top]['segment']
    assert 0 < card['relationship_index'] <= 100

    oext, content, _, _ = getattr(analyst.proxy,
        'report.crm.analytics.xlsx.execute')(
        [run], {'model': 'crm.analytics.run'}, analyst.context)
    assert oext == 'xlsx'
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet['A1'].value == f'RFM {tag}'
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert all(CJK.search(l) for l in labels[1:4]), labels[:4]


def test_bad_runs_refused_in_chinese(analytics):
    tag, admin, analyst, clerk, parties = analytics
    count = len(analyst('crm.analytics.run', 'search', []))
    error = fault(analyst, 'crm.analytics.run', 'create', [{
                'kind': 'pairs', 'min_support': 1.5,
                'start_date': rpc_date(dt.date(2025, 1, 1)),
                'end_date': rpc_date(dt.date(2025, 12, 31))}])
    assert CJK.search(error.faultString) and '1.5' in error.faultString
    assert len(analyst('crm.analytics.run', 'search', [])) == count

    run, = analyst('crm.analytics.run', 'create', [{
                'kind': 'rfm', 'start_date': rpc_date(dt.date(1990, 1, 1)),
                'end_date': rpc_date(dt.date(1990, 12, 31))}])
    error = fault(analyst, 'crm.analytics.run', 'run', [run])
    assert CJK.search(error.faultString) and '1990' in error.faultString
    state, = analyst('crm.analytics.run', 'read', [run], ['state'])
    assert state['state'] == 'draft'
