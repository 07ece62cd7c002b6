"""analytics_product_pairs: product pairs bought together, and the
cross-sell suggestions they give each customer.

value      seconds of ``crm.analytics.run``'s ``process`` of a product
           pairs run over the three years, committed: the lines read in
           one query, baskets (a customer's purchase day) x products
           counted as a sparse matrix (engine/pairs.py), the rules a -> b
           over --min-support / --min-confidence / lift >= 1 stored in
           crm_analytics_pair, and up to 5 suggestions per customer
           stored in crm_analytics_suggestion;
reference  mlxtend: the same lines read by SQL, one-hot encoded (a dense
           boolean DataFrame of baskets x products, built with numpy),
           ``apriori(min_support, max_len=2, low_memory=True)`` and
           ``association_rules(metric='confidence', min_threshold)``,
           kept where lift >= 1.

The stored pairs must be mlxtend's rules (the same antecedent and
consequent pairs), with the same support, confidence and lift
(``agreement`` 1, the largest relative difference in the note).  mlxtend
finds no suggestions; the note gives ours without them (reading,
counting, rules and storing the pairs).  Data: bench/analytics.py.

    python bench/analytics_product_pairs.py --database sqlite \\
        --customers 2000 --min-support 0.002
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import analytics  # noqa: E402
import common  # noqa: E402

TASK = 'analytics_product_pairs'
# the lowest tried (57 of the 571,707 baskets): 1,904 of the 2,000 products
# are frequent; crm_analytics' default, 0.001, keeps 13 pairs of this data
MIN_SUPPORT = 0.0001
MIN_CONFIDENCE = 0.05
MIN_LIFT = 1.0
SUGGESTIONS = 5


def mlxtend_rules(session, min_support, min_confidence, min_lift):
    """mlxtend's rules {(antecedent, consequent): (support, confidence,
    lift)} and the seconds of each step."""
    import numpy as np
    import pandas as pd
    from mlxtend.frequent_patterns import apriori, association_rules
    backend = session.database.backend
    steps = {}
    started = time.perf_counter()
    rows = analytics.fetch_lines(session,
        ['party', analytics.day_sql('date', backend), 'product'],
        product=True)
    lines = np.array(rows, dtype=np.int64)
    del rows
    steps['read'] = time.perf_counter() - started
    started = time.perf_counter()
    _, basket = np.unique(lines[:, 0] * 1_000_000 + lines[:, 1],
        return_inverse=True)
    products, item = np.unique(lines[:, 2], return_inverse=True)
    onehot = np.zeros((basket.max() + 1, len(products)), dtype=bool)
    onehot[basket, item] = True
    baskets = len(onehot)
    del lines, basket, item
    frame = pd.DataFrame(onehot, columns=products.tolist(), copy=False)
    steps['encode'] = time.perf_counter() - started
    started = time.perf_counter()
    frequent = apriori(frame, min_support=min_support, use_colnames=True,
        max_len=2, low_memory=True)
    steps['apriori'] = time.perf_counter() - started
    started = time.perf_counter()
    rules = association_rules(frequent, num_itemsets=baskets,
        metric='confidence', min_threshold=min_confidence,
        return_metrics=['support', 'confidence', 'lift'])
    rules = rules[rules['lift'] >= min_lift]
    steps['rules'] = time.perf_counter() - started
    found = {}
    for antecedents, consequents, support, confidence, lift in zip(
            rules['antecedents'], rules['consequents'], rules['support'],
            rules['confidence'], rules['lift']):
        found[next(iter(antecedents)), next(iter(consequents))] = (
            support, confidence, lift)
    return found, steps, {'baskets': baskets,
        'frequent_products': int((frequent['itemsets'].map(len) == 1).sum()),
        'frequent_pairs': int((frequent['itemsets'].map(len) == 2).sum())}


def stored(session, run_id):
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT product, associated, support, confidence, '
            'lift FROM crm_analytics_pair WHERE run = %d' % run_id)
        pairs = {(a, b): (s, c, l) for a, b, s, c, l in cursor.fetchall()}
        cursor.execute('SELECT COUNT(*), COUNT(DISTINCT party) '
            'FROM crm_analytics_suggestion WHERE run = %d' % run_id)
        suggestions, customers = cursor.fetchone()
    return pairs, suggestions, customers


def compare(ours, reference):
    "(share of the union found by both, largest relative difference)"
    both = set(ours) & set(reference)
    union = set(ours) | set(reference)
    worst = 0.0
    for key in both:
        for mine, theirs in zip(ours[key], reference[key]):
            worst = max(worst, abs(mine - theirs) / abs(theirs))
    return len(both) / len(union) if union else 1.0, worst


def measure(session, options, data):
    from trytond.modules.crm_analytics import pairs as crm_pairs
    from trytond.modules.crm_analytics.engine import pairs as engine
    runs = options.runs
    parameters = {'min_support': options.min_support,
        'min_confidence': options.min_confidence, 'min_lift': MIN_LIFT,
        'suggestions_per_customer': SUGGESTIONS}
    # the steps of ours, timed where crm_analytics calls them
    reading = analytics.Stopwatch(crm_pairs,
        ['fetch_columns', 'insert_columns'])
    counting = analytics.Stopwatch(engine,
        ['pair_counts', 'rules', 'bulk_suggestions'])
    common.progress('product pairs: %d runs of crm_analytics' % runs)
    try:
        value, peak, run_id, times = analytics.analyse(session, 'pairs',
            runs, **parameters)
    finally:
        reading.restore()
        counting.restore()
    # the first run's steps (the others are alike)
    steps = {n: c[0] for n, c in dict(reading.calls,
            **counting.calls).items()}
    insert_pairs, insert_suggestions = reading.calls['insert_columns'][:2]
    ours, suggestions, suggested = stored(session, run_id)
    common.progress('mlxtend: apriori + association_rules (1 run)')
    with analytics.Peak() as reference_peak:
        started = time.perf_counter()
        reference, reference_steps, found = mlxtend_rules(session,
            options.min_support, options.min_confidence, MIN_LIFT)
        reference_value = time.perf_counter() - started
    agreement, worst = compare(ours, reference)
    assert ours, "no pair found: lower --min-support"
    common.progress('ours %.2f s (%d pairs), mlxtend %.2f s (%d pairs), '
        'agreement %.4f, largest relative difference %.2g' % (
            value, len(ours), reference_value, len(reference), agreement,
            worst))
    import mlxtend
    without = times[0] - steps['bulk_suggestions'] - insert_suggestions
    note = ('crm.analytics.run process of a pairs run over %d lines '
        '(%d baskets; %d products, %d frequent at min_support %g), '
        'min_confidence %g, lift >= %g, committed; runs %s s; first run: '
        'read %.2f s, pair_counts %.2f s, rules %.3f s, insert of %d pairs '
        '%.2f s, bulk_suggestions %.2f s, insert of %d suggestions for %d '
        'customers %.2f s: %.2f s without the suggestions (ratio %.3f); '
        'mlxtend %s (1 run): read %.2f s, one-hot %.2f s, '
        'apriori(low_memory, max_len=2) %.2f s, association_rules %.2f s; '
        '%d rules by ours, %d by mlxtend, %s, support/confidence/lift '
        'within a relative %.1g' % (
            data['lines'], found['baskets'], data['products'],
            found['frequent_products'], options.min_support,
            options.min_confidence, MIN_LIFT,
            ', '.join('%.2f' % t for t in times), steps['fetch_columns'],
            steps['pair_counts'], steps['rules'], len(ours), insert_pairs,
            steps['bulk_suggestions'], suggestions, suggested,
            insert_suggestions, without, without / reference_value,
            mlxtend.__version__, reference_steps['read'],
            reference_steps['encode'], reference_steps['apriori'],
            reference_steps['rules'], len(ours), len(reference),
            'the same pairs' if agreement == 1 else
            '%.4f of the pairs in both' % agreement, max(worst, 1e-16)))
    entry = common.result(TASK, session.database.backend,
        dict(analytics.size(data), pairs=len(ours)), value, 's',
        'mlxtend apriori(max_len=2, low_memory=True) + association_rules '
        'on a one-hot DataFrame of the same lines', reference_value,
        'lower', runs=runs, note=note,
        extra={'reference_peak_rss_mb': reference_peak.mb,
            'without_suggestions_s': without,
            'agreement': round(agreement, 4)})
    entry['peak_rss_mb'] = peak
    # not rounded to 3 decimals
    entry['min_support'] = options.min_support
    entry['min_confidence'] = options.min_confidence
    entry['max_relative_difference'] = float('%.3g' % worst)
    return entry


def argument_parser():
    parser = analytics.argument_parser(__doc__.splitlines()[0])
    parser.add_argument('--min-support', type=float, default=MIN_SUPPORT)
    parser.add_argument('--min-confidence', type=float,
        default=MIN_CONFIDENCE)
    return parser


def main(argv=None):
    return analytics.main(TASK, __doc__.splitlines()[0], measure, argv,
        parser=argument_parser())


if __name__ == '__main__':
    sys.exit(main())
