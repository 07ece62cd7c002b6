# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Service metrics per employee (the crm_core extension point)."
import datetime as dt

from sql.aggregate import Avg, Count, Sum

from trytond.i18n import gettext
from trytond.modules.crm_core.common import id_slices
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .metrics import reopened, sla_met


def _bounds(start, end):
    return (dt.datetime.combine(start, dt.time()),
        dt.datetime.combine(end, dt.time()))


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    @classmethod
    def crm_metrics(cls):
        return super().crm_metrics() + [
            (code, gettext('crm_service.msg_metric_' + code))
            for code in ['service_tickets_handled',
                'service_first_response', 'service_handling_time',
                'service_sla_compliance', 'service_csat',
                'service_reopen_rate']]

    @classmethod
    def _service_aggregate(cls, employees, start, end, column):
        """{employee id: aggregate} over the tickets resolved in
        [start, end) by the employees' agents, in one query per slice."""
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Agent = pool.get('crm.service.agent')
        ticket = Ticket.__table__()
        agent = Agent.__table__()
        start, end = _bounds(start, end)
        cursor = Transaction().connection.cursor()
        result = {e.id: None for e in employees}
        for sub_ids in id_slices([e.id for e in employees]):
            cursor.execute(*ticket.join(
                    agent, condition=ticket.agent == agent.id).select(
                    agent.employee, column(ticket),
                    where=agent.employee.in_(sub_ids)
                    & (ticket.resolved_time >= start)
                    & (ticket.resolved_time < end),
                    group_by=[agent.employee]))
            result.update(cursor)
        return result

    @classmethod
    def compute_crm_metric_service_tickets_handled(
            cls, employees, start, end):
        result = cls._service_aggregate(
            employees, start, end, lambda t: Count(t.id))
        return {k: v or 0 for k, v in result.items()}

    @classmethod
    def compute_crm_metric_service_first_response(
            cls, employees, start, end):
        return cls._minutes(cls._service_aggregate(
                employees, start, end, lambda t: Avg(t.response_seconds)))

    @classmethod
    def compute_crm_metric_service_handling_time(
            cls, employees, start, end):
        return cls._minutes(cls._service_aggregate(
                employees, start, end, lambda t: Avg(t.handling_seconds)))

    @staticmethod
    def _minutes(result):
        return {k: round(float(v) / 60, 2) if v is not None else None
            for k, v in result.items()}

    @classmethod
    def compute_crm_metric_service_sla_compliance(
            cls, employees, start, end):
        def compliance(t):
            return Sum(sla_met(t)) * 100.0 / Count(t.id)
        return cls._percent(cls._service_aggregate(
                employees, start, end, compliance))

    @classmethod
    def compute_crm_metric_service_reopen_rate(
            cls, employees, start, end):
        def rate(t):
            return Sum(reopened(t)) * 100.0 / Count(t.id)
        return cls._percent(cls._service_aggregate(
                employees, start, end, rate))

    @staticmethod
    def _percent(result):
        return {k: round(float(v), 2) if v is not None else None
            for k, v in result.items()}

    @classmethod
    def compute_crm_metric_service_csat(cls, employees, start, end):
        pool = Pool()
        Survey = pool.get('crm.ticket.survey')
        Agent = pool.get('crm.service.agent')
        survey = Survey.__table__()
        agent = Agent.__table__()
        start, end = _bounds(start, end)
        cursor = Transaction().connection.cursor()
        result = {e.id: None for e in employees}
        for sub_ids in id_slices([e.id for e in employees]):
            cursor.execute(*survey.join(
                    agent, condition=survey.agent == agent.id).select(
                    agent.employee, Avg(survey.score),
                    where=agent.employee.in_(sub_ids)
                    & (survey.date >= start) & (survey.date < end),
                    group_by=[agent.employee]))
            result.update(cursor)
        return cls._percent(result)

    @classmethod
    def drill_down_crm_metric(cls, code, employee, start, end):
        "The records behind a metric value (for KPI drill-down)."
        if code.startswith('service_'):
            start, end = _bounds(start, end)
            if code == 'service_csat':
                return ('crm.ticket.survey', [
                        ('agent.employee', '=', employee.id),
                        ('date', '>=', start), ('date', '<', end)])
            return ('crm.ticket', [
                    ('agent.employee', '=', employee.id),
                    ('resolved_time', '>=', start),
                    ('resolved_time', '<', end)])
        return super().drill_down_crm_metric(code, employee, start, end)
