# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Product pairs bought together (support, confidence, lift) and the
cross-sell suggestions they give each customer.

A basket is what one customer bought on one day.  The lines are read in
one query and counted with engine/pairs.py (a sparse product matrix)."""
import numpy as np

from trytond.pool import Pool

from .common import (
    day_number, fetch_columns, insert_columns, purchase_where)
from .engine import pairs


def compute(run):
    purchase = Pool().get('crm.purchase').__table__()
    parties, days, products = fetch_columns(
        purchase.select(purchase.party, day_number(purchase.date),
            purchase.product,
            where=purchase_where(purchase, run, with_product=True)),
        [np.int64, np.int64, np.int64])
    baskets = parties * 1_000_000 + (days - days.min())
    counts = pairs.pair_counts(baskets, products)
    rules = pairs.rules(counts, run.min_support, run.min_confidence,
        run.min_lift or 0.0)
    results = insert_columns('crm.analytics.pair', {
            'run': run.id, 'company': run.company.id,
            'product': rules.antecedent, 'associated': rules.consequent,
            'baskets': rules.pair_count, 'support': rules.support,
            'confidence': rules.confidence, 'lift': rules.lift})
    found = pairs.bulk_suggestions(
        parties, products, rules, limit=run.suggestions_per_customer)
    insert_columns('crm.analytics.suggestion', {
            'run': run.id, 'company': run.company.id,
            'party': found.customer, 'product': found.product,
            'because': found.antecedent, 'confidence': found.confidence,
            'lift': found.lift, 'rank': found.rank})
    return {
        'customers': len(np.unique(parties)),
        'results': results,
        'message': None,
        }
