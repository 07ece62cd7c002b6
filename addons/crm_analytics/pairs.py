# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Product pairs bought together (support, confidence, lift) and the
cross-sell suggestions they give each customer.

A basket is what one customer bought on one day.  The lines are read in
one query and counted with engine/pairs.py (a sparse product matrix)."""
import numpy as np

from trytond.pool import Pool

from .common import (
    day_number, fetch_columns, insert_rows, purchase_where)
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
    results = insert_rows('crm.analytics.pair', [
            'run', 'company', 'product', 'associated', 'baskets',
            'support', 'confidence', 'lift'], zip(
            *[[run.id] * len(rules.antecedent),
                [run.company.id] * len(rules.antecedent)],
            *(a.tolist() for a in [
                    rules.antecedent, rules.consequent, rules.pair_count,
                    rules.support, rules.confidence, rules.lift])))
    found = pairs.bulk_suggestions(
        parties, products, rules, limit=run.suggestions_per_customer)
    insert_rows('crm.analytics.suggestion', [
            'run', 'company', 'party', 'product', 'because', 'confidence',
            'lift', 'rank'], zip(
            *[[run.id] * len(found.customer),
                [run.company.id] * len(found.customer)],
            *(a.tolist() for a in [
                    found.customer, found.product, found.antecedent,
                    found.confidence, found.lift, found.rank])))
    return {
        'customers': len(np.unique(parties)),
        'results': results,
        'message': None,
        }
