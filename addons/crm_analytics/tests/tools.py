# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Purchases of a small seeded customer base, and their reference figures."
import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from trytond.modules.crm_core.tests.tools import create_customer
from trytond.pool import Pool


def create_products(count):
    pool = Pool()
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('symbol', '=', 'u')])
    templates = Template.create([{
                'name': 'Product %02d' % i, 'default_uom': unit.id,
                'products': [('create', [{'code': 'P%02d' % i}])],
                } for i in range(count)])
    return [t.products[0] for t in templates]


def create_purchases(company, customers=40, products=10, seed=7,
        start=dt.date(2025, 1, 1), days=365):
    """Random purchases: some products bought together on purpose (0 with
    1, 2 with 3), some customers buying often.  Returns the parties, the
    products and the lines as (party id, date, product id, amount)."""
    pool = Pool()
    Purchase = pool.get('crm.purchase')
    rng = random.Random(seed)
    items = create_products(products)
    parties = [create_customer('Customer %03d' % i)
        for i in range(customers)]
    lines = []
    for party in parties:
        # customers join over the period and some drop out
        joined = rng.randrange(days // 2)
        left = min(days, joined + rng.choice([20, 60, 120, days, days]))
        visits = min(left - joined, rng.choice([1, 1, 2, 3, 5, 8]))
        for day in rng.sample(range(joined, left), visits):
            date = start + dt.timedelta(days=day)
            basket = {rng.randrange(products)}
            if 0 in basket and rng.random() < 0.8:
                basket.add(1)
            if 2 in basket and rng.random() < 0.7:
                basket.add(3)
            if rng.random() < 0.3:
                basket.add(rng.randrange(products))
            for index in sorted(basket):
                amount = Decimal(rng.randrange(20, 2000))
                lines.append((party.id, date, items[index].id, amount))
    Purchase.create([{
                'company': company.id, 'party': p, 'date': d, 'product': i,
                'quantity': 1, 'amount': a, 'currency': company.currency.id,
                } for p, d, i, a in lines])
    return parties, items, lines


def customer_summary(lines, end):
    "party -> (first date, last date, distinct days, total amount)"
    days, totals = defaultdict(set), defaultdict(Decimal)
    for party, date, _, amount in lines:
        if date <= end:
            days[party].add(date)
            totals[party] += amount
    return {p: (min(d), max(d), len(d), totals[p]) for p, d in days.items()}


def baskets(lines):
    "(party, date) -> set of product ids"
    result = defaultdict(set)
    for party, date, product, _ in lines:
        result[party, date].add(product)
    return result


def create_bgnbd_purchases(company, customers=300, seed=3,
        start=dt.date(2025, 1, 1), days=365):
    """Purchases of customers who buy and drop out as BG/NBD assumes
    (r=0.8, alpha=20 days, a=0.8, b=2.5), with Gamma-distributed spend.
    Returns the parties and the lines as create_purchases does."""
    pool = Pool()
    Purchase = pool.get('crm.purchase')
    rng = random.Random(seed)
    item, = create_products(1)
    lines = []
    parties = [create_customer('Buyer %03d' % i) for i in range(customers)]
    for party in parties:
        rate = rng.gammavariate(0.8, 1 / 20)
        dropout = rng.betavariate(0.8, 2.5)
        spend = rng.gammavariate(4, 50)
        day = rng.randrange(days // 2)
        while day < days:
            amount = Decimal(str(round(rng.gammavariate(3, spend / 3) + 1, 2)))
            lines.append((party.id, start + dt.timedelta(days=day),
                    item.id, amount))
            if rng.random() < dropout:
                break
            day += max(1, round(rng.expovariate(rate)))
    Purchase.create([{
                'company': company.id, 'party': p, 'date': d, 'product': i,
                'quantity': 1, 'amount': a, 'currency': company.currency.id,
                } for p, d, i, a in lines])
    return parties, [item], lines
