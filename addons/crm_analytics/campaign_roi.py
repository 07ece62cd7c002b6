# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Return on marketing campaigns, computed by the database.

Per started campaign: the revenue of its targeted customers from its
start to the end of its attribution window (with last-touch attribution
only the purchases whose customer's last campaign interaction before
them is this campaign's), the same revenue per customer of the control
group (the target segment's customers left untargeted), and

    ROI = (attributed revenue - cost) / cost
    incremental revenue = attributed - targeted x control per customer
    incremental ROI = (incremental revenue - cost) / cost
"""
from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce, NullIf

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .common import as_date
from .marketing import CHANNELS


def _revenue_subqueries(campaign):
    """Scalar subqueries of one campaign row: attributed revenue, buyers,
    targeted customers, control customers and control revenue"""
    pool = Pool()
    purchase = pool.get('crm.purchase').__table__()
    target = pool.get('crm.marketing.campaign-party.party').__table__()
    interaction = pool.get('crm.interaction').__table__()
    party = pool.get('party.party').__table__()

    def in_window(p):
        return ((p.company == campaign.company)
            & (p.date >= campaign.start_date)
            & (p.date <= campaign.attribution_end))

    last_campaign = interaction.select(interaction.marketing_campaign,
        where=(interaction.party == purchase.party)
        & (interaction.marketing_campaign != Null)
        & (as_date(interaction.date) <= purchase.date),
        order_by=[interaction.date.desc, interaction.id.desc], limit=1)
    revenue = _scalar(target, purchase, campaign, in_window, last_campaign,
        Sum(purchase.amount))
    buyers = _scalar(target, purchase, campaign, in_window, last_campaign,
        Count(purchase.party, distinct=True))
    targeted = target.select(Count(target.party),
        where=target.campaign == campaign.id)

    untargeted = ~party.id.in_(target.select(target.party,
            where=target.campaign == campaign.id))
    control_where = ((party.segment == campaign.target_segment)
        & untargeted)
    control = party.select(Count(party.id), where=control_where)
    control_purchase = pool.get('crm.purchase').__table__()
    control_revenue = control_purchase.join(party,
        condition=control_purchase.party == party.id).select(
        Sum(control_purchase.amount),
        where=control_where & in_window(control_purchase))
    return revenue, buyers, targeted, control, control_revenue


def _scalar(target, purchase, campaign, in_window, last_campaign, column):
    return target.join(purchase,
        condition=target.party == purchase.party).select(column,
        where=(target.campaign == campaign.id) & in_window(purchase)
        & ((campaign.attribution == 'window')
            | (campaign.id == last_campaign)))


class CampaignRoi(ModelSQL, ModelView):
    __string__ = "Campaign Return"
    __name__ = 'crm.marketing.campaign.roi'
    campaign = fields.Many2One('crm.marketing.campaign', "Campaign")
    company = fields.Many2One('company.company', "Company")
    channel = fields.Selection(CHANNELS, "Channel")
    start_date = fields.Date("Start Date")
    attribution_end = fields.Date("Window End")
    cost = fields.Numeric("Cost", digits=(16, 2))
    targeted = fields.Integer("Targeted")
    buyers = fields.Integer(
        "Buyers", help="Targeted customers with an attributed purchase.")
    revenue = fields.Numeric(
        "Attributed Revenue", digits=(16, 2))
    control_customers = fields.Integer(
        "Control Customers",
        help="Customers of the target segment left untargeted.")
    control_revenue = fields.Numeric(
        "Control Revenue per Customer", digits=(16, 2))
    incremental_revenue = fields.Numeric(
        "Incremental Revenue", digits=(16, 2),
        help="Attributed revenue less what the targeted customers would "
        "have spent at the control group's rate.")
    roi = fields.Float(
        "ROI (%)", digits=(16, 2),
        help="(Attributed revenue - cost) / cost.")
    incremental_roi = fields.Float(
        "Incremental ROI (%)", digits=(16, 2),
        help="(Incremental revenue - cost) / cost; empty without control "
        "group.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        campaign = pool.get('crm.marketing.campaign').__table__()
        cost_line = pool.get('crm.marketing.campaign.cost').__table__()
        revenue, buyers, targeted, control, control_revenue = (
            _revenue_subqueries(campaign))
        cost = cost_line.select(Sum(cost_line.amount),
            where=cost_line.campaign == campaign.id)
        base = campaign.select(
            campaign.id, campaign.company, campaign.channel,
            campaign.start_date, campaign.attribution_end,
            Coalesce(cost, 0).as_('cost'),
            Coalesce(targeted, 0).as_('targeted'),
            Coalesce(buyers, 0).as_('buyers'),
            Coalesce(revenue, 0).as_('revenue'),
            Coalesce(control, 0).as_('control_customers'),
            control_revenue.as_('control_total'),
            where=(campaign.state != 'draft') & cls._company_where(campaign))
        per_control = base.control_total / NullIf(base.control_customers, 0)
        incremental = base.revenue - base.targeted * per_control
        cost = NullIf(base.cost, 0)
        return base.select(
            base.id.as_('id'), base.id.as_('campaign'), base.company,
            base.channel, base.start_date, base.attribution_end, base.cost,
            base.targeted, base.buyers, base.revenue, base.control_customers,
            cls.control_revenue.sql_cast(per_control).as_('control_revenue'),
            cls.incremental_revenue.sql_cast(incremental).as_(
                'incremental_revenue'),
            cls.roi.sql_cast(Literal(100.0) * (base.revenue - base.cost)
                / cost).as_('roi'),
            cls.incremental_roi.sql_cast(Literal(100.0) * (
                    incremental - base.cost) / cost).as_('incremental_roi'))

    @classmethod
    def _company_where(cls, table):
        company = Transaction().context.get('company')
        return Literal(True) if company is None else (
            table.company == company)

    @classmethod
    def xlsx_columns(cls):
        return [('campaign', 'text'), ('channel', 'text'),
            ('start_date', 'date'), ('attribution_end', 'date'),
            ('cost', 'money'), ('targeted', 'integer'),
            ('buyers', 'integer'), ('revenue', 'money'),
            ('control_revenue', 'money'), ('incremental_revenue', 'money'),
            ('roi', 'percent'), ('incremental_roi', 'percent')]


class ChannelRoi(ModelSQL, ModelView):
    __string__ = "Campaign Return by Channel"
    __name__ = 'crm.marketing.campaign.roi.channel'
    channel = fields.Selection(CHANNELS, "Channel")
    campaigns = fields.Integer("Campaigns")
    cost = fields.Numeric("Cost", digits=(16, 2))
    revenue = fields.Numeric("Attributed Revenue", digits=(16, 2))
    roi = fields.Float("ROI (%)", digits=(16, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('roi', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        Roi = Pool().get('crm.marketing.campaign.roi')
        roi = Roi.table_query()
        channels = [c for c, _ in CHANNELS]
        cost, revenue = Sum(roi.cost), Sum(roi.revenue)
        return roi.select(
            Case(*[(roi.channel == c, i) for i, c in enumerate(channels, 1)],
                else_=0).as_('id'), roi.channel,
            Count(roi.id).as_('campaigns'), cost.as_('cost'),
            revenue.as_('revenue'),
            cls.roi.sql_cast(Literal(100.0) * (revenue - cost)
                / NullIf(cost, 0)).as_('roi'),
            group_by=[roi.channel])

    @classmethod
    def xlsx_columns(cls):
        return [('channel', 'text'), ('campaigns', 'integer'),
            ('cost', 'money'), ('revenue', 'money'), ('roi', 'percent')]
