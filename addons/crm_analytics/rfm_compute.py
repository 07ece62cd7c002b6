# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""RFM scores, segments and the relationship index of a run.

Recency, frequency (distinct purchase days) and monetary value are
aggregated, scored by NTILE(5) and mapped to segments in one INSERT ...
SELECT; engine/rfm.py states the same tie rule and is its reference.
The relationship index is computed in bulk with engine/relationship.py.
"""
import numpy as np
from sql import Literal, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp, Ntile

from trytond.pool import Pool
from trytond.transaction import Transaction

from .common import (
    day_number, fetch_columns, purchase_where, to_day, update_rows)
from .engine import relationship
from .engine.rfm import SCORES

# value tier of crm_core by monetary score
TIERS = ((5, 'a'), (4, 'b'), (3, 'c'))


def compute(run):
    pool = Pool()
    Rule = pool.get('crm.analytics.rfm.rule')
    Rule.check_mapping()
    count = _insert_scores(run, Rule.search([]))
    _update_relationship(run)
    if run.write_back:
        _write_back(run)
    return {'customers': count, 'results': count}


def _insert_scores(run, rules):
    pool = Pool()
    purchase = pool.get('crm.purchase').__table__()
    result = pool.get('crm.analytics.rfm').__table__()
    transaction = Transaction()
    cursor = transaction.connection.cursor()

    agg = purchase.select(
        purchase.party.as_('party'),
        Min(purchase.date).as_('first_date'),
        Max(purchase.date).as_('last_date'),
        Count(purchase.date, distinct=True).as_('frequency'),
        Sum(purchase.amount).as_('monetary'),
        where=purchase_where(purchase, run),
        group_by=[purchase.party])
    scored = agg.select(
        agg.party, agg.first_date, agg.last_date, agg.frequency,
        agg.monetary,
        (Literal(SCORES + 1) - Ntile(SCORES, window=Window([],
                    order_by=[agg.last_date.desc, agg.party.asc]))
            ).as_('r'),
        Ntile(SCORES, window=Window([],
                order_by=[agg.frequency.asc, agg.party.asc])).as_('f'),
        Ntile(SCORES, window=Window([],
                order_by=[agg.monetary.asc, agg.party.asc])).as_('m'))
    fm = (scored.f + scored.m + Literal(1)) / Literal(2)
    segment = Case(*[
            ((scored.r >= r.r_min) & (scored.r <= r.r_max)
                & (fm >= r.fm_min) & (fm <= r.fm_max), r.segment.id)
            for r in rules], else_=Literal(None))
    tier = Case(*[(scored.m == score, tier) for score, tier in TIERS],
        else_=Literal('d'))
    columns = {
        'run': Literal(run.id),
        'company': Literal(run.company.id),
        'party': scored.party,
        'first_date': scored.first_date,
        'last_date': scored.last_date,
        'recency_days': Literal(to_day(run.end_date))
        - day_number(scored.last_date),
        'frequency': scored.frequency,
        'monetary': scored.monetary,
        'r_score': scored.r,
        'f_score': scored.f,
        'm_score': scored.m,
        'fm_score': fm,
        'segment': segment,
        'value_tier': tier,
        'create_uid': Literal(transaction.user),
        'create_date': CurrentTimestamp(),
        }
    cursor.execute(*result.insert(
            [getattr(result, n) for n in columns],
            scored.select(*columns.values())))
    cursor.execute(*result.select(Count(result.id),
            where=result.run == run.id))
    return cursor.fetchone()[0]


def _satisfaction(run, parties):
    "Mean CSAT (1-5) per party id; modules that survey customers fill it"
    return Pool().get('crm.analytics.run').customer_satisfaction(
        run, parties)


def _update_relationship(run):
    pool = Pool()
    result = pool.get('crm.analytics.rfm').__table__()
    end = to_day(run.end_date)
    ids, parties, first, recency, frequency, monetary = fetch_columns(
        result.select(result.id, result.party,
            day_number(result.first_date), result.recency_days,
            result.frequency, result.monetary,
            where=result.run == run.id, order_by=[result.id]),
        [np.int64, np.int64, np.int64, np.int64, np.int64, float])
    if not len(ids):
        return
    csat = _satisfaction(run, parties.tolist())
    index = relationship.relationship_index(
        csat=np.array([csat.get(p, np.nan) for p in parties.tolist()],
            dtype=float),
        repeat_purchases=np.maximum(frequency - 1, 0),
        referrals=np.zeros(len(ids)),
        tenure_days=end - first,
        recency_days=recency,
        value=np.maximum(monetary, 0),
        weights=run.weights)
    points = index.contributions
    update_rows('crm.analytics.rfm', {
            'relationship': index.index,
            'satisfaction_points': points['satisfaction'],
            'loyalty_points': points['loyalty'],
            'stability_points': points['stability'],
            'value_points': points['value'],
            }, ids)


def _write_back(run):
    pool = Pool()
    Party = pool.get('party.party')
    result = pool.get('crm.analytics.rfm').__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*result.select(
            result.party, result.segment, result.value_tier,
            where=result.run == run.id))
    Party.set_computed({
            party: {'segment': segment, 'value_tier': tier}
            for party, segment, tier in cursor})
