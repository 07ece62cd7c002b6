# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql import Cast, Literal, Null
from sql.conditionals import Coalesce
from sql.functions import CurrentDate

from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

TOPICS = [
    ('crm_concepts', "CRM Concepts"),
    ('system_operation', "System Operation by Role"),
    ('service_skills', "Service Skills"),
    ('complaint_handling', "Complaint Handling"),
    ('sales_skills', "Sales Skills"),
    ('product_knowledge', "Product Knowledge"),
    ('management', "Management"),
    ('compliance', "Compliance"),
    ]


class Course(DeactivableMixin, ModelSQL, ModelView):
    __string__ = "HR Course"
    __name__ = 'crm.hr.course'
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code")
    topic = fields.Selection(TOPICS, "Topic", required=True)
    hours = fields.Numeric("Hours", digits=(6, 1))
    pass_score = fields.Numeric(
        "Pass Score", digits=(5, 2),
        domain=['OR', ('pass_score', '=', None),
            [('pass_score', '>=', 0), ('pass_score', '<=', 100)]],
        help="A score at or above it passes; empty: the trainer decides.")
    description = fields.Text("Description")
    positions = fields.Many2Many(
        'crm.hr.position-crm.hr.course', 'course', 'position',
        "Required for Positions")
    sessions = fields.One2Many('crm.hr.training.session', 'course', "Sessions")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))


class Session(Workflow, ModelSQL, ModelView):
    __string__ = "HR Training Session"
    __name__ = 'crm.hr.training.session'
    _states = {'readonly': Eval('state') == 'done'}
    course = fields.Many2One(
        'crm.hr.course', "Course", required=True, states=_states)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    date = fields.Date("Date", required=True, states=_states)
    trainer = fields.Many2One(
        'company.employee', "Trainer", states=_states,
        domain=[('company', '=', Eval('company', -1))])
    external_trainer = fields.Char("External Trainer", states=_states)
    location = fields.Char("Location", states=_states)
    attendances = fields.One2Many(
        'crm.hr.training.attendance', 'session', "Attendees")
    state = fields.Selection([
            ('planned', "Planned"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('date', 'DESC'))
        cls._transitions |= {
            ('planned', 'done'), ('planned', 'cancelled'),
            ('cancelled', 'planned'),
            }
        cls._buttons.update({
                'do': {'invisible': Eval('state') != 'planned',
                    'depends': ['state']},
                'cancel': {'invisible': Eval('state') != 'planned',
                    'depends': ['state']},
                'plan': {'invisible': Eval('state') != 'cancelled',
                    'depends': ['state']},
                })

    @staticmethod
    def default_state():
        return 'planned'

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return f'{self.course.rec_name} ({self.date})'

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, sessions):
        Attendance = Pool().get('crm.hr.training.attendance')
        Attendance.set_result([a for s in sessions for a in s.attendances])

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, sessions):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('planned')
    def plan(cls, sessions):
        pass


class Attendance(ModelSQL, ModelView):
    __string__ = "HR Training Attendance"
    __name__ = 'crm.hr.training.attendance'
    session = fields.Many2One(
        'crm.hr.training.session', "Session", required=True,
        ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    attended = fields.Boolean("Attended")
    score = fields.Numeric(
        "Score", digits=(5, 2),
        domain=['OR', ('score', '=', None),
            [('score', '>=', 0), ('score', '<=', 100)]])
    result = fields.Selection([
            (None, ""),
            ('pass', "Pass"),
            ('fail', "Fail"),
            ], "Result",
        states={'readonly': ~Eval('attended')})
    course = fields.Function(
        fields.Many2One('crm.hr.course', "Course"), 'get_session_field',
        searcher='search_session_field')
    date = fields.Function(
        fields.Date("Date"), 'get_session_field',
        searcher='search_session_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('session')
        table = cls.__table__()
        cls._sql_constraints = [
            ('employee_unique', Unique(table, table.session, table.employee),
                'crm_hr.msg_attendance_unique'),
            ]

    @staticmethod
    def default_attended():
        return True

    def get_session_field(self, name):
        value = getattr(self.session, name)
        return value.id if isinstance(value, ModelSQL) else value

    @classmethod
    def search_session_field(cls, name, clause):
        return [('session.' + clause[0],) + tuple(clause[1:])]

    @classmethod
    def set_result(cls, attendances):
        "Pass or fail by the course's pass score where no result is given."
        for attendance in attendances:
            pass_score = attendance.session.course.pass_score
            if not attendance.attended:
                attendance.result = 'fail'
            elif (not attendance.result and pass_score is not None
                    and attendance.score is not None):
                attendance.result = (
                    'pass' if attendance.score >= pass_score else 'fail')
        cls.save(attendances)


class Mentoring(ModelSQL, ModelView):
    __string__ = "HR Mentoring"
    __name__ = 'crm.hr.mentoring'
    mentor = fields.Many2One('company.employee', "Mentor", required=True)
    mentee = fields.Many2One(
        'company.employee', "Mentee", required=True,
        domain=[('id', '!=', Eval('mentor', -1))])
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    goals = fields.Text("Goals")
    review = fields.Text("Review")


class MissingTraining(ModelSQL, ModelView):
    __string__ = "HR Missing Training"
    __name__ = 'crm.hr.training.missing'
    employee = fields.Many2One('company.employee', "Employee")
    company = fields.Many2One('company.company', "Company")
    department = fields.Many2One('crm.hr.department', "Department")
    position = fields.Many2One('crm.hr.position', "Position")
    course = fields.Many2One('crm.hr.course', "Course")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('employee', 'ASC'), ('course', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        "Required courses of the employee's position not passed yet."
        employee, required, passed = cls._missing_tables()
        return employee.join(required,
            condition=required.position == employee.position
            ).join(passed, 'LEFT',
            condition=(passed.employee == employee.id)
            & (passed.course == required.course)
            ).select(
            (Cast(employee.id, 'BIGINT') * Literal(1000000)
                + required.course).as_('id'),
            Literal(0).as_('create_uid'), employee.create_date,
            Literal(0).as_('write_uid'), employee.write_date,
            employee.id.as_('employee'), employee.company,
            employee.department, employee.position, required.course,
            where=(passed.employee == Null) & active_employee(employee))

    @classmethod
    def _missing_tables(cls):
        pool = Pool()
        employee = pool.get('company.employee').__table__()
        required = pool.get('crm.hr.position-crm.hr.course').__table__()
        return employee, required, passed_courses()


def active_employee(employee):
    return (Coalesce(employee.end_date, CurrentDate()) >= CurrentDate())


def passed_courses():
    "(employee, course) of every passed attendance of a done session."
    pool = Pool()
    attendance = pool.get('crm.hr.training.attendance').__table__()
    session = pool.get('crm.hr.training.session').__table__()
    return attendance.join(session,
        condition=attendance.session == session.id).select(
        attendance.employee, session.course,
        where=(attendance.result == 'pass') & (session.state == 'done'),
        group_by=[attendance.employee, session.course])
