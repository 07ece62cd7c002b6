# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Churn risk and lifetime value: BG/NBD and Gamma-Gamma fitted on the
customers' (frequency, recency, age, mean value) summary, in days, then
every customer scored at once (engine/clv.py)."""
import numpy as np

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from trytond.modules.crm_core.engine import lifecycle

from .common import (
    day_number, fetch_columns, insert_columns, purchase_where, to_day)
from .engine import clv


def compute(run):
    purchase = Pool().get('crm.purchase').__table__()
    parties, days, amounts = fetch_columns(
        purchase.select(purchase.party, day_number(purchase.date),
            purchase.amount, where=purchase_where(purchase, run)),
        [np.int64, np.int64, float])
    summary = clv.summary_from_transactions(
        parties, days, amounts, to_day(run.end_date))
    x, t_x, T = summary.frequency, summary.recency, summary.T
    bgnbd = clv.fit_bgnbd(x, t_x, T)
    spenders = (x > 0) & (summary.monetary > 0)
    spend = clv.fit_gamma_gamma(x[spenders], summary.monetary[spenders])
    alive = clv.probability_alive(bgnbd.params, x, t_x, T)
    expected = clv.expected_purchases(
        bgnbd.params, run.horizon_days, x, t_x, T)
    # a net refund leaves no mean value: such customers get the
    # population's
    value_x = np.where(spenders, x, 0)
    value_m = np.where(spenders, summary.monetary, 0)
    average = clv.expected_average_value(spend.params, value_x, value_m)
    lifetime = clv.customer_lifetime_value(
        bgnbd.params, spend.params, value_x, t_x, T, value_m,
        months=run.clv_months,
        monthly_discount_rate=run.monthly_discount_rate or 0.0)
    at_risk = alive < run.risk_threshold
    count = insert_columns('crm.analytics.clv', {
            'run': run.id, 'company': run.company.id,
            'party': summary.customers, 'frequency': x, 'recency': t_x,
            'age': T, 'monetary': np.round(summary.monetary, 2),
            'probability_alive': np.round(alive, 4),
            'expected_purchases': np.round(expected, 4),
            'expected_value': np.round(average, 2),
            'lifetime_value': np.round(lifetime, 2), 'at_risk': at_risk})
    if run.write_back:
        mark_at_risk(summary.customers[at_risk].tolist())
    return {
        'customers': count,
        'results': count,
        'message': gettext('crm_analytics.msg_run_clv_fit',
            r=_g(bgnbd.params.r), alpha=_g(bgnbd.params.alpha),
            a=_g(bgnbd.params.a), b=_g(bgnbd.params.b),
            p=_g(spend.params.p), q=_g(spend.params.q),
            gamma=_g(spend.params.gamma),
            at_risk=int(at_risk.sum())),
        }


def _g(value):
    return '%.4g' % value


def mark_at_risk(party_ids):
    """Move the customers to the at-risk lifecycle stage where their
    stage allows it (crm_core logs each change)."""
    Party = Pool().get('party.party')
    parties = [p for p in Party.browse(party_ids)
        if p.lifecycle_stage != 'at_risk'
        and lifecycle.is_allowed(p.lifecycle_stage, 'at_risk')]
    if parties:
        with Transaction().set_context(
                lifecycle_reason=gettext('crm_analytics.msg_at_risk_reason')):
            Party.write(parties, {'lifecycle_stage': 'at_risk'})
