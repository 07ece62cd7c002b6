# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fixtures of the cross-module tests under tests/.

``trytond_server``: one real trytond (see server.py) with crm_core for the
whole pytest session, shared by test_xmlrpc.py and test_browser.py;
``service_server``: another with crm_service, crm_hr and crm_analytics,
shared by test_xmlrpc_service.py, test_browser_service.py,
test_xmlrpc_hr.py, test_browser_hr.py and test_xmlrpc_analytics.py;
``integration_server``: a third with crm_service and crm_integration for
test_xmlrpc_integration.py and test_browser_integration.py (the crash
test kills and restarts it).
Each is prepared the first time a test asks for it.  The report of a
failed test that used one ends with the last lines of its server log.
"""
import pytest

from server import running_server

SERVERS = ['trytond_server', 'service_server', 'integration_server']


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # test_browser.py's page fixture looks at item.rep_call
    setattr(item, 'rep_' + report.when, report)
    funcargs = getattr(item, 'funcargs', {})
    for name in SERVERS:
        server = funcargs.get(name)
        if report.failed and server is not None:
            report.sections.append(
                (f'{name} log (last lines)', server.log_tail()))
    return report


@pytest.fixture(scope='session')
def trytond_server():
    with running_server() as server:
        yield server


@pytest.fixture(scope='session')
def service_server():
    with running_server(
            modules=('crm_service', 'crm_hr', 'crm_analytics')) as server:
        yield server


@pytest.fixture(scope='session')
def integration_server():
    with running_server(
            modules=('crm_service', 'crm_integration')) as server:
        yield server
