# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql import Literal
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval


class BonusRule(ModelSQL, ModelView):
    __string__ = "HR Bonus Rule"
    __name__ = 'crm.hr.bonus.rule'
    campaign = fields.Many2One(
        'crm.hr.campaign', "Campaign", required=True, ondelete='CASCADE')
    grade = fields.Many2One('crm.hr.grade', "Grade", required=True)
    kind = fields.Selection([
            ('percentage', "Percentage of Base Salary"),
            ('fixed', "Fixed Amount"),
            ], "Kind", required=True)
    percentage = fields.Numeric(
        "Percentage", digits=(6, 2),
        domain=['OR', ('percentage', '=', None), ('percentage', '>=', 0)],
        states={
            'required': Eval('kind') == 'percentage',
            'invisible': Eval('kind') != 'percentage',
            })
    amount = fields.Numeric(
        "Amount", digits=(16, 2),
        domain=['OR', ('amount', '=', None), ('amount', '>=', 0)],
        states={
            'required': Eval('kind') == 'fixed',
            'invisible': Eval('kind') != 'fixed',
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('campaign')
        table = cls.__table__()
        cls._sql_constraints = [
            ('grade_unique', Unique(table, table.campaign, table.grade),
                'crm_hr.msg_bonus_rule_grade_unique'),
            ]

    @staticmethod
    def default_kind():
        return 'percentage'


class Bonus(ModelSQL, ModelView):
    __string__ = "HR Bonus"
    __name__ = 'crm.hr.bonus'
    campaign = fields.Many2One('crm.hr.campaign', "Campaign")
    company = fields.Many2One('company.company', "Company")
    assessment = fields.Many2One('crm.hr.assessment', "Assessment")
    employee = fields.Many2One('company.employee', "Employee")
    department = fields.Many2One('crm.hr.department', "Department")
    position = fields.Many2One('crm.hr.position', "Position")
    total = fields.Numeric("Weighted Total", digits=(6, 2))
    grade = fields.Char("Grade")
    base = fields.Numeric("Base Salary", digits=(16, 2))
    amount = fields.Numeric("Bonus", digits=(16, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('campaign', 'DESC'), ('department', 'ASC'),
            ('employee', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        "One row per approved assessment of a campaign with bonus rules."
        pool = Pool()
        assessment = pool.get('crm.hr.assessment').__table__()
        employee = pool.get('company.employee').__table__()
        rule = pool.get('crm.hr.bonus.rule').__table__()
        grade = pool.get('crm.hr.grade').__table__()
        base = Coalesce(employee.salary, Literal(0))
        amount = Case(
            (rule.kind == 'percentage',
                base * Coalesce(rule.percentage, 0) / 100),
            else_=Coalesce(rule.amount, 0))
        return assessment.join(employee,
            condition=assessment.employee == employee.id
            ).join(grade, condition=assessment.grade == grade.code
            ).join(rule, condition=(rule.campaign == assessment.campaign)
            & (rule.grade == grade.id)
            ).select(
            assessment.id, assessment.create_uid, assessment.create_date,
            assessment.write_uid, assessment.write_date,
            assessment.campaign, assessment.company,
            assessment.id.as_('assessment'), assessment.employee,
            assessment.department, assessment.position, assessment.total,
            assessment.grade, cls.base.sql_cast(base).as_('base'),
            cls.amount.sql_cast(amount).as_('amount'),
            where=assessment.state.in_(['approved', 'closed']))

    @classmethod
    def xlsx_columns(cls):
        return [('employee', 'text'), ('department', 'text'),
            ('position', 'text'), ('total', 'number'), ('grade', 'text'),
            ('base', 'money'), ('amount', 'money')]
