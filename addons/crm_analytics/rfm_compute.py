# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""RFM scores, segments and the relationship index of a run.

Recency, frequency (distinct purchase days) and monetary value are
aggregated, scored by NTILE(5) and mapped to segments in one SQL query;
engine/rfm.py states the same tie rule and is its reference.  The
relationship index is computed in bulk with engine/relationship.py.

How the rows are written depends on the database: PostgreSQL reads the
scored rows, adds the index and writes each row once with COPY (updating
100,000 rows there costs as much as writing them again); SQLite inserts
the scored rows in the engine (INSERT ... SELECT) and sets the index by
executemany UPDATE, both cheap in-process.
"""
import numpy as np
from sql import Literal, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp, Ntile

from trytond import backend
from trytond.pool import Pool
from trytond.transaction import Transaction

from .common import (
    day_number, fetch_columns, insert_rows, purchase_where, to_day,
    update_rows)
from .engine import relationship
from .engine.rfm import SCORES

# value tier of crm_core by monetary score
TIERS = ((5, 'a'), (4, 'b'), (3, 'c'))
POINTS = ['satisfaction', 'loyalty', 'stability', 'value']


def compute(run):
    pool = Pool()
    Rule = pool.get('crm.analytics.rfm.rule')
    Rule.check_mapping()
    rules = Rule.search([])
    if backend.name == 'postgresql':
        count = _copy_scores(run, rules)
    else:
        count = _insert_scores(run, rules)
        _update_relationship(run)
    if run.write_back:
        _write_back(run)
    return {'customers': count, 'results': count}


def _scored_columns(run, rules):
    """{result column: SQL expression} of the customers' aggregates,
    scores, segment and tier, and the query they are selected from"""
    pool = Pool()
    purchase = pool.get('crm.purchase').__table__()

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
    return {
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
        }, scored


def _insert_scores(run, rules):
    pool = Pool()
    result = pool.get('crm.analytics.rfm').__table__()
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    scores, scored = _scored_columns(run, rules)
    columns = dict({
            'run': Literal(run.id),
            'company': Literal(run.company.id),
            }, **scores)
    columns.update({
            'create_uid': Literal(transaction.user),
            'create_date': CurrentTimestamp(),
            })
    cursor.execute(*result.insert(
            [getattr(result, n) for n in columns],
            scored.select(*columns.values())))
    cursor.execute(*result.select(Count(result.id),
            where=result.run == run.id))
    return cursor.fetchone()[0]


def _copy_scores(run, rules):
    "Read the scored rows, add their index and insert them"
    scores, scored = _scored_columns(run, rules)
    names = list(scores)
    dtypes = {'party': np.int64, 'recency_days': np.int64,
        'frequency': np.int64, 'r_score': np.int64, 'f_score': np.int64,
        'm_score': np.int64, 'fm_score': np.int64}
    *columns, first = fetch_columns(
        scored.select(*scores.values(), day_number(scored.first_date)),
        [dtypes.get(n, object) for n in names] + [np.int64])
    values = dict(zip(names, columns))
    count = len(values['party'])
    if not count:
        return 0
    values.update(_relationship(run, values['party'], first,
            values['recency_days'], values['frequency'],
            values['monetary'].astype(float)))
    names = list(values)
    return insert_rows('crm.analytics.rfm', ['run', 'company'] + names,
        zip([run.id] * count, [run.company.id] * count,
            *(values[n].tolist() for n in names)))


def _satisfaction(run, parties):
    "Mean CSAT (1-5) per party id; modules that survey customers fill it"
    return Pool().get('crm.analytics.run').customer_satisfaction(
        run, parties)


def _relationship(run, parties, first, recency, frequency, monetary):
    """{result column: values rounded to 2 decimals} of the relationship
    index and its points; first: the first purchase's day number"""
    csat = _satisfaction(run, parties.tolist())
    index = relationship.relationship_index(
        csat=np.array([csat.get(p, np.nan) for p in parties.tolist()],
            dtype=float),
        repeat_purchases=np.maximum(frequency - 1, 0),
        referrals=np.zeros(len(parties)),
        tenure_days=to_day(run.end_date) - first,
        recency_days=recency,
        value=np.maximum(monetary, 0),
        weights=run.weights)
    values = {'relationship': index.index}
    for name in POINTS:
        values[name + '_points'] = index.contributions[name]
    return {n: np.round(np.asarray(v, dtype=float), 2)
        for n, v in values.items()}


def _update_relationship(run):
    pool = Pool()
    result = pool.get('crm.analytics.rfm').__table__()
    ids, parties, first, recency, frequency, monetary = fetch_columns(
        result.select(result.id, result.party,
            day_number(result.first_date), result.recency_days,
            result.frequency, result.monetary,
            where=result.run == run.id, order_by=[result.id]),
        [np.int64, np.int64, np.int64, np.int64, np.int64, float])
    if not len(ids):
        return
    update_rows('crm.analytics.rfm', _relationship(
            run, parties, first, recency, frequency, monetary), ids)


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
