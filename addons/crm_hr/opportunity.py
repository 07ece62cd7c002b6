# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Sales metrics of employees from sale_opportunity, for KPI indicators."
from sql import Literal
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

from trytond import backend
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

CLOSED = ['won', 'lost']


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    @classmethod
    def crm_metrics(cls):
        return super().crm_metrics() + [
            (code, gettext('crm_hr.msg_metric_' + code))
            for code in ['opportunity_won', 'opportunity_won_amount',
                'opportunity_conversion']]

    @classmethod
    def _opportunity_aggregate(cls, employees, start, end, column):
        "{employee id: column} over the opportunities closed in [start, end)"
        opportunity = Pool().get('sale.opportunity').__table__()
        cursor = Transaction().connection.cursor()
        result = {e.id: None for e in employees}
        for sub_ids in grouped_slice(
                [e.id for e in employees], backend.MAX_QUERY_PARAMS):
            cursor.execute(*opportunity.select(
                    opportunity.employee, column(opportunity),
                    where=opportunity.employee.in_(list(sub_ids))
                    & opportunity.state.in_(CLOSED)
                    & (opportunity.end_date >= start)
                    & (opportunity.end_date < end),
                    group_by=[opportunity.employee]))
            result.update(cursor)
        return result

    @staticmethod
    def _won(table):
        return Case((table.state == 'won', Literal(1)), else_=Literal(0))

    @classmethod
    def compute_crm_metric_opportunity_won(cls, employees, start, end):
        result = cls._opportunity_aggregate(
            employees, start, end, lambda t: Sum(cls._won(t)))
        return {k: int(v or 0) for k, v in result.items()}

    @classmethod
    def compute_crm_metric_opportunity_won_amount(
            cls, employees, start, end):
        result = cls._opportunity_aggregate(
            employees, start, end, lambda t: Sum(Case(
                    (t.state == 'won', Coalesce(t.amount, 0)),
                    else_=Literal(0))))
        return {k: float(v or 0) for k, v in result.items()}

    @classmethod
    def compute_crm_metric_opportunity_conversion(
            cls, employees, start, end):
        result = cls._opportunity_aggregate(
            employees, start, end,
            lambda t: Sum(cls._won(t)) * 100.0 / Count(t.id))
        return {k: round(float(v), 2) if v is not None else None
            for k, v in result.items()}

    @classmethod
    def drill_down_crm_metric(cls, code, employee, start, end):
        if code.startswith('opportunity_'):
            states = ['won'] if code != 'opportunity_conversion' else CLOSED
            return ('sale.opportunity', [
                    ('employee', '=', employee.id),
                    ('state', 'in', states),
                    ('end_date', '>=', start), ('end_date', '<', end)])
        return getattr(super(), 'drill_down_crm_metric', _unknown)(
            code, employee, start, end)


def _unknown(code, employee, start, end):
    raise KeyError(code)
