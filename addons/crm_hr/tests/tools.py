# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"An HR set-up for the tests of crm_hr and of other modules."
import datetime as dt
from decimal import Decimal
from unittest import TestCase

from trytond.modules.company.tests import create_employee
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db

from ..engine.kpi import period_end


class DBTestCase(TestCase):
    """A test case on a database with `module` (and `extras`) activated,
    without re-running the generic checks of ModuleTestCase."""
    module = 'crm_hr'
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


def create_user(login, groups=(), company=None, employee=None):
    "A user in the named groups ('crm_hr.group_hr_officer'...)."
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    values = {
        'login': login, 'name': login,
        'groups': [('add', [ModelData.get_id(*g.split('.')) for g in groups])],
        }
    if company:
        values.update(companies=[('add', [company.id])], company=company.id)
    if employee:
        values.update(employees=[('add', [employee.id])], employee=employee.id)
    user, = User.create([values])
    return user


def create_department(company, name, manager=None, parent=None):
    Department = Pool().get('crm.hr.department')
    department, = Department.create([{
                'name': name, 'company': company.id,
                'manager': manager.id if manager else None,
                'parent': parent.id if parent else None,
                }])
    return department


def create_template(company, name, indicators):
    """A template with indicators given as (name, weight, target,
    direction, source) tuples."""
    Template = Pool().get('crm.hr.kpi.template')
    template, = Template.create([{
                'name': name, 'company': company.id,
                'indicators': [('create', [{
                                'name': n, 'weight': Decimal(w),
                                'target': Decimal(t), 'direction': d,
                                'source': s,
                                } for n, w, t, d, s in indicators])],
                }])
    return template


def create_position(company, name, template=None, department=None):
    Position = Pool().get('crm.hr.position')
    position, = Position.create([{
                'name': name, 'company': company.id,
                'kpi_template': template.id if template else None,
                'department': department.id if department else None,
                }])
    return position


def hire(company, name, department, position, start_date=None, **values):
    Employee = Pool().get('company.employee')
    employee = create_employee(company, name)
    Employee.write([employee], dict({
                'department': department.id,
                'position': position.id if position else None,
                'start_date': start_date or dt.date(2020, 1, 1),
                }, **values))
    return employee


def create_campaign(company, departments, start=dt.date(2026, 1, 1),
        period='quarter', name="Q1"):
    Campaign = Pool().get('crm.hr.campaign')
    campaign, = Campaign.create([{
                'name': name, 'company': company.id, 'period': period,
                'start_date': start, 'end_date': period_end(period, start),
                'departments': [('add', [d.id for d in departments])],
                }])
    return campaign
