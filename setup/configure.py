#!/usr/bin/env python3
"""Set up an eCRM database after its modules are activated.

Idempotent: run it again and it only fills in what is missing.

- the currency CNY (the currency module ships no currencies);
- the demo company (CNY, Asia/Shanghai) when the database has no company;
- the admin user's company and employee, and the CRM groups for admin
  (crm_core.group_crm, group_crm_admin, group_crm_sensitive) when crm_core is
  activated;
- the user "demo" (language zh_CN, CRM User group, the company), whose
  password is set only when the user is created.

    configure.py -c CONF [-c CONF2] -d ecrm --demo-password PASSWORD
    configure.py -c CONF -d ecrm --demo-status    print "loaded", "partial"
                                                  or "empty"

The environment (TRYTOND_<SECTION>__<OPTION>) overrides the files, as in
setup/dbtool.py.  A JSON summary is printed on the last line.
"""
import argparse
import json
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dbtool import load_config  # noqa: E402

COMPANY_NAME = '申城示范置业有限公司'
COMPANY_TIMEZONE = 'Asia/Shanghai'
ADMIN_EMPLOYEE = '系统管理员'
DEMO_LOGIN = 'demo'
DEMO_NAME = '演示用户'
DEMO_LANGUAGE = 'zh_CN'
ADMIN_GROUPS = ['group_crm', 'group_crm_admin', 'group_crm_sensitive']
DEMO_GROUPS = ['group_crm']


def _group_ids(pool, module, names, missing):
    ModelData = pool.get('ir.model.data')
    ids = []
    for name in names:
        try:
            ids.append(ModelData.get_id(module, name))
        except KeyError:
            missing.append(f'{module}.{name}')
    return ids


def _currency(pool):
    Currency = pool.get('currency.currency')
    currency = Currency.search([('code', '=', 'CNY')], limit=1)
    if currency:
        return currency[0], False
    currency, = Currency.create([{
                'name': 'Chinese Yuan Renminbi',
                'code': 'CNY',
                'numeric_code': '156',
                'symbol': '¥',
                'digits': 2,
                'rounding': Decimal('0.01'),
                }])
    return currency, True


def _company(pool, currency):
    Company = pool.get('company.company')
    Party = pool.get('party.party')
    companies = Company.search([], order=[('id', 'ASC')], limit=1)
    if companies:
        return companies[0], False
    party, = Party.create([{'name': COMPANY_NAME}])
    company, = Company.create([{
                'party': party.id,
                'currency': currency.id,
                'timezone': COMPANY_TIMEZONE,
                }])
    return company, True


def _employee(pool, company, name):
    Employee = pool.get('company.employee')
    Party = pool.get('party.party')
    employees = Employee.search([
            ('company', '=', company.id),
            ('party.name', '=', name),
            ], limit=1)
    if employees:
        return employees[0]
    party, = Party.create([{'name': name}])
    employee, = Employee.create([{'party': party.id, 'company': company.id}])
    return employee


def _attach(user, company, employee, group_ids):
    values = {}
    if company not in user.companies:
        values['companies'] = [('add', [company.id])]
    if employee not in user.employees:
        values['employees'] = [('add', [employee.id])]
    missing_groups = set(group_ids) - {g.id for g in user.groups}
    if missing_groups:
        values['groups'] = [('add', sorted(missing_groups))]
    if values:
        user.__class__.write([user], values)
    values = {}
    if user.company != company:
        values['company'] = company.id
    if user.employee != employee:
        values['employee'] = employee.id
    if values:
        user.__class__.write([user], values)


def configure(database, demo_password):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(database)
    pool.init()
    summary = {'missing_groups': []}
    with Transaction().start(database, 0) as transaction:
        Module = pool.get('ir.module')
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        activated = {m.name for m in Module.search(
                [('state', '=', 'activated')])}
        if 'company' not in activated:
            summary['company'] = None
            print(json.dumps(summary))
            return summary
        currency, summary['currency_created'] = _currency(pool)
        company, summary['company_created'] = _company(pool, currency)
        summary['company'] = company.rec_name
        summary['currency'] = company.currency.code

        admin_groups, demo_groups = [], []
        if 'crm_core' in activated:
            missing = summary['missing_groups']
            admin_groups = _group_ids(pool, 'crm_core', ADMIN_GROUPS, missing)
            demo_groups = _group_ids(pool, 'crm_core', DEMO_GROUPS, missing)

        admin, = User.search([('login', '=', 'admin')])
        _attach(admin, company, _employee(pool, company, ADMIN_EMPLOYEE),
            admin_groups)

        demo = User.search([('login', '=', DEMO_LOGIN)], limit=1)
        summary['demo_created'] = not demo
        if not demo:
            language = Lang.search([
                    ('code', '=', DEMO_LANGUAGE),
                    ('translatable', '=', True),
                    ], limit=1)
            demo, = User.create([{
                        'login': DEMO_LOGIN,
                        'name': DEMO_NAME,
                        'password': demo_password,
                        'language': language[0].id if language else None,
                        }])
        else:
            demo, = demo
        _attach(demo, company, _employee(pool, company, DEMO_NAME),
            demo_groups)
        transaction.commit()
    print(json.dumps(summary, ensure_ascii=False))
    return summary


def demo_status(database):
    """'loaded' when setup/demo_data.py completed (its note on the
    company) or when the database holds customers of its own, 'partial'
    when a demo load was interrupted (run demo_data.py again to finish
    it), 'empty' otherwise."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(database)
    pool.init()
    with Transaction().start(database, 0, readonly=True):
        try:
            pool.get('party.party')
        except KeyError:
            return 'empty'
        from demo_data import status
        return status()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', action='append')
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--demo-password',
        default=os.environ.get('ECRM_DEMO_PASSWORD', 'demo-ecrm'))
    parser.add_argument('--demo-status', action='store_true')
    options = parser.parse_args(argv)
    load_config(options.config or [os.environ.get('TRYTOND_CONFIG', '')])
    if options.demo_status:
        print(demo_status(options.database))
    else:
        configure(options.database, options.demo_password)
    return 0


if __name__ == '__main__':
    sys.exit(main())
