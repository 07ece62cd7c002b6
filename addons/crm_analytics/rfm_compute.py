# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""RFM scores, segments and the relationship index of a run.

One SQL query aggregates recency, frequency (distinct purchase days) and
monetary value per customer; numpy scores the columns by NTILE(5) as SQL
defines it (engine/rfm.py), maps them to segments and value tiers and
computes the relationship index (engine/relationship.py), for every
customer at once; the rows are stored in one bulk insert (COPY on
PostgreSQL).  Both databases sort 100,000 rows many times faster in numpy
than in their window functions.
"""
import numpy as np
from sql import Literal, Null
from sql.aggregate import Count, Max, Min, Sum

from trytond.pool import Pool
from trytond.transaction import Transaction

from .common import (
    day_number, fetch_columns, insert_columns, purchase_where, to_day)
from .engine import relationship, rfm
from .engine.rfm import SCORES

POINTS = ['satisfaction', 'loyalty', 'stability', 'value']


def compute(run):
    pool = Pool()
    Rule = pool.get('crm.analytics.rfm.rule')
    Rule.check_mapping()
    rules = Rule.search([])
    count = _store_scores(run, rules)
    if run.write_back:
        _write_back(run)
    return {'customers': count, 'results': count}


def _aggregates(run):
    "The query of the customers' first and last date, frequency, monetary"
    purchase = Pool().get('crm.purchase').__table__()
    return purchase.select(
        purchase.party.as_('party'),
        Min(purchase.date).as_('first_date'),
        Max(purchase.date).as_('last_date'),
        Count(purchase.date, distinct=True).as_('frequency'),
        Sum(purchase.amount).as_('monetary'),
        where=purchase_where(purchase, run),
        group_by=[purchase.party])


def _store_scores(run, rules):
    "Score the aggregates, insert the rows and return their number"
    agg = _aggregates(run)
    # read as floats, one array per batch (the integers are exact)
    *integers, monetary = fetch_columns(
        agg.select(agg.party, day_number(agg.first_date),
            day_number(agg.last_date), agg.frequency, agg.monetary),
        [float] * 5)
    parties, first, last, frequency = (
        c.astype(np.int64) for c in integers)
    count = len(parties)
    if not count:
        return 0
    tiles = rfm.ntile(count)
    scores = {}
    for name, order in [
            ('r_score', np.lexsort((parties, -last))),
            ('f_score', np.lexsort((parties, frequency))),
            ('m_score', np.lexsort((parties, monetary)))]:
        scores[name] = np.empty(count, dtype=np.int64)
        scores[name][order] = tiles
    scores['r_score'] = SCORES + 1 - scores['r_score']
    scores['fm_score'] = rfm.fm_score(scores['f_score'], scores['m_score'])
    table = rfm.validate_mapping(
        [(str(r.segment.id), (r.r_min, r.r_max), (r.fm_min, r.fm_max))
            for r in rules])
    recency = to_day(run.end_date) - last
    values = dict(scores,
        party=parties, first_date=_dates(first), last_date=_dates(last),
        recency_days=recency, frequency=frequency,
        monetary=np.round(monetary, 2),
        segment=np.array([r.segment.id for r in rules])[
            table[scores['r_score'] - 1, scores['fm_score'] - 1]],
        # crm_core's value tier by monetary score
        value_tier=np.array(['d', 'd', 'c', 'b', 'a'])[
            scores['m_score'] - 1])
    values.update(_relationship(run, parties, first, recency, frequency,
            monetary, _satisfaction(run, parties.tolist()),
            _referrals(parties)))
    return insert_columns('crm.analytics.rfm',
        dict(values, run=run.id, company=run.company.id))


def _dates(days):
    "The dates of day numbers"
    return np.datetime64('1970-01-01', 'D') + days


def _satisfaction(run, parties):
    "Mean CSAT (1-5) per party id; modules that survey customers fill it"
    return Pool().get('crm.analytics.run').customer_satisfaction(
        run, parties)


def _referrals(parties):
    "The number of active customers each party referred, aligned"
    party = Pool().get('party.party').__table__()
    referrer, count = fetch_columns(
        party.select(party.referred_by, Count(party.id),
            where=(party.referred_by != Null)
            & (party.active == Literal(True)),
            group_by=[party.referred_by]),
        [np.int64, np.int64])
    referrals = np.zeros(len(parties), dtype=np.int64)
    order = np.argsort(parties)
    position = np.minimum(
        np.searchsorted(parties, referrer, sorter=order), len(parties) - 1)
    found = parties[order[position]] == referrer
    referrals[order[position[found]]] = count[found]
    return referrals


def _relationship(run, parties, first, recency, frequency, monetary,
        csat, referrals):
    """{result column: values rounded to 2 decimals} of the relationship
    index and its points; first: the first purchase's day number, csat:
    {party: mean satisfaction}, referrals: customers referred"""
    index = relationship.relationship_index(
        csat=np.array([csat.get(p, np.nan) for p in parties.tolist()],
            dtype=float),
        repeat_purchases=np.maximum(frequency - 1, 0),
        referrals=referrals,
        tenure_days=to_day(run.end_date) - first,
        recency_days=recency,
        value=np.maximum(monetary, 0),
        weights=run.weights)
    values = {'relationship': index.index}
    for name in POINTS:
        values[name + '_points'] = index.contributions[name]
    return {n: np.round(np.asarray(v, dtype=float), 2)
        for n, v in values.items()}


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
