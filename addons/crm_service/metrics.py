# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Service metrics over a period, per agent and per queue, in SQL.

The same figures as the KPI extension point of employee.py: tickets
resolved in the period, their average first response and handling time,
SLA compliance and reopen rate, and the average score of the surveys
recorded in the period.
"""
import datetime as dt

from sql import Literal, Null
from sql.aggregate import Avg, Count, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction


def sla_met(ticket):
    "1 for a ticket resolved by its resolution deadline (or without one)"
    return Case((
            (ticket.resolution_deadline == Null)
            | (ticket.resolved_time <= ticket.resolution_deadline), 1),
        else_=0)


def reopened(ticket):
    return Case((ticket.reopen_count > 0, 1), else_=0)


def period_bounds(context):
    """[start, end) datetimes of the context's from_date and to_date (both
    included); the current month by default."""
    today = dt.date.today()
    start = context.get('from_date') or today.replace(day=1)
    end = context.get('to_date') or today
    return (dt.datetime.combine(start, dt.time()),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))


class MetricsContext(ModelView):
    __name__ = 'crm.service.metrics.context'
    __string__ = "Service Metrics Context"
    from_date = fields.Date("From Date",
        domain=[If(Eval('to_date') & Eval('from_date'),
                ('from_date', '<=', Eval('to_date')), ())])
    to_date = fields.Date("To Date",
        domain=[If(Eval('from_date') & Eval('to_date'),
                ('to_date', '>=', Eval('from_date')), ())])
    centre = fields.Many2One('crm.service.centre', "Centre")

    @classmethod
    def default_from_date(cls):
        return dt.date.today().replace(day=1)

    @classmethod
    def default_to_date(cls):
        return dt.date.today()


class _Metrics(ModelSQL, ModelView):
    "Figures of the tickets resolved and surveys recorded in the period"
    handled = fields.Integer("Tickets Handled")
    first_response = fields.Float(
        "Average First Response (min)", digits=(16, 1))
    handling_time = fields.Float(
        "Average Handling Time (min)", digits=(16, 1))
    sla_compliance = fields.Float("SLA Compliance (%)", digits=(16, 1))
    reopen_rate = fields.Float("Reopen Rate (%)", digits=(16, 1))
    surveys = fields.Integer("Surveys")
    csat = fields.Float("Average Satisfaction (1-5)", digits=(16, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('handled', 'DESC'))

    @classmethod
    def _rows(cls):
        "The table of the records of the rows, and the condition on it"
        raise NotImplementedError

    @classmethod
    def _row_columns(cls, rows):
        raise NotImplementedError

    @classmethod
    def _ticket_key(cls, ticket):
        "The column of a ticket that gives its row"
        raise NotImplementedError

    @classmethod
    def _survey_key(cls, survey, ticket):
        raise NotImplementedError

    @classmethod
    def table_query(cls):
        pool = Pool()
        Ticket = pool.get('crm.ticket')
        Survey = pool.get('crm.ticket.survey')
        ticket = Ticket.__table__()
        survey = Survey.__table__()
        start, end = period_bounds(Transaction().context)
        rows, where = cls._rows()

        by_tickets = ticket.select(
            cls._ticket_key(ticket).as_('key'),
            Count(ticket.id).as_('handled'),
            (Avg(ticket.response_seconds) / 60.0).as_('first_response'),
            (Avg(ticket.handling_seconds) / 60.0).as_('handling_time'),
            (Sum(sla_met(ticket)) * 100.0 / Count(ticket.id)).as_(
                'sla_compliance'),
            (Sum(reopened(ticket)) * 100.0 / Count(ticket.id)).as_(
                'reopen_rate'),
            where=(ticket.resolved_time >= start)
            & (ticket.resolved_time < end),
            group_by=[cls._ticket_key(ticket)])
        surveyed = survey.join(ticket,
            condition=survey.ticket == ticket.id)
        by_surveys = surveyed.select(
            cls._survey_key(survey, ticket).as_('key'),
            Count(survey.id).as_('surveys'),
            Avg(survey.score * 1.0).as_('csat'),
            where=(survey.date >= start) & (survey.date < end),
            group_by=[cls._survey_key(survey, ticket)])
        return rows.join(by_tickets, 'LEFT',
            condition=by_tickets.key == rows.id).join(by_surveys, 'LEFT',
            condition=by_surveys.key == rows.id).select(
                rows.id.as_('id'),
                *cls._row_columns(rows),
                Coalesce(by_tickets.handled, 0).as_('handled'),
                by_tickets.first_response.as_('first_response'),
                by_tickets.handling_time.as_('handling_time'),
                by_tickets.sla_compliance.as_('sla_compliance'),
                by_tickets.reopen_rate.as_('reopen_rate'),
                Coalesce(by_surveys.surveys, 0).as_('surveys'),
                by_surveys.csat.as_('csat'),
                where=where)


class AgentMetrics(_Metrics):
    __name__ = 'crm.service.metrics.agent'
    __string__ = "Agent Metrics"
    agent = fields.Many2One('crm.service.agent', "Agent")
    employee = fields.Many2One('company.employee', "Employee")
    centre = fields.Many2One('crm.service.centre', "Centre")

    @classmethod
    def _ticket_key(cls, ticket):
        return ticket.agent

    @classmethod
    def _survey_key(cls, survey, ticket):
        return survey.agent

    @classmethod
    def _rows(cls):
        agent = Pool().get('crm.service.agent').__table__()
        centre = Transaction().context.get('centre')
        where = Literal(True)
        if centre:
            where &= agent.centre == centre
        return agent, where

    @classmethod
    def _row_columns(cls, agent):
        return [agent.id.as_('agent'), agent.employee.as_('employee'),
            agent.centre.as_('centre')]


class QueueMetrics(_Metrics):
    __name__ = 'crm.service.metrics.queue'
    __string__ = "Queue Metrics"
    queue = fields.Many2One('crm.service.queue', "Queue")
    centre = fields.Many2One('crm.service.centre', "Centre")

    @classmethod
    def _ticket_key(cls, ticket):
        return ticket.queue

    @classmethod
    def _survey_key(cls, survey, ticket):
        # the queue of a survey is its ticket's
        return ticket.queue

    @classmethod
    def _rows(cls):
        queue = Pool().get('crm.service.queue').__table__()
        centre = Transaction().context.get('centre')
        where = Literal(True)
        if centre:
            where &= queue.centre == centre
        return queue, where

    @classmethod
    def _row_columns(cls, queue):
        return [queue.id.as_('queue'), queue.centre.as_('centre')]
