# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"With crm_service: satisfaction surveys feed the relationship index."
import datetime as dt

from sql.aggregate import Avg

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
