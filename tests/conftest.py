# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fixtures of the cross-module tests under tests/.

``trytond_server``: one real trytond (see server.py) for the whole pytest
session, shared by test_xmlrpc.py and test_browser.py.  The report of a
failed test that used it ends with the last lines of the server log.
"""
import pytest

from server import running_server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # test_browser.py's page fixture looks at item.rep_call
    setattr(item, 'rep_' + report.when, report)
    server = getattr(item, 'funcargs', {}).get('trytond_server')
    if report.failed and server is not None:
        report.sections.append(
            ('trytond server log (last lines)', server.log_tail()))
    return report


@pytest.fixture(scope='session')
def trytond_server():
    with running_server() as server:
        yield server
