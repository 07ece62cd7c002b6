# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Reporting models: headcount and turnover, training, grades, KPI averages."
import datetime as dt

from sql import Literal, Null
from sql.aggregate import Avg, Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce, NullIf
from sql.functions import CurrentDate

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .training import passed_courses


def _one(condition):
    return Sum(Case((condition, Literal(1)), else_=Literal(0)))


class Context(ModelView):
    __string__ = "HR Statistics Context"
    __name__ = 'crm.hr.statistics.context'
    company = fields.Many2One('company.company', "Company", required=True)
    from_date = fields.Date("From Date", required=True)
    to_date = fields.Date("To Date", required=True)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_from_date():
        today = Pool().get('ir.date').today()
        return today.replace(month=1, day=1)

    @staticmethod
    def default_to_date():
        return Pool().get('ir.date').today()


class _Report(ModelSQL, ModelView):

    @classmethod
    def _context_dates(cls):
        context = Transaction().context
        today = dt.date.today()
        return (context.get('from_date') or today.replace(month=1, day=1),
            context.get('to_date') or today)

    @classmethod
    def _company_where(cls, table):
        company = Transaction().context.get('company')
        if company is None:
            return Literal(True)
        return table.company == company


class Headcount(_Report):
    __string__ = "HR Headcount and Turnover"
    __name__ = 'crm.hr.statistics.headcount'
    company = fields.Many2One('company.company', "Company")
    department = fields.Many2One('crm.hr.department', "Department")
    start_headcount = fields.Integer("Headcount at Start")
    end_headcount = fields.Integer("Headcount at End")
    hires = fields.Integer("Hires")
    leavers = fields.Integer("Leavers")
    turnover = fields.Float(
        "Turnover (%)", digits=(6, 2),
        help="Leavers over the average of the headcounts at start and end.")

    @classmethod
    def table_query(cls):
        employee = Pool().get('company.employee').__table__()
        start, end = cls._context_dates()

        def present(day):
            return (Coalesce(employee.start_date, day) <= day) & (
                Coalesce(employee.end_date, day) >= day)
        leavers = _one((employee.end_date >= start)
            & (employee.end_date <= end))
        average = (_one(present(start)) + _one(present(end))) / 2.0
        return employee.select(
            Coalesce(employee.department, 0).as_('id'),
            Literal(0).as_('create_uid'), Max(employee.create_date).as_(
                'create_date'),
            Literal(0).as_('write_uid'), Max(employee.write_date).as_(
                'write_date'),
            Min(employee.company).as_('company'), employee.department,
            _one(present(start)).as_('start_headcount'),
            _one(present(end)).as_('end_headcount'),
            _one((employee.start_date >= start)
                & (employee.start_date <= end)).as_('hires'),
            leavers.as_('leavers'),
            (leavers * 100.0 / NullIf(average, 0)).as_('turnover'),
            where=cls._company_where(employee),
            group_by=[employee.department])

    @classmethod
    def xlsx_columns(cls):
        return [('department', 'text'), ('start_headcount', 'integer'),
            ('end_headcount', 'integer'), ('hires', 'integer'),
            ('leavers', 'integer'), ('turnover', 'percent')]


class TrainingCompletion(_Report):
    __string__ = "HR Training Completion"
    __name__ = 'crm.hr.statistics.training'
    company = fields.Many2One('company.company', "Company")
    department = fields.Many2One('crm.hr.department', "Department")
    required = fields.Integer(
        "Required", help="Required courses of the employees' positions.")
    completed = fields.Integer("Completed")
    completion = fields.Float("Completion (%)", digits=(6, 2))

    @classmethod
    def table_query(cls):
        pool = Pool()
        employee = pool.get('company.employee').__table__()
        required = pool.get('crm.hr.position-crm.hr.course').__table__()
        passed = passed_courses()
        done = _one(passed.employee != Null)
        return employee.join(required,
            condition=required.position == employee.position
            ).join(passed, 'LEFT',
            condition=(passed.employee == employee.id)
            & (passed.course == required.course)
            ).select(
            Coalesce(employee.department, 0).as_('id'),
            Literal(0).as_('create_uid'), Literal(None).as_('create_date'),
            Literal(0).as_('write_uid'), Literal(None).as_('write_date'),
            Min(employee.company).as_('company'), employee.department,
            Count(required.course).as_('required'), done.as_('completed'),
            (done * 100.0 / Count(required.course)).as_('completion'),
            where=cls._company_where(employee)
            & (Coalesce(employee.end_date, CurrentDate()) >= CurrentDate()),
            group_by=[employee.department])

    @classmethod
    def xlsx_columns(cls):
        return [('department', 'text'), ('required', 'integer'),
            ('completed', 'integer'), ('completion', 'percent')]


class GradeDistribution(_Report):
    __string__ = "HR Grade Distribution"
    __name__ = 'crm.hr.statistics.grade'
    company = fields.Many2One('company.company', "Company")
    campaign = fields.Many2One('crm.hr.campaign', "Campaign")
    grade = fields.Char("Grade")
    employees = fields.Integer("Employees")
    share = fields.Float("Share (%)", digits=(6, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('campaign', 'DESC'), ('grade', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        assessment = pool.get('crm.hr.assessment').__table__()
        grade = pool.get('crm.hr.grade').__table__()
        totals = assessment.select(
            assessment.campaign, Count(assessment.id).as_('count'),
            where=assessment.grade != Null,
            group_by=[assessment.campaign])
        return assessment.join(grade,
            condition=assessment.grade == grade.code
            ).join(totals, condition=totals.campaign == assessment.campaign
            ).select(
            (assessment.campaign * 1000 + grade.id).as_('id'),
            Literal(0).as_('create_uid'), Literal(None).as_('create_date'),
            Literal(0).as_('write_uid'), Literal(None).as_('write_date'),
            Min(assessment.company).as_('company'), assessment.campaign,
            grade.code.as_('grade'), Count(assessment.id).as_('employees'),
            (Count(assessment.id) * 100.0 / Max(totals.count)).as_('share'),
            where=cls._company_where(assessment),
            group_by=[assessment.campaign, grade.id, grade.code])

    @classmethod
    def xlsx_columns(cls):
        return [('campaign', 'text'), ('grade', 'text'),
            ('employees', 'integer'), ('share', 'percent')]


class KpiAverage(_Report):
    __string__ = "HR Average KPI"
    __name__ = 'crm.hr.statistics.kpi'
    company = fields.Many2One('company.company', "Company")
    campaign = fields.Many2One('crm.hr.campaign', "Campaign")
    department = fields.Many2One('crm.hr.department', "Department")
    position = fields.Many2One('crm.hr.position', "Position")
    assessments = fields.Integer("Assessments")
    average = fields.Float("Average Total", digits=(6, 2))
    minimum = fields.Float("Lowest Total", digits=(6, 2))
    maximum = fields.Float("Highest Total", digits=(6, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('campaign', 'DESC'), ('department', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        assessment = pool.get('crm.hr.assessment').__table__()
        return assessment.select(
            Min(assessment.id).as_('id'),
            Literal(0).as_('create_uid'), Literal(None).as_('create_date'),
            Literal(0).as_('write_uid'), Literal(None).as_('write_date'),
            Min(assessment.company).as_('company'), assessment.campaign,
            assessment.department, assessment.position,
            Count(assessment.id).as_('assessments'),
            Avg(assessment.total).as_('average'),
            Min(assessment.total).as_('minimum'),
            Max(assessment.total).as_('maximum'),
            where=cls._company_where(assessment)
            & (assessment.total != Null),
            group_by=[assessment.campaign, assessment.department,
                assessment.position])

    @classmethod
    def xlsx_columns(cls):
        return [('campaign', 'text'), ('department', 'text'),
            ('position', 'text'), ('assessments', 'integer'),
            ('average', 'number'), ('minimum', 'number'),
            ('maximum', 'number')]
