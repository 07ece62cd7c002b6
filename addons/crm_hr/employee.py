# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The talent record on company.employee and the metric extension point.

Modules offering metrics about employees (crm_core, crm_service, and
crm_hr's own for sale_opportunity) add (code, label) pairs to
``Employee.crm_metrics()`` and a class method
``compute_crm_metric_<code>(employees, start, end)`` returning
{employee id: value}; this module defines the empty base so that it works
alone, with manual indicators only.
"""
import datetime as dt

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .engine import talent

LEVELS = [
    (None, ""),
    ('low', "Low"),
    ('medium', "Medium"),
    ('high', "High"),
    ]
EXPIRY_WARNING_DAYS = 30


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'
    department = fields.Many2One(
        'crm.hr.department', "Department",
        domain=[('company', '=', Eval('company', -1))])
    position = fields.Many2One(
        'crm.hr.position', "Position",
        domain=[('company', '=', Eval('company', -1))])
    employment_type = fields.Selection([
            (None, ""),
            ('full_time', "Full Time"),
            ('part_time', "Part Time"),
            ('contract', "Fixed-Term Contract"),
            ('intern', "Intern"),
            ('outsourced', "Outsourced"),
            ], "Employment Type")
    education = fields.One2Many(
        'crm.hr.employee.education', 'employee', "Education")
    work_history = fields.One2Many(
        'crm.hr.employee.work', 'employee', "Work History")
    skills = fields.One2Many('crm.hr.employee.skill', 'employee', "Skills")
    certificates = fields.One2Many(
        'crm.hr.employee.certificate', 'employee', "Certificates")
    languages = fields.One2Many(
        'crm.hr.employee.language', 'employee', "Languages")
    career_aspiration = fields.Text("Career Aspiration")
    mobility = fields.Selection([
            (None, ""),
            ('none', "Not Mobile"),
            ('city', "Within the City"),
            ('national', "National"),
            ('international', "International"),
            ], "Mobility")
    potential = fields.Selection(
        LEVELS, "Potential", help="Rated by HR in the talent review.")
    performance = fields.Selection(
        LEVELS, "Performance", readonly=True,
        help="From the weighted total of the last approved assessment.")
    performance_score = fields.Numeric(
        "Last KPI Total", digits=(5, 2), readonly=True)
    nine_box = fields.Function(fields.Selection(
            [(None, "")] + [(b, b) for b in talent.BOXES.values()],
            "9-Box"), 'get_nine_box')
    assessments = fields.One2Many(
        'crm.hr.assessment', 'employee', "Performance History",
        readonly=True, filter=[('state', 'in', ['approved', 'closed'])])
    id_number = fields.Char(
        "ID Number", help="Readable by HR Managers only.")
    salary = fields.Numeric(
        "Base Salary", digits=(16, 2),
        help="Monthly base salary, the base of percentage bonuses. "
        "Readable by HR Managers only.")
    home_address = fields.Text(
        "Home Address", help="Readable by HR Managers only.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.nine_box.selection = [(None, "")] + NINE_BOX

    def get_nine_box(self, name):
        return talent.nine_box(self.performance, self.potential)

    @classmethod
    def crm_metrics(cls):
        "List of (code, label) of the metrics the active modules offer."
        return getattr(super(), 'crm_metrics', lambda: [])()

    @classmethod
    def crm_metric_values(cls, code, employees, start, end):
        "{employee id: value} of metric code over [start, end)."
        return getattr(cls, 'compute_crm_metric_' + code)(
            employees, start, end)

    @classmethod
    def crm_metric_records(cls, code, employee, start, end):
        "(model, domain) of the records behind a value, or None."
        method = getattr(cls, 'drill_down_crm_metric', None)
        if method is None:
            return None
        try:
            return method(code, employee, start, end)
        except KeyError:
            return None


NINE_BOX = [
    ('star', "Star"),
    ('future_star', "Future Star"),
    ('high_performer', "High Performer"),
    ('rough_diamond', "Rough Diamond"),
    ('core_player', "Core Player"),
    ('trusted_professional', "Trusted Professional"),
    ('inconsistent', "Inconsistent Player"),
    ('effective', "Effective"),
    ('risk', "Risk"),
    ]


class _EmployeeLine(ModelSQL, ModelView):
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('employee')


class Education(_EmployeeLine):
    __string__ = "Employee Education"
    __name__ = 'crm.hr.employee.education'
    school = fields.Char("School", required=True)
    degree = fields.Selection([
            (None, ""),
            ('secondary', "Secondary School"),
            ('vocational', "Vocational College"),
            ('bachelor', "Bachelor"),
            ('master', "Master"),
            ('doctorate', "Doctorate"),
            ], "Degree")
    major = fields.Char("Major")
    start_date = fields.Date("Start Date")
    end_date = fields.Date("End Date")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('end_date', 'DESC NULLS FIRST'))


class WorkHistory(_EmployeeLine):
    __string__ = "Employee Work History"
    __name__ = 'crm.hr.employee.work'
    employer = fields.Char("Employer", required=True)
    job_title = fields.Char("Job Title")
    start_date = fields.Date("Start Date")
    end_date = fields.Date("End Date")
    description = fields.Text("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('end_date', 'DESC NULLS FIRST'))


class EmployeeSkill(_EmployeeLine):
    __string__ = "Employee Skill"
    __name__ = 'crm.hr.employee.skill'
    skill = fields.Many2One('crm.hr.skill', "Skill", required=True)
    level = fields.Integer(
        "Level", required=True,
        domain=[('level', '>=', 1), ('level', '<=', 5)],
        help="From 1 (beginner) to 5 (expert).")
    last_assessed = fields.Date("Last Assessed")


class Certificate(_EmployeeLine):
    __string__ = "Employee Certificate"
    __name__ = 'crm.hr.employee.certificate'
    name = fields.Char("Name", required=True)
    issuer = fields.Char("Issuer")
    number = fields.Char("Number")
    issue_date = fields.Date("Issue Date")
    expiry_date = fields.Date(
        "Expiry Date",
        domain=['OR', ('expiry_date', '=', None),
            ('expiry_date', '>=', Eval('issue_date', None)),
            ('issue_date', '=', None)])
    status = fields.Function(fields.Selection([
                ('valid', "Valid"),
                ('expiring', "Expiring Soon"),
                ('expired', "Expired"),
                ], "Status",
            help="Expiring soon: within 30 days."),
        'get_status', searcher='search_status')

    @classmethod
    def _thresholds(cls):
        today = Pool().get('ir.date').today()
        return today, today + dt.timedelta(days=EXPIRY_WARNING_DAYS)

    def get_status(self, name):
        today, soon = self._thresholds()
        if self.expiry_date and self.expiry_date < today:
            return 'expired'
        if self.expiry_date and self.expiry_date <= soon:
            return 'expiring'
        return 'valid'

    @classmethod
    def search_status(cls, name, clause):
        _, operator, value = clause[:3]
        today, soon = cls._thresholds()
        domains = {
            'expired': [('expiry_date', '<', today)],
            'expiring': [('expiry_date', '>=', today),
                ('expiry_date', '<=', soon)],
            'valid': ['OR', ('expiry_date', '=', None),
                ('expiry_date', '>', soon)],
            }
        values = [value] if isinstance(value, str) else (value or [])
        domain = ['OR'] + [domains[v] for v in values if v in domains]
        if operator in {'!=', 'not in'}:
            return ['NOT', domain] if len(domain) > 1 else []
        return domain if len(domain) > 1 else [('id', '=', -1)]

    @classmethod
    def warn_expiring(cls):
        "Notify the HR officers of the certificates about to expire today."
        pool = Pool()
        Notification = pool.get('res.notification')
        ModelData = pool.get('ir.model.data')
        Group = pool.get('res.group')
        today, soon = cls._thresholds()
        certificates = cls.search([('expiry_date', '=', soon)])
        if not certificates:
            return
        users = {u for xml_id in ['group_hr_officer', 'group_hr_manager']
            for u in Group(ModelData.get_id('crm_hr', xml_id)).users}
        Notification.create([{
                    'user': user.id,
                    'label': c.name,
                    'description': c.employee.rec_name,
                    'icon': 'tryton-warning',
                    'model': cls.__name__,
                    'records': str([c.id]),
                    } for c in certificates for user in users])


class Language(_EmployeeLine):
    __string__ = "Employee Language"
    __name__ = 'crm.hr.employee.language'
    language = fields.Char("Language", required=True)
    level = fields.Selection([
            ('basic', "Basic"),
            ('working', "Working"),
            ('fluent', "Fluent"),
            ('native', "Native"),
            ], "Level", required=True)
