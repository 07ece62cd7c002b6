# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Customer contribution over a period (Pareto): each customer's revenue
and margin, rank, share and cumulative share of the measure chosen
(revenue, or margin over the lines whose cost is known), and the same by
store, region or segment; computed by the database (window functions)."""
import datetime as dt
from decimal import Decimal

from sql import Literal, Null, Window
from sql.aggregate import Count, Sum
from sql.conditionals import Coalesce, NullIf
from sql.functions import RowNumber

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import ReportContextMixin


class Context(ReportContextMixin, ModelView):
    __string__ = "Analytics Context"
    __name__ = 'crm.analytics.context'
    company = fields.Many2One('company.company', "Company", required=True)
    from_date = fields.Date("From Date", required=True)
    to_date = fields.Date("To Date", required=True)
    store = fields.Many2One(
        'crm.store', "Store", help="Only the purchases made in this store.")
    region = fields.Many2One(
        'crm.region', "Region", help="Only the customers of this region.")
    segment = fields.Many2One(
        'crm.segment', "Segment", help="Only the customers of this segment.")
    dimension = fields.Selection([
            ('store', "Store"),
            ('region', "Region"),
            ('segment', "Segment"),
            ], "Group By", required=True)
    measure = fields.Selection([
            ('revenue', "Revenue"),
            ('margin', "Margin"),
            ], "Contribution", required=True,
        help="What ranks and shares measure: the revenue, or the margin "
        "(amount less cost) of the purchase lines whose cost is known.")

    _filter_fields = ('company', 'from_date', 'to_date', 'store', 'region',
        'segment', 'dimension', 'measure')

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_from_date():
        today = Pool().get('ir.date').today()
        return today.replace(year=today.year - 1) + dt.timedelta(days=1)

    @staticmethod
    def default_to_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_dimension():
        return 'store'

    @staticmethod
    def default_measure():
        return 'revenue'


def _purchases(join=False):
    """The purchase lines of the context's company, period, store and
    customers' region and segment (only those with a cost when the
    measure is the margin); joined to their customer when join is
    set or a filter needs it (every line has its customer: the join
    drops none, it only costs a lookup per line)"""
    pool = Pool()
    purchase = pool.get('crm.purchase').__table__()
    party = pool.get('party.party').__table__()
    context = Transaction().context
    today = dt.date.today()
    where = ((purchase.company == context.get('company', -1))
        & (purchase.date >= (context.get('from_date') or today))
        & (purchase.date <= (context.get('to_date') or today)))
    for name, column in [('store', purchase.store),
            ('region', party.region), ('segment', party.segment)]:
        if context.get(name):
            where &= column == context[name]
            join |= name != 'store'
    if by_margin():
        where &= purchase.cost != Null
    if join:
        from_ = purchase.join(party, condition=purchase.party == party.id)
    else:
        from_ = purchase
    return purchase, party, from_, where


def by_margin():
    return Transaction().context.get('measure') == 'margin'


def _margin(purchase):
    "The margin of the lines whose cost is known (NULL when none is)"
    return Sum(purchase.amount - purchase.cost)


class _Report(ModelSQL, ModelView):

    @classmethod
    def xlsx_columns(cls):
        raise NotImplementedError


class Contribution(_Report):
    __string__ = "Customer Contribution"
    __name__ = 'crm.analytics.contribution'
    company = fields.Many2One('company.company', "Company")
    party = fields.Many2One(
        'party.party', "Customer",
        context={'company': Eval('company', -1)}, depends={'company'})
    rank = fields.Integer("Rank")
    revenue = fields.Numeric("Revenue", digits=(16, 2))
    margin = fields.Numeric(
        "Margin", digits=(16, 2),
        help="Amount less cost of the purchase lines whose cost is known.")
    purchase_days = fields.Integer("Purchase Days")
    share = fields.Float(
        "Share (%)", digits=(6, 2),
        help="Of the period's revenue (or margin).")
    cumulative_share = fields.Float(
        "Cumulative Share (%)", digits=(6, 2),
        help="Of the period's revenue (or margin), made by this customer "
        "and all ranked before: the Pareto curve.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('rank', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        purchase, party, from_, where = _purchases()
        revenue = Sum(Coalesce(purchase.amount, 0))
        agg = from_.select(
            purchase.party.as_('party'), purchase.company.as_('company'),
            revenue.as_('revenue'), _margin(purchase).as_('margin'),
            Count(purchase.date, distinct=True).as_('purchase_days'),
            where=where, group_by=[purchase.party, purchase.company])
        measure = agg.margin if by_margin() else agg.revenue
        order = [measure.desc, agg.party.asc]
        total = NullIf(Sum(measure, window=Window([])), 0)
        running = Sum(measure, window=Window(
                [], order_by=order, frame='ROWS', start=None, end=0))
        return agg.select(
            agg.party.as_('id'), agg.company, agg.party,
            RowNumber(window=Window([], order_by=order)).as_('rank'),
            agg.revenue, agg.margin, agg.purchase_days,
            cls.share.sql_cast(
                Literal(100.0) * measure / total).as_('share'),
            cls.cumulative_share.sql_cast(
                Literal(100.0) * running / total).as_('cumulative_share'))

    @classmethod
    def xlsx_columns(cls):
        return [('rank', 'integer'), ('party', 'text'),
            ('revenue', 'money'), ('margin', 'money'),
            ('purchase_days', 'integer'),
            ('share', 'percent'), ('cumulative_share', 'percent')]


class ContributionGroup(_Report):
    __string__ = "Contribution by Group"
    __name__ = 'crm.analytics.contribution.group'
    store = fields.Many2One('crm.store', "Store")
    region = fields.Many2One('crm.region', "Region")
    segment = fields.Many2One('crm.segment', "Segment")
    customers = fields.Integer("Customers")
    revenue = fields.Numeric("Revenue", digits=(16, 2))
    margin = fields.Numeric(
        "Margin", digits=(16, 2),
        help="Amount less cost of the purchase lines whose cost is known.")
    share = fields.Float(
        "Share (%)", digits=(6, 2),
        help="Of the period's revenue (or margin).")
    revenue_per_customer = fields.Function(fields.Numeric(
            "Revenue per Customer", digits=(16, 2)),
        'get_revenue_per_customer')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('revenue', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        dimension = Transaction().context.get('dimension') or 'store'
        purchase, party, from_, where = _purchases(
            join=dimension != 'store')
        key = {
            'store': purchase.store,
            'region': party.region,
            'segment': party.segment,
            }[dimension]
        revenue = Sum(Coalesce(purchase.amount, 0))
        margin = _margin(purchase)
        measure = margin if by_margin() else revenue
        customers = Count(purchase.party, distinct=True)
        total = NullIf(Sum(measure, window=Window([])), 0)
        # ids: even for a group, 1 for the customers without one
        columns = [Coalesce(key * Literal(2), Literal(1)).as_('id')]
        for name in ['store', 'region', 'segment']:
            columns.append(
                (key if name == dimension
                    else getattr(cls, name).sql_cast(Null)).as_(name))
        return from_.select(*columns,
            customers.as_('customers'), revenue.as_('revenue'),
            margin.as_('margin'),
            cls.share.sql_cast(Literal(100.0) * measure / total).as_('share'),
            where=where, group_by=[key])

    def get_revenue_per_customer(self, name):
        if self.customers:
            return (Decimal(self.revenue) / self.customers).quantize(
                Decimal('0.01'))

    @classmethod
    def xlsx_columns(cls):
        dimension = Transaction().context.get('dimension') or 'store'
        return [(dimension, 'text'), ('customers', 'integer'),
            ('revenue', 'money'), ('margin', 'money'), ('share', 'percent'),
            ('revenue_per_customer', 'money')]
