# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""With sale_opportunity: the sales funnel (stages reached, conversion,
days in stage, from the opportunities' history), win rates by salesperson
and by acquisition source, and the weighted pipeline forecast by month.
The opportunities are those started in the context's period."""
import datetime as dt

from sql import Column, Literal, Null, Union, Window
from sql.aggregate import Avg, Count, Max, Sum
from sql.conditionals import Case, Coalesce, NullIf
from sql.functions import DateTrunc, Lead

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .common import as_date, day_number, to_day

STAGES = [
    ('lead', "Lead"),
    ('opportunity', "Opportunity"),
    ('converted', "Converted"),
    ('won', "Won"),
    ]


def _opportunities():
    "The opportunities of the context's company started in its period"
    opportunity = Pool().get('sale.opportunity').__table__()
    context = Transaction().context
    today = dt.date.today()
    where = ((opportunity.company == context.get('company', -1))
        & (opportunity.start_date >= (context.get('from_date') or today))
        & (opportunity.start_date <= (context.get('to_date') or today)))
    return opportunity, where


def _rank(state):
    return Case(*[(state == s, i) for i, (s, _) in enumerate(STAGES, 1)],
        else_=0)


class Funnel(ModelSQL, ModelView):
    __string__ = "Sales Funnel"
    __name__ = 'crm.analytics.funnel'
    stage = fields.Selection(STAGES, "Stage")
    reached = fields.Integer(
        "Reached", help="Opportunities that reached the stage or a later "
        "one.")
    conversion = fields.Float(
        "Conversion to Next (%)", digits=(6, 2),
        help="Of those that reached the stage, the share that reached the "
        "next one.")
    average_days = fields.Float(
        "Average Days in Stage", digits=(16, 1),
        help="Over the opportunities that were in the stage; an open "
        "stage counts until today.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Opportunity = pool.get('sale.opportunity')
        history = Opportunity.__table_history__()
        opportunity, where = _opportunities()
        mine = opportunity.select(opportunity.id, where=where)
        reached = history.select(history.id.as_('opportunity'),
            Max(_rank(history.state)).as_('rank'),
            where=history.id.in_(mine), group_by=[history.id])
        # each version of an opportunity lasts until the next one
        day = day_number(as_date(Coalesce(
                    history.write_date, history.create_date)))
        versions = history.select(history.id.as_('opportunity'),
            history.state, day.as_('day'),
            Lead(day, window=Window([history.id],
                    order_by=[Column(history, '__id').asc])).as_('next_day'),
            where=history.id.in_(mine))
        stays = versions.select(versions.opportunity, versions.state,
            Sum(Coalesce(versions.next_day, to_day(dt.date.today()))
                - versions.day).as_('days'),
            group_by=[versions.opportunity, versions.state])
        queries = []
        for index, (stage, _) in enumerate(STAGES, 1):
            this = Sum(Case((reached.rank >= index, 1), else_=0))
            following = Sum(Case((reached.rank >= index + 1, 1), else_=0))
            average = stays.select(Avg(stays.days),
                where=stays.state == stage)
            queries.append(reached.select(
                    Literal(index).as_('id'), Literal(stage).as_('stage'),
                    Coalesce(this, 0).as_('reached'),
                    cls.conversion.sql_cast(
                        Literal(100.0) * following / NullIf(this, 0)
                        if index < len(STAGES) else Null).as_('conversion'),
                    average.as_('average_days')))
        stages = Union(*queries, all_=True)
        return stages.select(stages.id, stages.stage, stages.reached,
            stages.conversion,
            cls.average_days.sql_cast(stages.average_days).as_(
                'average_days'))

    @classmethod
    def xlsx_columns(cls):
        return [('stage', 'text'), ('reached', 'integer'),
            ('conversion', 'percent'), ('average_days', 'number')]


class _WinRate(ModelSQL, ModelView):
    won = fields.Integer("Won")
    lost = fields.Integer("Lost")
    win_rate = fields.Float(
        "Win Rate (%)", digits=(6, 2), help="Won over won and lost.")
    won_amount = fields.Numeric("Won Amount", digits=(16, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('win_rate', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _key(cls, opportunity):
        raise NotImplementedError

    @classmethod
    def table_query(cls):
        opportunity, where = _opportunities()
        key, from_ = cls._key(opportunity)
        won = Sum(Case((opportunity.state == 'won', 1), else_=0))
        lost = Sum(Case((opportunity.state == 'lost', 1), else_=0))
        return from_.select(
            Coalesce(key * Literal(2), Literal(1)).as_('id'),
            key.as_(cls._key_name),
            won.as_('won'), lost.as_('lost'),
            cls.win_rate.sql_cast(
                Literal(100.0) * won / NullIf(won + lost, 0)).as_(
                'win_rate'),
            Sum(Case((opportunity.state == 'won', opportunity.amount),
                    else_=0)).as_('won_amount'),
            where=where & opportunity.state.in_(['won', 'lost']),
            group_by=[key])

    @classmethod
    def xlsx_columns(cls):
        return [(cls._key_name, 'text'), ('won', 'integer'),
            ('lost', 'integer'), ('win_rate', 'percent'),
            ('won_amount', 'money')]


class SalespersonWinRate(_WinRate):
    __string__ = "Win Rate by Salesperson"
    __name__ = 'crm.analytics.win_rate.employee'
    _key_name = 'employee'
    employee = fields.Many2One('company.employee', "Salesperson")

    @classmethod
    def _key(cls, opportunity):
        return opportunity.employee, opportunity


class SourceWinRate(_WinRate):
    __string__ = "Win Rate by Source"
    __name__ = 'crm.analytics.win_rate.source'
    _key_name = 'source'
    source = fields.Many2One('crm.source', "Source")

    @classmethod
    def _key(cls, opportunity):
        party = Pool().get('party.party').__table__()
        return party.source, opportunity.join(
            party, condition=opportunity.party == party.id)


class Forecast(ModelSQL, ModelView):
    __string__ = "Pipeline Forecast"
    __name__ = 'crm.analytics.forecast'
    month = fields.Date("Month", help="Month of the expected close date.")
    opportunities = fields.Integer("Open Opportunities")
    amount = fields.Numeric("Pipeline Amount", digits=(16, 2))
    weighted_amount = fields.Numeric(
        "Weighted Amount", digits=(16, 2),
        help="Amounts times their conversion probability.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        opportunity = Pool().get('sale.opportunity').__table__()
        company = Transaction().context.get('company', -1)
        # the month is computed below the GROUP BY: PostgreSQL does not
        # match two DATE_TRUNC calls with their unit as parameters
        amount = Coalesce(opportunity.amount, 0)
        open_ = opportunity.select(
            as_date(DateTrunc('month', Coalesce(
                        opportunity.end_date, opportunity.start_date))).as_(
                'month'),
            opportunity.id, amount.as_('amount'),
            (amount * Coalesce(opportunity.conversion_probability, 0)).as_(
                'weighted'),
            where=(opportunity.company == company)
            & opportunity.state.in_(['lead', 'opportunity']))
        return open_.select(
            day_number(open_.month).as_('id'), open_.month,
            Count(open_.id).as_('opportunities'),
            Sum(open_.amount).as_('amount'),
            cls.weighted_amount.sql_cast(Sum(open_.weighted)).as_(
                'weighted_amount'),
            group_by=[open_.month])

    @classmethod
    def xlsx_columns(cls):
        return [('month', 'date'), ('opportunities', 'integer'),
            ('amount', 'money'), ('weighted_amount', 'money')]
