# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Helpers for crm_core tests and for the tests of modules built on it."
from trytond.pool import Pool
from trytond.tests.test_tryton import TestCase, activate_module, drop_db


def create_user(login, groups=(), company=None, employee=None):
    "A user in the named groups ('crm_core.group_crm'...)."
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    group_ids = [ModelData.get_id(*g.split('.')) for g in groups]
    values = {
        'login': login,
        'name': login,
        'groups': [('add', group_ids)],
        }
    if company:
        values.update(companies=[('add', [company.id])], company=company.id)
    if employee:
        values.update(employees=[('add', [employee.id])], employee=employee.id)
    user, = User.create([values])
    return user


def create_customer(name, *contacts, **values):
    "A party with contact mechanisms given as (type, value) pairs."
    Party = Pool().get('party.party')
    party, = Party.create([dict(values, name=name, contact_mechanisms=[
                    ('create', [{'type': t, 'value': v}
                            for t, v in contacts])])])
    return party


class DBTestCase(TestCase):
    """A test case on a database with `module` (and `extras`) activated,
    without re-running the generic checks of ModuleTestCase."""
    module = None
    extras = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module([cls.module, *cls.extras])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()
