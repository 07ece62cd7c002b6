# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo data: setup/demo_gen.py (no database) and setup/demo_data.py.

demo_data.py runs on a fresh database as setup/run.sh runs it: a temporary
SQLite file, or a new database on the PostgreSQL server named by
TRYTOND_DATABASE__URI (dropped afterwards), with crm_core activated (by
Tryton's test helper, which reuses the database that crm_core's tests
cached in DB_CACHE) and the company made by setup/configure.py.  It loads
part of the customers, then all of them (the second run continues), then
runs once more (and adds nothing).  Every step is a subprocess with the
test's own configuration.
"""
import datetime as dt
import doctest
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from trytond.modules.crm_core.engine import dedup, lifecycle, quality

ROOT = Path(__file__).resolve().parents[1]
SETUP = ROOT / 'setup'
sys.path.insert(0, str(SETUP))

import demo_gen  # noqa: E402
import demo_names  # noqa: E402

END_DATE = dt.date(2026, 6, 30)
CUSTOMERS = 60
TIMEOUT = 10 * 60
CHINESE = re.compile('[\u4e00-\u9fff]')

# Run in subprocesses: the pytest process keeps its own configuration.
# Activate crm_core in the database named by DB_NAME.
ACTIVATE = r'''
import sys
sys.path.insert(0, sys.argv[2])
from dbtool import load_config
load_config([sys.argv[1]])
from trytond.tests.test_tryton import activate_module
activate_module(['crm_core'])
'''
# Code run on the database: name, pool and Transaction are set.
PRELUDE = '''
import json, sys
sys.path.insert(0, sys.argv[3])
from dbtool import load_config
load_config([sys.argv[1]])
from trytond.pool import Pool
from trytond.transaction import Transaction
name = sys.argv[2]
pool = Pool(name)
pool.init()
'''
CHECK = '''
with Transaction().start(name, 0, readonly=True):
    Party = pool.get('party.party')
    Purchase = pool.get('crm.purchase')
    Duplicate = pool.get('crm.duplicate')
    Change = pool.get('crm.lifecycle.change')
    customers = Party.search([('code', 'like', 'DEMO-_______')])
    purchases = Purchase.search([])
    print(json.dumps({
        'customers': [[p.code, p.name, p.customer_type, p.data_quality,
                p.lifecycle_stage] for p in customers],
        'duplicates': [[d.party.code, d.other.code, d.state]
            for d in Duplicate.search([])],
        'external_ids': [p.external_id for p in purchases],
        'interactions': pool.get('crm.interaction').search_count([]),
        'contact_persons': pool.get('crm.contact_person').search_count([]),
        'changes': [[c.party.code, c.from_stage, c.to_stage]
            for c in Change.search([], order=[('id', 'ASC')])],
        'parties': Party.search_count([]),
        }))
'''
# What an interrupted load leaves: customers, no note that it completed.
INTERRUPT = '''
with Transaction().start(name, 0) as transaction:
    Note = pool.get('ir.note')
    Note.delete(Note.search([]))
    transaction.commit()
'''


def _customers(count=CUSTOMERS, seed=1):
    return demo_gen.Generator(seed, END_DATE).customers(0, count)


def _code(number):
    return 'DEMO-%07d' % number


def _keys(customer):
    "crm_core's duplicate keys of a generated customer"
    keys = {dedup.contact_key(t, customer[t])
        for t in ['mobile', 'phone', 'email'] if customer[t]}
    if customer['customer_type'] == 'organisation':
        keys.add('n:' + dedup.name_key(customer['name']))
    return keys - {None}


# -- demo_gen, without a database ----------------------------------------

def test_generator_doctests():
    result = doctest.testmod(demo_gen)
    assert result.attempted and not result.failed


def test_generator_deterministic():
    assert _customers(100, seed=3) == _customers(100, seed=3)
    assert [c['name'] for c in _customers(20, seed=3)] != [
        c['name'] for c in _customers(20, seed=4)]


def test_generator_batches_agree():
    "Customer n is the same whichever batch asks for it"
    generator = demo_gen.Generator(1, END_DATE)
    whole = generator.customers(0, 100)
    assert generator.customers(0, 37) + generator.customers(37, 63) == whole
    assert generator.customers(79, 1) == whole[79:80]


def test_generator_duplicates_and_only_them():
    "crm_core finds every re-entered customer and no other pair"
    customers = _customers(2000)
    owners = {}
    for customer in customers:
        for key in _keys(customer):
            owners.setdefault(key, set()).add(customer['number'])
        for i, contact in enumerate(customer['contacts']):
            for key in _keys(dict(contact, customer_type='person',
                        phone=None)):
                owners.setdefault(key, set()).add((customer['number'], i))
    pairs = {tuple(sorted(o, key=str)) for o in owners.values()
        if len(o) > 1}
    expected = {(c['duplicate_of'], c['number']) for c in customers
        if c['duplicate_of'] is not None}
    assert len(expected) == 100
    assert pairs == expected


def test_generator_contact_quality():
    "crm_core flags exactly the customers generated with a bad contact"
    for customer in _customers(600):
        contacts = [(t, customer[t]) for t in ['mobile', 'phone', 'email']
            if customer[t]]
        valid = all(quality.is_valid_contact(*c) for c in contacts)
        assert valid == (customer['invalid_kind'] is None), customer
        assert contacts


def test_generator_lifecycle():
    "Every stage move is one crm_core allows and ends in the stage"
    for customer in _customers(600):
        stage = 'prospect'
        for date, from_, to in customer['lifecycle_changes']:
            assert from_ == stage and lifecycle.is_allowed(from_, to)
            assert date <= END_DATE
            stage = to
        assert stage == customer['lifecycle_stage']


def test_generator_references():
    "Codes used by customers exist in the reference lists"
    regions = {c for c, _, _ in demo_names.REGIONS}
    segments = {c for c, _ in demo_names.SEGMENTS} | {None}
    stores = {s[0] for s in demo_names.STORES}
    for customer in _customers(300):
        assert customer['region'] in regions
        assert customer['segment'] in segments
        assert customer['store'] in stores
        assert CHINESE.search(customer['name'])


# -- demo_data.py on a database -------------------------------------------

def _backend():
    uri = os.environ.get('TRYTOND_DATABASE__URI', '')
    return 'postgresql' if uri.startswith('postgresql') else 'sqlite'


class Database:

    def __init__(self, directory):
        self.name = 'ecrm_demo_%s_%s' % (os.getpid(), int(time.time()))
        self.config = directory / 'trytond.conf'
        # no uri: SQLite, unless TRYTOND_DATABASE__URI says otherwise
        self.config.write_text(
            '[database]\npath = %s\nlanguage = en\n' % directory)
        self.env = {k: v for k, v in os.environ.items()
            if k not in {'DB_NAME', 'DB_CACHE', 'TRYTOND_CONFIG'}}

    def run(self, *cmd, env=None):
        process = subprocess.run(
            [str(c) for c in cmd], env=env or self.env, cwd=ROOT,
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=TIMEOUT)
        assert process.returncode == 0, (
            f"{' '.join(map(str, cmd))}\n{process.stdout}\n"
            f"{process.stderr[-6000:]}")
        return process.stdout

    def dbtool(self, *args):
        return self.run(sys.executable, SETUP / 'dbtool.py',
            '-c', self.config, *args, '-d', self.name)

    def setup(self):
        self.dbtool('drop')
        env = dict(self.env, DB_NAME=self.name)
        if os.environ.get('DB_CACHE'):
            env['DB_CACHE'] = os.environ['DB_CACHE']
        self.run(sys.executable, '-c', ACTIVATE, self.config, SETUP,
            env=env)
        self.run(sys.executable, SETUP / 'configure.py',
            '-c', self.config, '-d', self.name)

    def demo_status(self):
        return self.run(sys.executable, SETUP / 'configure.py',
            '-c', self.config, '-d', self.name, '--demo-status').strip()

    def demo_data(self, customers):
        return self.run(sys.executable, SETUP / 'demo_data.py',
            '--database', self.name, '--config', self.config,
            '--customers', customers, '--batch', 25,
            '--end-date', END_DATE.isoformat())

    def python(self, code):
        return self.run(sys.executable, '-c', PRELUDE + code,
            self.config, self.name, SETUP)

    def check(self):
        return json.loads(self.python(CHECK))


@pytest.fixture(scope='module')
def database():
    with tempfile.TemporaryDirectory(prefix='ecrm-demo-') as directory:
        database = Database(Path(directory))
        try:
            database.setup()
            yield database
        finally:
            if _backend() == 'postgresql':
                database.dbtool('drop')


@pytest.fixture(scope='module')
def loaded(database):
    "The states before, between and after the runs"
    states = {'before': database.demo_status()}
    states['first output'] = database.demo_data(CUSTOMERS // 2)
    states['first'] = database.check()
    database.python(INTERRUPT)
    states['interrupted'] = database.demo_status()
    states['continued output'] = database.demo_data(CUSTOMERS)
    states['continued'] = database.check()
    states['status'] = database.demo_status()
    states['again output'] = database.demo_data(CUSTOMERS)
    states['again'] = database.check()
    return states


def test_demo_customers(loaded):
    generated = _customers()
    customers = loaded['continued']['customers']
    assert sorted(c[0] for c in customers) == [
        _code(c['number']) for c in generated]
    assert {c[2] for c in customers} == {'person', 'organisation'}
    assert all(CHINESE.search(c[1]) for c in customers)
    assert {c[0]: c[4] for c in customers} == {
        _code(c['number']): c['lifecycle_stage'] for c in generated}
    assert loaded['continued']['contact_persons'] == sum(
        len(c['contacts']) for c in generated)
    assert loaded['continued']['interactions'] == sum(
        len(c['interactions']) for c in generated)


def test_demo_duplicates(loaded):
    found = {(a, b) for a, b, state in loaded['continued']['duplicates']
        if state == 'open'}
    expected = {(_code(c['duplicate_of']), _code(c['number']))
        for c in _customers() if c['duplicate_of'] is not None}
    assert len(expected) == 3
    assert found == expected


def test_demo_data_quality(loaded):
    invalid = {c[0] for c in loaded['continued']['customers']
        if c[3] == 'invalid'}
    assert invalid
    assert invalid == {_code(c['number']) for c in _customers()
        if c['invalid_kind']}


def test_demo_purchases(loaded):
    external_ids = loaded['continued']['external_ids']
    assert external_ids
    assert len(set(external_ids)) == len(external_ids)
    assert len(external_ids) == sum(
        len(c['purchases']) for c in _customers())


def test_demo_lifecycle_history(loaded):
    changes = loaded['continued']['changes']
    assert changes
    assert all(lifecycle.is_allowed(f, t) for _, f, t in changes)


def test_demo_continues_and_is_idempotent(loaded):
    assert loaded['before'] == 'empty'
    assert len(loaded['first']['customers']) == CUSTOMERS // 2
    assert loaded['interrupted'] == 'partial'
    assert 'created %d customers' % (CUSTOMERS - CUSTOMERS // 2) in (
        loaded['continued output'])
    assert loaded['status'] == 'loaded'
    assert 'created 0 customers' in loaded['again output']
    assert loaded['again'] == loaded['continued']
