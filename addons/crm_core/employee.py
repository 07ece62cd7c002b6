# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Metrics that CRM modules offer about employees.

One extension point (see DESIGN.md): every module adds its codes to
``Employee.crm_metrics()`` and a class method
``compute_crm_metric_<code>(employees, start, end)`` returning
{employee id: value}; crm_hr and crm_analytics read them without knowing
which modules are active.
"""
import datetime as dt

from sql import Literal
from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .common import id_slices


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    @classmethod
    def crm_metrics(cls):
        "List of (code, label) of the metrics the active modules offer."
        metrics = getattr(super(), 'crm_metrics', lambda: [])()
        return metrics + [
            (code, gettext('crm_core.msg_metric_' + code))
            for code in ['crm_interactions_logged',
                'crm_customers_acquired']]

    @classmethod
    def compute_crm_metric(cls, code, employees, start, end):
        return getattr(cls, 'compute_crm_metric_' + code)(
            employees, start, end)

    @classmethod
    def _count_by_employee(cls, table, column, date_column, employees,
            start, end, where=Literal(True)):
        cursor = Transaction().connection.cursor()
        result = {e.id: 0 for e in employees}
        for sub_ids in id_slices([e.id for e in employees]):
            cursor.execute(*table.select(
                    column, Count(table.id),
                    where=where & column.in_(sub_ids)
                    & (date_column >= start) & (date_column < end),
                    group_by=[column]))
            result.update(cursor)
        return result

    @classmethod
    def compute_crm_metric_crm_interactions_logged(
            cls, employees, start, end):
        "Interactions logged by each employee in [start, end)."
        interaction = Pool().get('crm.interaction').__table__()
        return cls._count_by_employee(
            interaction, interaction.employee, interaction.date, employees,
            dt.datetime.combine(start, dt.time()),
            dt.datetime.combine(end, dt.time()))

    @classmethod
    def compute_crm_metric_crm_customers_acquired(
            cls, employees, start, end):
        "Customers owned by each employee and created in [start, end)."
        party = Pool().get('party.party').__table__()
        return cls._count_by_employee(
            party, party.owner, party.create_date, employees,
            dt.datetime.combine(start, dt.time()),
            dt.datetime.combine(end, dt.time()))

    @classmethod
    def drill_down_crm_metric(cls, code, employee, start, end):
        """(model name, domain) of the records behind a metric value, so
        that a KPI figure can be opened as a list."""
        start = dt.datetime.combine(start, dt.time())
        end = dt.datetime.combine(end, dt.time())
        if code == 'crm_interactions_logged':
            return ('crm.interaction', [
                    ('employee', '=', employee.id),
                    ('date', '>=', start), ('date', '<', end)])
        if code == 'crm_customers_acquired':
            return ('party.party', [
                    ('owner', '=', employee.id),
                    ('create_date', '>=', start), ('create_date', '<', end)])
        raise KeyError(code)
