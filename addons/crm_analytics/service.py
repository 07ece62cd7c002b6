# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"With crm_service: satisfaction surveys feed the relationship index."
import datetime as dt

from sql.aggregate import Avg, Count, Sum
from sql.conditionals import Case

from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction


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
