# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""With crm_service: satisfaction surveys feed the relationship index and
the CRM effect snapshots; service analytics by month and complaint
reasons."""
import datetime as dt

from sql import Literal, Null, Window
from sql.aggregate import Avg, Count, Sum
from sql.conditionals import Case, Coalesce, NullIf
from sql.functions import DateTrunc, RowNumber

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .common import as_date


class Run(metaclass=PoolMeta):
    __name__ = 'crm.analytics.run'

    @classmethod
    def customer_satisfaction(cls, run, party_ids):
        pool = Pool()
        ticket = pool.get('crm.ticket').__table__()
        survey = pool.get('crm.ticket.survey').__table__()
        cursor = Transaction().connection.cursor()
        result = super().customer_satisfaction(run, party_ids)
        start = dt.datetime.combine(run.start_date, dt.time())
        end = dt.datetime.combine(
            run.end_date + dt.timedelta(days=1), dt.time())
        for sub_ids in grouped_slice(party_ids):
            cursor.execute(*survey.join(
                    ticket, condition=survey.ticket == ticket.id
                    ).select(ticket.party, Avg(survey.score),
                    where=reduce_ids(ticket.party, sub_ids)
                    & (ticket.company == run.company.id)
                    & (survey.date >= start) & (survey.date < end),
                    group_by=[ticket.party]))
            result.update((p, float(s)) for p, s in cursor)
        return result


class Snapshot(metaclass=PoolMeta):
    __name__ = 'crm.analytics.snapshot'

    def service_indicators(self):
        pool = Pool()
        ticket = pool.get('crm.ticket').__table__()
        survey = pool.get('crm.ticket.survey').__table__()
        cursor = Transaction().connection.cursor()
        values = super().service_indicators()
        start = dt.datetime.combine(self.window[0], dt.time())
        end = dt.datetime.combine(
            self.date + dt.timedelta(days=1), dt.time())
        mine = ticket.company == self.company.id
        cursor.execute(*survey.join(
                ticket, condition=survey.ticket == ticket.id).select(
                Avg(survey.score),
                where=mine & (survey.date >= start) & (survey.date < end)))
        csat, = cursor.fetchone()
        cursor.execute(*ticket.select(Avg(ticket.handling_seconds),
                where=mine & (ticket.resolved_time >= start)
                & (ticket.resolved_time < end)))
        handling, = cursor.fetchone()
        cursor.execute(*ticket.select(Count(ticket.id),
                Sum(Case((ticket.type == 'complaint', 1), else_=0)),
                where=mine & (ticket.create_date >= start)
                & (ticket.create_date < end)))
        tickets, complaints = cursor.fetchone()
        values.update({
                'csat': round(float(csat), 2) if csat is not None else None,
                'handling_hours': (round(float(handling) / 3600, 2)
                    if handling is not None else None),
                'complaint_rate': (round(100.0 * complaints / tickets, 2)
                    if tickets else None),
                })
        return values


def _tickets():
    "The tickets of the context's company received in its period"
    ticket = Pool().get('crm.ticket').__table__()
    context = Transaction().context
    today = dt.date.today()
    start = dt.datetime.combine(context.get('from_date') or today, dt.time())
    end = dt.datetime.combine(
        (context.get('to_date') or today) + dt.timedelta(days=1), dt.time())
    where = ((ticket.company == context.get('company', -1))
        & (ticket.create_date >= start) & (ticket.create_date < end))
    return ticket, where


class ServiceMonth(ModelSQL, ModelView):
    __string__ = "Service by Month"
    __name__ = 'crm.analytics.service.month'
    month = fields.Date("Month")
    queue = fields.Many2One('crm.service.queue', "Queue")
    tickets = fields.Integer("Tickets", help="Received in the month.")
    complaints = fields.Integer("Complaints")
    resolved = fields.Integer("Resolved")
    sla_compliance = fields.Float(
        "SLA Compliance (%)", digits=(6, 2),
        help="Resolved tickets resolved within their deadline.")
    surveys = fields.Integer("Surveys")
    csat = fields.Float("Average Satisfaction", digits=(6, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        from trytond.modules.crm_service.metrics import sla_met
        survey = Pool().get('crm.ticket.survey').__table__()
        ticket, where = _tickets()
        scores = survey.select(survey.ticket,
            Sum(survey.score).as_('total'), Count(survey.id).as_('count'),
            group_by=[survey.ticket])
        resolved = ticket.resolved_time != Null
        # the month is computed below the GROUP BY: PostgreSQL does not
        # match two DATE_TRUNC calls with their unit as parameters
        lines = ticket.join(scores, 'LEFT',
            condition=scores.ticket == ticket.id).select(
            as_date(DateTrunc('month', ticket.create_date)).as_('month'),
            ticket.queue, ticket.id,
            Case((ticket.type == 'complaint', 1), else_=0).as_('complaint'),
            Case((resolved, 1), else_=0).as_('resolved'),
            Case((resolved, sla_met(ticket)), else_=0).as_('met'),
            Coalesce(scores.count, 0).as_('surveys'),
            Coalesce(scores.total, 0).as_('score_total'),
            where=where)
        rows = lines.select(lines.month, lines.queue,
            Count(lines.id).as_('tickets'),
            Sum(lines.complaint).as_('complaints'),
            Sum(lines.resolved).as_('resolved'), Sum(lines.met).as_('met'),
            Sum(lines.surveys).as_('surveys'),
            Sum(lines.score_total).as_('score_total'),
            group_by=[lines.month, lines.queue])
        return rows.select(
            RowNumber(window=Window([], order_by=[
                        rows.month.asc, rows.queue.asc])).as_('id'),
            rows.month, rows.queue, rows.tickets, rows.complaints,
            rows.resolved,
            cls.sla_compliance.sql_cast(Literal(100.0) * rows.met
                / NullIf(rows.resolved, 0)).as_('sla_compliance'),
            rows.surveys,
            cls.csat.sql_cast(Literal(1.0) * rows.score_total
                / NullIf(rows.surveys, 0)).as_('csat'))

    @classmethod
    def xlsx_columns(cls):
        return [('month', 'date'), ('queue', 'text'),
            ('tickets', 'integer'), ('complaints', 'integer'),
            ('resolved', 'integer'), ('sla_compliance', 'percent'),
            ('surveys', 'integer'), ('csat', 'number')]


class ComplaintReason(ModelSQL, ModelView):
    __string__ = "Complaint Reasons"
    __name__ = 'crm.analytics.complaint.reason'
    reason = fields.Many2One(
        'crm.service.queue', "Question Group",
        help="The queue the complaint was filed under.")
    complaints = fields.Integer("Complaints")
    share = fields.Float("Share (%)", digits=(6, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('complaints', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        ticket, where = _tickets()
        count = Count(ticket.id)
        return ticket.select(
            Coalesce(ticket.queue * Literal(2), Literal(1)).as_('id'),
            ticket.queue.as_('reason'), count.as_('complaints'),
            cls.share.sql_cast(Literal(100.0) * count
                / NullIf(Sum(count, window=Window([])), 0)).as_('share'),
            where=where & (ticket.type == 'complaint'),
            group_by=[ticket.queue])

    @classmethod
    def xlsx_columns(cls):
        return [('reason', 'text'), ('complaints', 'integer'),
            ('share', 'percent')]
