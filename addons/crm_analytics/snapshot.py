# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Snapshots of the CRM's effect indicators at chosen dates, and the
before / after comparison of two of them."""
import datetime as dt
from decimal import Decimal

from sql import Literal, Union
from sql.aggregate import Count, Sum
from sql.conditionals import Case, NullIf

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import ReportContextMixin

# (field name, label) of every indicator, in report order
INDICATORS = [
    ('customers', "Customers"),
    ('active_customers', "Active Customers"),
    ('retention_rate', "Retention Rate (%)"),
    ('repeat_rate', "Repeat-Purchase Rate (%)"),
    ('revenue', "Revenue"),
    ('average_order_value', "Average Order Value"),
    ('csat', "Average Satisfaction (1-5)"),
    ('handling_hours', "Average Handling Time (h)"),
    ('complaint_rate', "Complaint Rate (%)"),
    ]


class Snapshot(ModelSQL, ModelView):
    __string__ = "CRM Effect Snapshot"
    __name__ = 'crm.analytics.snapshot'
    name = fields.Char("Name", required=True,
        help="E.g. \"Before CRM\" or \"One year after\".")
    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.Date("Date", required=True,
        help="The indicators are measured over the window ending on it.")
    window_days = fields.Integer(
        "Window (Days)", required=True,
        domain=[('window_days', '>', 0)],
        help="Active customers, repeat purchases, revenue and service "
        "figures are counted over these days; retention compares them "
        "with the window before.")
    customers = fields.Integer(
        "Customers", readonly=True,
        help="Customers with a purchase up to the date.")
    active_customers = fields.Integer(
        "Active Customers", readonly=True,
        help="Customers with a purchase in the window.")
    retention_rate = fields.Float(
        "Retention Rate (%)", digits=(6, 2), readonly=True,
        help="Active customers of the window before who bought again in "
        "the window.")
    repeat_rate = fields.Float(
        "Repeat-Purchase Rate (%)", digits=(6, 2), readonly=True,
        help="Active customers who bought on two days or more.")
    revenue = fields.Numeric("Revenue", digits=(16, 2), readonly=True)
    average_order_value = fields.Numeric(
        "Average Order Value", digits=(16, 2), readonly=True,
        help="Revenue per purchase day of a customer.")
    csat = fields.Float(
        "Average Satisfaction (1-5)", digits=(6, 2), readonly=True)
    handling_hours = fields.Float(
        "Average Handling Time (h)", digits=(16, 2), readonly=True)
    complaint_rate = fields.Float(
        "Complaint Rate (%)", digits=(6, 2), readonly=True,
        help="Complaints among the tickets received in the window.")
    measured = fields.DateTime("Measured", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'measure': {'icon': 'tryton-refresh'},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_window_days():
        return 365

    @classmethod
    @ModelView.button
    def measure(cls, snapshots):
        to_write = []
        for snapshot in snapshots:
            values = snapshot.sales_indicators()
            values.update(snapshot.service_indicators())
            values['measured'] = dt.datetime.now()
            to_write.extend([[snapshot], values])
        if to_write:
            cls.write(*to_write)

    @property
    def window(self):
        "first day of the window, first day of the window before"
        start = self.date - dt.timedelta(days=self.window_days - 1)
        return start, start - dt.timedelta(days=self.window_days)

    def sales_indicators(self):
        pool = Pool()
        purchase = pool.get('crm.purchase').__table__()
        cursor = Transaction().connection.cursor()
        start, before = self.window
        mine = (purchase.company == self.company.id) & (
            purchase.date <= self.date)
        cursor.execute(*purchase.select(
                Count(purchase.party, distinct=True), where=mine))
        customers, = cursor.fetchone()
        days = purchase.select(purchase.party, purchase.date,
            Sum(purchase.amount).as_('amount'),
            where=mine & (purchase.date >= start),
            group_by=[purchase.party, purchase.date])
        per_party = days.select(days.party, Count(days.date).as_('days'),
            Sum(days.amount).as_('amount'), group_by=[days.party])
        cursor.execute(*per_party.select(
                Count(per_party.party),
                Sum(Case((per_party.days >= 2, 1), else_=0)),
                Sum(per_party.amount), Sum(per_party.days)))
        active, repeat, revenue, orders = cursor.fetchone()
        previous = purchase.select(purchase.party,
            where=(purchase.company == self.company.id)
            & (purchase.date >= before) & (purchase.date < start),
            group_by=[purchase.party])
        current = purchase.select(purchase.party,
            where=mine & (purchase.date >= start))
        cursor.execute(*previous.select(
                Count(previous.party),
                Sum(Case((previous.party.in_(current), 1), else_=0))))
        previous_active, retained = cursor.fetchone()
        revenue = Decimal(str(revenue or 0))
        return {
            'customers': customers,
            'active_customers': active,
            'retention_rate': _percent(retained, previous_active),
            'repeat_rate': _percent(repeat, active),
            'revenue': revenue,
            'average_order_value': (
                (revenue / orders).quantize(Decimal('0.01'))
                if orders else None),
            }

    def service_indicators(self):
        "CSAT, handling time and complaint rate; filled by crm_service"
        return {}

    @classmethod
    def copy(cls, snapshots, default=None):
        default = dict(default or {})
        for name, _ in INDICATORS:
            default.setdefault(name, None)
        default.setdefault('measured', None)
        return super().copy(snapshots, default=default)


def _percent(part, whole):
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 2)


class ComparisonContext(ReportContextMixin, ModelView):
    __string__ = "CRM Effect Comparison Context"
    __name__ = 'crm.analytics.snapshot.comparison.context'
    _filter_fields = ('before', 'after')
    before = fields.Many2One(
        'crm.analytics.snapshot', "Before", required=True,
        domain=[('measured', '!=', None)])
    after = fields.Many2One(
        'crm.analytics.snapshot', "After", required=True,
        domain=[('measured', '!=', None),
            ('id', '!=', Eval('before', -1))])

    @classmethod
    def default_before(cls):
        snapshots = cls._measured()
        return snapshots[-1].id if len(snapshots) >= 2 else None

    @classmethod
    def default_after(cls):
        snapshots = cls._measured()
        return snapshots[0].id if snapshots else None

    @classmethod
    def _measured(cls):
        return Pool().get('crm.analytics.snapshot').search([
                ('measured', '!=', None)],
            order=[('date', 'DESC'), ('id', 'DESC')])


class Comparison(ModelSQL, ModelView):
    __string__ = "CRM Effect Comparison"
    __name__ = 'crm.analytics.snapshot.comparison'
    sequence = fields.Integer("Sequence")
    indicator = fields.Selection(INDICATORS, "Indicator")
    before = fields.Float("Before", digits=(16, 2))
    after = fields.Float("After", digits=(16, 2))
    change = fields.Float("Change", digits=(16, 2))
    change_percent = fields.Float(
        "Change (%)", digits=(16, 2), help="Of the value before.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Snapshot = pool.get('crm.analytics.snapshot')
        context = Transaction().context
        queries = []
        for sequence, (name, _) in enumerate(INDICATORS, 1):
            before = Snapshot.__table__()
            after = Snapshot.__table__()
            value_before = cls.before.sql_cast(getattr(before, name))
            value_after = cls.after.sql_cast(getattr(after, name))
            queries.append(before.join(after,
                    condition=after.id == context.get('after', -1)).select(
                    Literal(sequence).as_('id'),
                    Literal(sequence).as_('sequence'),
                    Literal(name).as_('indicator'),
                    value_before.as_('before'), value_after.as_('after'),
                    (value_after - value_before).as_('change'),
                    (Literal(100.0) * (value_after - value_before)
                        / NullIf(value_before, 0)).as_('change_percent'),
                    where=before.id == context.get('before', -1)))
        return Union(*queries, all_=True)

    @classmethod
    def xlsx_columns(cls):
        return [('indicator', 'text'), ('before', 'number'),
            ('after', 'number'), ('change', 'number'),
            ('change_percent', 'percent')]
