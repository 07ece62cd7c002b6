# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.modules.crm_core.common import CHANNELS
from trytond.transaction import Transaction

from .engine import sla
from .exceptions import CalendarError, SLAPolicyError

WEEKDAYS = [
    ('0', "Monday"), ('1', "Tuesday"), ('2', "Wednesday"),
    ('3', "Thursday"), ('4', "Friday"), ('5', "Saturday"), ('6', "Sunday"),
    ]
PRIORITIES = [
    ('low', "Low"),
    ('normal', "Normal"),
    ('high', "High"),
    ('urgent', "Urgent"),
    ]


class Centre(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'crm.service.centre'
    __string__ = "Service Centre"
    name = fields.Char("Name", required=True, translate=True)
    company = fields.Many2One('company.company', "Company", required=True)
    hours = fields.One2Many(
        'crm.service.centre.hours', 'centre', "Working Hours")
    holidays = fields.One2Many(
        'crm.service.centre.holiday', 'centre', "Holidays and Make-up Days")
    entry_points = fields.One2Many(
        'crm.service.centre.entry_point', 'centre', "Entry Points",
        help="The service number, web form, fax, e-mail... per channel.")
    queues = fields.One2Many('crm.service.queue', 'centre', "Queues")
    agents = fields.One2Many('crm.service.agent', 'centre', "Agents")
    supervisors = fields.Many2Many(
        'crm.service.centre-company.employee', 'centre', 'employee',
        "Supervisors")
    reopen_days = fields.Integer(
        "Reopen Days", required=True,
        help="Days after resolution during which the customer may reopen.")

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_reopen_days():
        return 7

    def get_calendar(self):
        "The centre's working calendar as plain data for the SLA engine."
        return sla.Calendar(
            weekly=self._weekly(),
            holidays={d.date for d in self.holidays if not d.working},
            extra_working_days={
                d.date for d in self.holidays if d.working})

    def _weekly(self):
        weekly = {}
        for line in self.hours:
            weekly.setdefault(int(line.weekday), []).append(
                (line.start_time, line.end_time))
        return weekly


class CentreSupervisor(ModelSQL):
    __name__ = 'crm.service.centre-company.employee'
    __string__ = "Service Centre - Supervisor"
    centre = fields.Many2One(
        'crm.service.centre', "Centre", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')


class CentreHours(ModelSQL, ModelView):
    __name__ = 'crm.service.centre.hours'
    __string__ = "Service Centre Working Hours"
    centre = fields.Many2One(
        'crm.service.centre', "Centre", required=True, ondelete='CASCADE')
    weekday = fields.Selection(WEEKDAYS, "Weekday", required=True, sort=False)
    start_time = fields.Time("From", required=True)
    end_time = fields.Time("To", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('centre')
        cls._order = [
            ('weekday', 'ASC'), ('start_time', 'ASC'), ('id', 'ASC')]

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        for line in lines:
            if line.start_time >= line.end_time:
                raise CalendarError(gettext(
                        'crm_service.msg_hours_order',
                        centre=line.centre.rec_name,
                        start=line.start_time, end=line.end_time))


class CentreHoliday(ModelSQL, ModelView):
    __name__ = 'crm.service.centre.holiday'
    __string__ = "Service Centre Holiday"
    centre = fields.Many2One(
        'crm.service.centre', "Centre", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    name = fields.Char("Name")
    working = fields.Boolean(
        "Make-up Working Day",
        help="A weekend day worked in exchange for a holiday: counted "
        "with the hours of a Monday.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('centre')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('date_unique', Unique(t, t.centre, t.date),
                'crm_service.msg_holiday_unique'),
            ]

    @staticmethod
    def default_working():
        return False


class CentreEntryPoint(ModelSQL, ModelView):
    __name__ = 'crm.service.centre.entry_point'
    __string__ = "Service Centre Entry Point"
    centre = fields.Many2One(
        'crm.service.centre', "Centre", required=True, ondelete='CASCADE')
    channel = fields.Selection(CHANNELS, "Channel", required=True)
    address = fields.Char(
        "Address", required=True,
        help="Service number, web address, fax number or e-mail address.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('centre')


class Skill(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'crm.service.skill'
    __string__ = "Service Skill"
    name = fields.Char("Name", required=True, translate=True)


class Queue(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'crm.service.queue'
    __string__ = "Service Queue"
    name = fields.Char("Name", required=True, translate=True,
        help="The question group, e.g. rental, purchase, complaints.")
    centre = fields.Many2One(
        'crm.service.centre', "Centre", required=True, ondelete='CASCADE')
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company', searcher='search_company')
    skills = fields.One2Many(
        'crm.service.queue.skill', 'queue', "Required Skills")
    sla_policy = fields.Many2One(
        'crm.service.sla.policy', "SLA Policy", ondelete='RESTRICT')
    agents = fields.Many2Many(
        'crm.service.agent-crm.service.queue', 'queue', 'agent', "Agents")

    @fields.depends('centre', '_parent_centre.company')
    def on_change_with_company(self, name=None):
        return self.centre.company if self.centre else None

    @classmethod
    def search_company(cls, name, clause):
        return [('centre.company',) + tuple(clause[1:])]

    def required_skills(self):
        return {s.skill.id: s.level for s in self.skills}


class QueueSkill(ModelSQL, ModelView):
    __name__ = 'crm.service.queue.skill'
    __string__ = "Service Queue Skill"
    queue = fields.Many2One(
        'crm.service.queue', "Queue", required=True, ondelete='CASCADE')
    skill = fields.Many2One(
        'crm.service.skill', "Skill", required=True, ondelete='CASCADE')
    level = fields.Integer("Minimum Level", required=True,
        domain=[('level', '>=', 1), ('level', '<=', 5)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('queue')

    @staticmethod
    def default_level():
        return 1


class SLAPolicy(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'crm.service.sla.policy'
    __string__ = "SLA Policy"
    name = fields.Char("Name", required=True, translate=True)
    lines = fields.One2Many(
        'crm.service.sla.policy.line', 'policy', "Targets")
    warn_ratio = fields.Float(
        "Warn At", required=True, digits=(3, 2),
        domain=[('warn_ratio', '>', 0), ('warn_ratio', '<', 1)],
        help="Share of the target after which a ticket is about to breach "
        "(0.8 = at 80 % of the time).")
    escalate_reassign = fields.Boolean(
        "Reassign on Breach",
        help="Give a breached ticket to another eligible agent.")

    @staticmethod
    def default_warn_ratio():
        return 0.8

    def targets(self, priority):
        "(first response, resolution) timedeltas of the priority."
        for line in self.lines:
            if line.priority == priority:
                return (
                    dt.timedelta(hours=line.response_hours),
                    dt.timedelta(hours=line.resolution_hours))
        return None, None


class SLAPolicyLine(ModelSQL, ModelView):
    __name__ = 'crm.service.sla.policy.line'
    __string__ = "SLA Policy Target"
    policy = fields.Many2One(
        'crm.service.sla.policy', "Policy", required=True,
        ondelete='CASCADE')
    priority = fields.Selection(PRIORITIES, "Priority", required=True)
    response_hours = fields.Float(
        "First Response (working hours)", required=True, digits=(6, 2))
    resolution_hours = fields.Float(
        "Resolution (working hours)", required=True, digits=(6, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('policy')
        cls._sql_constraints += [
            ('priority_unique', Unique(t, t.policy, t.priority),
                'crm_service.msg_sla_priority_unique'),
            ]

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        for line in lines:
            if line.response_hours < 0 or line.resolution_hours < 0:
                raise SLAPolicyError(gettext(
                        'crm_service.msg_sla_negative',
                        policy=line.policy.rec_name))
