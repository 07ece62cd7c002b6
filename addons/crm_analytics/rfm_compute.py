# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""RFM scores, segments and the relationship index of a run.

On PostgreSQL one INSERT ... SELECT aggregates recency, frequency
(distinct purchase days) and monetary value per customer, scores them by
NTILE(5), maps the scores to segments and value tiers and computes the
relationship index with satisfaction neutral (no survey); engine/rfm.py
and engine/relationship.py state the same rules and are the references
the tests hold the query to.  Customers whose satisfaction a module
reports (customer_satisfaction) then get their index from the engine.

SQLite reads the aggregates of the same query and scores them with the
engine instead: its window functions sort many times slower than numpy
and its inserts are cheap.  (PostgreSQL spends most of the run checking
the four foreign keys of each stored row, whichever way the rows come.)
"""
import datetime as dt

import numpy as np
from sql import Cast, Literal, Window
from sql.aggregate import Avg, Count, Max, Min, Sum
from sql.conditionals import Case
from sql.functions import Ntile, RowNumber

from trytond import backend
from trytond.pool import Pool
from trytond.transaction import Transaction

from .common import (
    day_number, fetch_columns, insert_rows, power, purchase_where, rounded,
    to_day, update_rows)
from .engine import relationship, rfm
from .engine.rfm import SCORES

# value tier of crm_core by monetary score
TIERS = ((5, 'a'), (4, 'b'), (3, 'c'))
POINTS = ['satisfaction', 'loyalty', 'stability', 'value']


def compute(run):
    pool = Pool()
    Rule = pool.get('crm.analytics.rfm.rule')
    Rule.check_mapping()
    rules = Rule.search([])
    if backend.name == 'sqlite':
        count = _store_engine_scores(run, rules)
    else:
        _insert_scores(run, rules)
        count = _update_satisfaction(run)
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


def _scored(run):
    """The customers' aggregates, their scores and the median of the
    positive monetary values (the relationship index's value reference)
    in one query"""
    agg = _aggregates(run)
    by_money = Window([], order_by=[agg.monetary.asc, agg.party.asc])
    scored = agg.select(
        agg.party, agg.first_date, agg.last_date, agg.frequency,
        agg.monetary,
        (Literal(SCORES + 1) - Ntile(SCORES, window=Window([],
                    order_by=[agg.last_date.desc, agg.party.asc]))
            ).as_('r'),
        Ntile(SCORES, window=Window([],
                order_by=[agg.frequency.asc, agg.party.asc])).as_('f'),
        Ntile(SCORES, window=by_money).as_('m'),
        RowNumber(window=by_money).as_('money_row'),
        Sum(Case((agg.monetary <= 0, Literal(1)), else_=Literal(0)),
            window=Window([])).as_('non_positive'),
        Count(Literal(1), window=Window([])).as_('customers'))
    # the positive values follow the others in by_money: the median is
    # the middle one, or the mean of the middle two, of them
    positive = scored.customers - scored.non_positive
    low = scored.non_positive + (positive + Literal(1)) / Literal(2)
    high = scored.non_positive + positive / Literal(2) + Literal(1)
    middle = Avg(Case((
                (scored.money_row == low) | (scored.money_row == high),
                _float(scored.monetary))), window=Window([]))
    return scored.select(
        scored.party, scored.first_date, scored.last_date,
        scored.frequency, scored.monetary, scored.r, scored.f, scored.m,
        Case((positive > Literal(0), middle),
            else_=Literal(1.0)).as_('median'))


def _float(value):
    return Cast(value, 'DOUBLE PRECISION')


def _scored_columns(run, rules):
    """{result column: SQL expression} of the customers' aggregates,
    scores, segment, tier and relationship index, and the query they are
    selected from"""
    scored = _scored(run)
    fm = (scored.f + scored.m + Literal(1)) / Literal(2)
    segment = Case(*[
            ((scored.r >= r.r_min) & (scored.r <= r.r_max)
                & (fm >= r.fm_min) & (fm <= r.fm_max), r.segment.id)
            for r in rules], else_=Literal(None))
    tier = Case(*[(scored.m == score, tier) for score, tier in TIERS],
        else_=Literal('d'))
    recency = Literal(to_day(run.end_date)) - day_number(scored.last_date)
    columns = {
        'party': scored.party,
        'first_date': scored.first_date,
        'last_date': scored.last_date,
        'recency_days': recency,
        'frequency': scored.frequency,
        'monetary': scored.monetary,
        'r_score': scored.r,
        'f_score': scored.f,
        'm_score': scored.m,
        'fm_score': fm,
        'segment': segment,
        'value_tier': tier,
        }
    columns.update(_relationship_columns(run, scored, recency))
    return columns, scored


def _relationship_columns(run, scored, recency):
    """{result column: SQL expression} of the relationship index and its
    points, as engine/relationship.py computes them without a survey"""
    weights = relationship.normalised_weights(run.weights)
    repeat = Case((scored.frequency > Literal(1),
            scored.frequency - Literal(1)), else_=Literal(0))
    tenure = Literal(to_day(run.end_date)) - day_number(scored.first_date)
    value = Case((scored.monetary > Literal(0), _float(scored.monetary)),
        else_=Literal(0.0))
    scores = {
        'satisfaction': Literal(0.5),
        'loyalty': repeat / (repeat + Literal(relationship.LOYALTY_HALF)),
        'stability': power(
            tenure / (tenure + Literal(relationship.TENURE_HALF_DAYS))
            * power(Literal(0.5),
                recency / Literal(relationship.RECENCY_HALF_LIFE_DAYS)),
            Literal(0.5)),
        'value': value / (value + scored.median),
        }
    points = {name: Literal(100 * weights[name]) * score
        for name, score in scores.items()}
    columns = {'relationship': rounded(
            points['satisfaction'] + points['loyalty']
            + points['stability'] + points['value'])}
    for name in POINTS:
        columns[name + '_points'] = rounded(points[name])
    return columns


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
            'create_date': Literal(dt.datetime.now()),
            })
    cursor.execute(*result.insert(
            [getattr(result, n) for n in columns],
            scored.select(*columns.values())))


def _store_engine_scores(run, rules):
    """Score the aggregates with the engine and insert the rows (SQLite:
    its window functions sort 100,000 rows many times slower than numpy,
    and inserting rows costs it little); return their number"""
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
        recency_days=recency, frequency=frequency, monetary=monetary,
        segment=np.array([r.segment.id for r in rules])[
            table[scores['r_score'] - 1, scores['fm_score'] - 1]],
        value_tier=np.array(['d', 'd', 'c', 'b', 'a'])[
            scores['m_score'] - 1])
    values.update(_relationship(run, parties, first, recency, frequency,
            monetary, _satisfaction(run, parties.tolist())))
    names = list(values)
    return insert_rows('crm.analytics.rfm', ['run', 'company'] + names,
        zip([run.id] * count, [run.company.id] * count,
            *(values[n].tolist() for n in names)))


def _dates(days):
    "ISO dates of day numbers, as the SQLite adapter writes dates"
    distinct, index = np.unique(days, return_inverse=True)
    return np.datetime_as_string(
        np.datetime64('1970-01-01', 'D') + distinct, unit='D')[index]


def _satisfaction(run, parties):
    "Mean CSAT (1-5) per party id; modules that survey customers fill it"
    return Pool().get('crm.analytics.run').customer_satisfaction(
        run, parties)


def _relationship(run, parties, first, recency, frequency, monetary,
        csat):
    """{result column: values rounded to 2 decimals} of the relationship
    index and its points; first: the first purchase's day number, csat:
    {party: mean satisfaction}"""
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


def _update_satisfaction(run):
    """Give the customers whose satisfaction is known their index from
    the engine; return the number of result rows"""
    result = Pool().get('crm.analytics.rfm').__table__()
    parties, = fetch_columns(
        result.select(result.party, where=result.run == run.id),
        [np.int64])
    csat = _satisfaction(run, parties.tolist())
    if not csat:
        return len(parties)
    ids, parties, first, recency, frequency, monetary = fetch_columns(
        result.select(result.id, result.party,
            day_number(result.first_date), result.recency_days,
            result.frequency, _float(result.monetary),
            where=result.run == run.id, order_by=[result.id]),
        [np.int64, np.int64, np.int64, np.int64, np.int64, float])
    values = _relationship(run, parties, first, recency, frequency,
        monetary, csat)
    surveyed = np.isin(parties, list(csat))
    update_rows('crm.analytics.rfm', {
            n: values[n][surveyed]
            for n in ['relationship', 'satisfaction_points']},
        ids[surveyed])
    return len(ids)


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
