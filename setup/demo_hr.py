# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""HR demo data for setup/demo_data.py, when crm_hr is activated.

The salespeople of the demo become the talent records of a sales
department with one sub-department per store (its first salesperson as
manager), a position "Sales Consultant" with required skills and
courses, and a KPI template whose automatic indicators are crm_core's
metrics (customers acquired, interactions logged); then a campaign of the
current quarter is generated, so its assessments show figures read from
the demo customers and interactions.  Keyed by codes and names: a second
run adds nothing.
"""
import datetime as dt
import random
from decimal import Decimal

from trytond.pool import Pool

import demo_names as N

CAMPAIGN = "本季度销售顾问 KPI 考核"
TEMPLATE = "销售顾问 KPI"
INDICATORS = [
    ("新增客户数", 30, 10, 'crm_customers_acquired'),
    ("客户互动次数", 30, 20, 'crm_interactions_logged'),
    ("客户满意度", 20, 100, 'manual'),
    ("团队协作", 20, 100, 'manual'),
    ]


def quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def load_hr(loader, today):
    "Create what is missing; return the number of assessments generated."
    pool = Pool()
    try:
        Department = pool.get('crm.hr.department')
    except KeyError:
        return 0
    company = loader.context['company']
    employees = loader.generator.employees
    ids = loader.ids['employee']
    departments = loader.ensure(Department, [
            {'code': 'SALES', 'name': "销售部", 'company': company}])
    store_manager = {}
    for employee in employees:
        store_manager.setdefault(employee['store'], ids[employee['code']])
    departments.update(loader.ensure(Department, [{
                'code': code, 'name': name, 'company': company,
                'parent': departments['SALES'],
                'manager': store_manager.get(code),
                } for code, name, _, _ in N.STORES]))
    skills = loader.ensure(pool.get('crm.hr.skill'), [
            {'name': n, 'category': c} for n, c in [
                ("客户关系管理", 'crm'), ("销售技巧", 'sales'),
                ("投诉处理", 'service')]], key='name')
    courses = loader.ensure(pool.get('crm.hr.course'), [
            {'code': 'CRM-101', 'name': "CRM 理念与客户价值",
                'topic': 'crm_concepts', 'hours': Decimal(4),
                'pass_score': Decimal(60)},
            {'code': 'SYS-101', 'name': "CRM 系统操作（销售岗）",
                'topic': 'system_operation', 'hours': Decimal(2),
                'pass_score': Decimal(60)}])
    template = loader.ensure(pool.get('crm.hr.kpi.template'), [{
                'name': TEMPLATE, 'company': company,
                'indicators': [('create', [{
                                'name': n, 'weight': Decimal(w),
                                'target': Decimal(t), 'direction': 'higher',
                                'source': s} for n, w, t, s in INDICATORS])],
                }], key='name')[TEMPLATE]
    position = loader.ensure(pool.get('crm.hr.position'), [{
                'code': 'SALES-REP', 'name': "销售顾问", 'company': company,
                'department': departments['SALES'], 'kpi_template': template,
                'skills': [('create', [
                            {'skill': skills["客户关系管理"], 'level': 3},
                            {'skill': skills["销售技巧"], 'level': 3}])],
                'courses': [('add', list(courses.values()))],
                }])['SALES-REP']
    load_talent(employees, ids, departments, position, skills)
    return load_campaign(company, departments['SALES'], today)


def load_talent(employees, ids, departments, position, skills):
    Employee = Pool().get('company.employee')
    records = Employee.browse([ids[e['code']] for e in employees])
    rng = random.Random('demo-hr')
    to_write = []
    for employee, record in zip(employees, records):
        if record.department:
            continue
        to_write.extend([[record], {
                    'department': departments[employee['store']],
                    'position': position,
                    'employment_type': 'full_time',
                    'start_date': dt.date(rng.randint(2015, 2024),
                        rng.randint(1, 12), 1),
                    'potential': rng.choice(['low', 'medium', 'high']),
                    'skills': [('create', [
                                {'skill': skills["客户关系管理"],
                                    'level': rng.randint(1, 5)},
                                {'skill': skills["销售技巧"],
                                    'level': rng.randint(1, 5)}])],
                    }])
    if to_write:
        Employee.write(*to_write)


def load_campaign(company, department, today):
    Campaign = Pool().get('crm.hr.campaign')
    if Campaign.search([('name', '=', CAMPAIGN)]):
        return 0
    start = quarter_start(today)
    campaign, = Campaign.create([{
                'name': CAMPAIGN, 'company': company, 'period': 'quarter',
                'start_date': start,
                'end_date': Campaign(period='quarter', start_date=start
                    ).on_change_with_end_date(),
                'departments': [('add', [department])],
                }])
    Campaign.generate([campaign])
    return len(campaign.assessments)
