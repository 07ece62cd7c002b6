# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import doctest
import itertools
import math
import sqlite3
import unittest
from collections import Counter, defaultdict
from decimal import Decimal

import numpy as np
from scipy import integrate
from scipy.optimize import approx_fprime

from ..engine import clv, contribution, pairs, pgcopy, relationship, rfm


def python_ntile(n, buckets=5):
    "NTILE as SQL defines it: the first n % buckets buckets get one more"
    sizes = [n // buckets + (i < n % buckets) for i in range(buckets)]
    return [i + 1 for i, size in enumerate(sizes) for _ in range(size)]


class RfmTestCase(unittest.TestCase):

    def test_ntile_matches_python_emulation(self):
        for n in range(0, 31):
            self.assertEqual(rfm.ntile(n).tolist(), python_ntile(n), n)

    def random_pairs(self, seed, n):
        rng = np.random.default_rng(seed)
        keys = rng.permutation(np.arange(1000, 1000 + 3 * n, 3))
        # Few distinct values: many ties cross quintile boundaries.
        values = rng.integers(0, 6, n).astype(float)
        return list(zip(keys.tolist(), values.tolist()))

    def test_quintile_scores_match_emulation_with_ties(self):
        for seed, n in [(1, 37), (2, 3), (3, 100), (4, 1)]:
            data = self.random_pairs(seed, n)
            ordered = sorted(data, key=lambda kv: (kv[1], kv[0]))
            expected = {
                k: s for (k, _), s in zip(ordered, python_ntile(n))}
            self.assertEqual(rfm.quintile_scores(data), expected)
            self.assertEqual(
                rfm.quintile_scores(data, higher_is_better=False),
                {k: 6 - s for k, s in expected.items()})
            self.assertEqual(
                rfm.quintile_scores(reversed(data)), expected)

    @unittest.skipIf(sqlite3.sqlite_version_info < (3, 25),
        "SQLite without window functions")
    def test_quintile_scores_match_sql_ntile(self):
        data = self.random_pairs(5, 53)
        connection = sqlite3.connect(':memory:')
        connection.execute('CREATE TABLE t (customer_id INTEGER, value REAL)')
        connection.executemany('INSERT INTO t VALUES (?, ?)', data)
        sql_scores = dict(connection.execute(
                'SELECT customer_id, '
                'NTILE(5) OVER (ORDER BY value, customer_id) FROM t'))
        self.assertEqual(rfm.quintile_scores(data), sql_scores)

    def test_quintile_scores_errors(self):
        self.assertEqual(rfm.quintile_scores([]), {})
        with self.assertRaises(ValueError):
            rfm.quintile_scores([(1, 1.0), (1, 2.0)])
        with self.assertRaises(ValueError):
            rfm.quintile_scores([(1, 1.0), (2, float('nan'))])

    def test_default_mapping_grid(self):
        # Rows R = 5 to 1, columns FM = 1 to 5, worked out from the rules.
        expected = [
            ['new', 'potential', 'loyal', 'champions', 'champions'],
            ['new', 'potential', 'loyal', 'champions', 'champions'],
            ['potential', 'potential', 'loyal', 'loyal', 'loyal'],
            ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'at_risk'],
            ['lost', 'lost', 'at_risk', 'cant_lose', 'cant_lose'],
            ]
        r, fm = np.meshgrid([5, 4, 3, 2, 1], [1, 2, 3, 4, 5], indexing='ij')
        # f = m = fm gives that FM score
        self.assertEqual(rfm.segment(r, fm, fm).tolist(), expected)
        self.assertEqual(rfm.segment(4, 5, 4), 'champions')  # FM 4.5 -> 5
        self.assertEqual(rfm.segment(4, 3, 2), 'loyal')  # FM 2.5 -> 3
        self.assertEqual(rfm.segment(2, 1, 2), 'hibernating')  # FM 1.5 -> 2
        names = {rule[0] for rule in rfm.DEFAULT_MAPPING}
        self.assertEqual(names, {
                'champions', 'loyal', 'potential', 'new', 'at_risk',
                'cant_lose', 'hibernating', 'lost'})

    def test_mapping_validation(self):
        with self.assertRaisesRegex(ValueError, 'without segment'):
            rfm.validate_mapping([('top', (2, 5), (1, 5))])
        with self.assertRaisesRegex(ValueError, 'hidden'):
            rfm.validate_mapping([
                    ('all', (1, 5), (1, 5)), ('never', (5, 5), (5, 5))])
        with self.assertRaisesRegex(ValueError, 'bad ranges'):
            rfm.validate_mapping([('x', (0, 5), (1, 5))])
        with self.assertRaisesRegex(ValueError, 'bad ranges'):
            rfm.validate_mapping([('x', (4, 2), (1, 5))])
        custom = [('good', (3, 5), (1, 5)), ('bad', (1, 5), (1, 5))]
        self.assertEqual(rfm.segment([3, 2], [1, 5], [1, 5], custom).tolist(),
            ['good', 'bad'])

    def test_segment_score_errors(self):
        for r, f, m in [(0, 3, 3), (3, 6, 3), (3, 3, 2.5)]:
            with self.assertRaises(ValueError):
                rfm.segment(r, f, m)


class PairsTestCase(unittest.TestCase):

    # Five baskets (product 2 is on two lines of basket 5):
    #   1: {1, 2, 3}  2: {1, 2}  3: {1, 3}  4: {2, 3}  5: {1, 2, 4}
    # N = 5, n(1) = 4, n(2) = 4, n(3) = 3, n(4) = 1
    # n(12) = 3, n(13) = 2, n(23) = 2, n(14) = 1, n(24) = 1, n(34) = 0
    # 1 -> 2: support 3/5 = 0.6, confidence 3/4, lift 0.75 / 0.8 = 0.9375
    # 3 -> 1: support 0.4, confidence 2/3, lift (2/3) / 0.8 = 0.8333
    # 1 -> 4: support 0.2, confidence 1/4, lift 0.25 / 0.2 = 1.25
    # 4 -> 1: support 0.2, confidence 1, lift 1 / 0.8 = 1.25
    baskets = [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5]
    products = [1, 2, 3, 1, 2, 1, 3, 2, 3, 1, 2, 2, 4]

    def test_hand_counts(self):
        counts = pairs.pair_counts(self.baskets, self.products)
        self.assertEqual(counts.n_baskets, 5)
        self.assertEqual(counts.products.tolist(), [1, 2, 3, 4])
        self.assertEqual(counts.item_counts.tolist(), [4, 4, 3, 1])
        self.assertEqual(
            list(zip(counts.first.tolist(), counts.second.tolist(),
                    counts.pair_counts.tolist())),
            [(1, 2, 3), (1, 3, 2), (1, 4, 1), (2, 3, 2), (2, 4, 1)])

    def test_hand_rules(self):
        counts = pairs.pair_counts(self.baskets, self.products)
        found = pairs.rules(counts, 0.2, 0.2)
        table = {
            (a, b): (s, c, l) for a, b, s, c, l in zip(
                found.antecedent.tolist(), found.consequent.tolist(),
                found.support.tolist(), found.confidence.tolist(),
                found.lift.tolist())}
        self.assertEqual(len(table), 10)
        for rule, expected in [
                ((1, 2), (0.6, 0.75, 0.9375)),
                ((3, 1), (0.4, 2 / 3, 0.8333333)),
                ((1, 4), (0.2, 0.25, 1.25)),
                ((4, 1), (0.2, 1.0, 1.25)),
                ((4, 2), (0.2, 1.0, 1.25)),
                ]:
            np.testing.assert_allclose(table[rule], expected, rtol=1e-6)
        strong = pairs.rules(counts, 0.2, 0.5, min_lift=1.0)
        self.assertEqual(
            list(zip(strong.antecedent.tolist(), strong.consequent.tolist())),
            [(4, 1), (4, 2)])
        self.assertEqual(len(pairs.rules(counts, 0.5, 0.1).antecedent), 2)

    def test_hand_suggestions(self):
        counts = pairs.pair_counts(self.baskets, self.products)
        found = pairs.rules(counts, 0.2, 0.2)
        # Bought 1: 4 (lift 1.25), 2 (0.9375), 3 (lift 0.5 / 0.6 = 0.833).
        self.assertEqual(
            [s.product for s in pairs.suggestions([1], found)], [4, 2, 3])
        self.assertEqual(
            [s.product for s in pairs.suggestions([1, 1], found, 2)], [4, 2])
        # Bought 4: 1 and 2 tie on lift and confidence; lower id first.
        self.assertEqual(pairs.suggestions([4], found), [
                pairs.Suggestion(1, 4, 1.0, 1.25),
                pairs.Suggestion(2, 4, 1.0, 1.25)])
        # Bought 3 and 4: 1 via 4 -> 1 (lift 1.25) rather than 3 -> 1.
        self.assertEqual(pairs.suggestions([3, 4], found)[0].antecedent, 4)
        self.assertEqual(pairs.suggestions([1, 2, 3, 4], found), [])
        self.assertEqual(pairs.suggestions([99], found), [])

    def brute_force(self, baskets, products, min_support, min_confidence,
            min_lift):
        contents = defaultdict(set)
        for basket, product in zip(baskets, products):
            contents[basket].add(product)
        n = len(contents)
        item = Counter(p for items in contents.values() for p in items)
        pair = Counter(
            pair for items in contents.values()
            for pair in itertools.combinations(sorted(items), 2))
        result = {}
        for (a, b), together in pair.items():
            for x, y in [(a, b), (b, a)]:
                support = together / n
                confidence = together / item[x]
                lift = confidence / (item[y] / n)
                if (support >= min_support and confidence >= min_confidence
                        and lift >= min_lift):
                    result[x, y] = (together, support, confidence, lift)
        return item, pair, result

    def random_lines(self, seed):
        rng = np.random.default_rng(seed)
        size = 3000
        baskets = rng.integers(0, 400, size) * 7 - 50
        # Skewed, non-contiguous product ids.
        products = np.minimum(rng.zipf(1.6, size), 40) * 11 + 1000
        return baskets, products

    def test_against_brute_force(self):
        for seed, thresholds in [
                (1, (0.01, 0.1, 0.0)), (2, (0.005, 0.05, 1.1)),
                (3, (0.1, 0.5, 0.0))]:
            baskets, products = self.random_lines(seed)
            item, pair, expected = self.brute_force(
                baskets.tolist(), products.tolist(), *thresholds)
            counts = pairs.pair_counts(baskets, products)
            self.assertEqual(
                dict(zip(counts.products.tolist(),
                        counts.item_counts.tolist())), dict(item))
            self.assertEqual(
                dict(zip(zip(counts.first.tolist(), counts.second.tolist()),
                        counts.pair_counts.tolist())), dict(pair))
            found = pairs.rules(counts, *thresholds)
            self.assertTrue(expected)
            # Same formulas in the same order: equal to the last bit.
            self.assertEqual({
                    (a, b): (n, s, c, l) for a, b, n, s, c, l in zip(
                        *(column.tolist() for column in found))}, expected)

    def test_suggestions_against_brute_force(self):
        baskets, products = self.random_lines(4)
        found = pairs.rules(pairs.pair_counts(baskets, products), 0.005, 0.05)
        rng = np.random.default_rng(4)
        customers = rng.integers(0, 30, 90)
        bought = rng.choice(np.unique(products), 90)
        result = pairs.bulk_suggestions(customers, bought, found, limit=4)
        by_rule = defaultdict(list)
        for a, b, c, l in zip(found.antecedent.tolist(),
                found.consequent.tolist(), found.confidence.tolist(),
                found.lift.tolist()):
            by_rule[a].append((b, c, l))
        owned = defaultdict(set)
        for customer, product in zip(customers.tolist(), bought.tolist()):
            owned[customer].add(product)
        expected = []
        for customer in sorted(owned):
            best = {}
            for a in sorted(owned[customer]):
                for b, c, l in by_rule[a]:
                    if b not in owned[customer] and (
                            b not in best or (l, c) > best[b][:2]):
                        best[b] = (l, c, a)
            ranked = sorted(best, key=lambda b: (-best[b][0], -best[b][1], b))
            expected += [
                (customer, b, best[b][2], rank + 1)
                for rank, b in enumerate(ranked[:4])]
        self.assertEqual(list(zip(result.customer.tolist(),
                    result.product.tolist(), result.antecedent.tolist(),
                    result.rank.tolist())), expected)
        self.assertEqual(
            [(s.product, s.antecedent) for s in pairs.suggestions(
                    owned[customers[0]], found, limit=4)],
            [(p, a) for c, p, a, _ in expected if c == customers[0]])

    def test_empty(self):
        counts = pairs.pair_counts([], [])
        self.assertEqual(counts.n_baskets, 0)
        self.assertEqual(len(pairs.rules(counts, 0.5, 0.5).antecedent), 0)
        single = pairs.pair_counts([1, 2], [5, 5])
        self.assertEqual(len(single.first), 0)
        self.assertEqual(
            pairs.suggestions([5], pairs.rules(single, 0.1, 0.1)), [])
        nothing = pairs.bulk_suggestions([], [], pairs.rules(
                pairs.pair_counts(self.baskets, self.products), 0.1, 0.1))
        self.assertEqual(len(nothing.product), 0)

    def test_sort_fallback_for_huge_keys(self):
        best_first = np.array([2, 0, 1])
        rank = np.array([1, 2, 0, 1])
        for keys in [np.array([7, 3, 7, 3]), np.array([7, 3, 7, 3]) << 60]:
            rules, sorted_keys = pairs._sort_by(keys, rank, best_first)
            self.assertEqual(rules.tolist(), [0, 1, 2, 0])
            self.assertEqual(sorted_keys.tolist(), sorted(keys.tolist()))

    def test_bad_thresholds(self):
        counts = pairs.pair_counts(self.baskets, self.products)
        for thresholds in [
                (0, 0.5), (-0.1, 0.5), (1.01, 0.5), (float('nan'), 0.5),
                (0.5, 0), (0.5, 1.5), (0.5, float('nan'))]:
            with self.assertRaises(ValueError):
                pairs.rules(counts, *thresholds)
        for lift in [-0.1, float('nan'), float('inf')]:
            with self.assertRaises(ValueError):
                pairs.rules(counts, 0.5, 0.5, min_lift=lift)
        self.assertEqual(len(pairs.rules(counts, 1, 1).antecedent), 0)
        with self.assertRaises(ValueError):
            pairs.suggestions([1], pairs.rules(counts, 0.1, 0.1), limit=0)

    def test_bad_ids(self):
        with self.assertRaises(ValueError):
            pairs.pair_counts([1, 2], [1])
        with self.assertRaises(ValueError):
            pairs.pair_counts([1.5, 2], [1, 2])


def simulate_bgnbd(rng, params, T, horizon=0.0):
    """Customers following BG/NBD's generative process over (0, T]

    Returns frequency, recency, whether alive at T and the purchases in
    (T, T + horizon].
    """
    r, alpha, a, b = params
    n = len(T)
    rate = rng.gamma(r, 1 / alpha, n)
    dropout = rng.beta(a, b, n)
    # Drops out right after the lifetime-th repeat purchase.
    lifetime = rng.geometric(dropout)
    seen = rng.poisson(rate * T)
    x = np.minimum(seen, lifetime)
    # The x-th of `seen` uniform purchase times on (0, T].
    t_x = np.where(x > 0, T * rng.beta(np.maximum(x, 1), seen - x + 1), 0.0)
    alive = lifetime > seen
    later = np.where(alive,
        np.minimum(rng.poisson(rate * horizon), lifetime - seen), 0)
    return x.astype(float), t_x, alive, later


def integrate_bgnbd(params, x, t_x, T, t):
    """Likelihood, P(alive) and E[Y(t)] of one customer by integrating
    over the gamma (rate) and beta (dropout) heterogeneity"""
    r, alpha, a, b = params

    def heterogeneity(lam, p):
        return (alpha ** r * lam ** (r - 1) * math.exp(-alpha * lam)
            / math.gamma(r) * p ** (a - 1) * (1 - p) ** (b - 1)
            * math.gamma(a + b) / (math.gamma(a) * math.gamma(b)))

    def alive(lam, p):
        return (1 - p) ** x * lam ** x * math.exp(-lam * T)

    def dropped(lam, p):
        if not x:
            return 0.0
        return p * (1 - p) ** (x - 1) * lam ** x * math.exp(-lam * t_x)

    def future(lam, p):
        # Alive at T, then 1/p (1 - exp(-lambda p t)) purchases expected.
        return alive(lam, p) * -math.expm1(-lam * p * t) / p

    def over_all(function):
        return integrate.dblquad(
            lambda lam, p: function(lam, p) * heterogeneity(lam, p),
            0, 1, 0, np.inf, epsabs=0, epsrel=1e-10)[0]
    likelihood_alive = over_all(alive)
    likelihood = likelihood_alive + over_all(dropped)
    return (likelihood, likelihood_alive / likelihood,
        over_all(future) / likelihood)


class BgNbdTestCase(unittest.TestCase):
    true = clv.BgNbdParams(r=1.5, alpha=6.0, a=0.8, b=2.5)

    @classmethod
    def setUpClass(cls):
        rng = np.random.default_rng(20050101)
        cls.T = rng.uniform(20, 40, 20000)
        cls.x, cls.t_x, cls.alive, cls.later = simulate_bgnbd(
            rng, cls.true, cls.T, horizon=20.0)

    def test_recovers_parameters(self):
        fit = clv.fit_bgnbd(self.x, self.t_x, self.T)
        self.assertTrue(fit.converged)
        self.assertIsInstance(fit.params, clv.BgNbdParams)
        np.testing.assert_allclose(
            fit.params[:2], self.true[:2], rtol=0.1)
        np.testing.assert_allclose(
            fit.params[2:], self.true[2:], rtol=0.25)
        true_likelihood = clv.bgnbd_log_likelihood(
            self.true, self.x, self.t_x, self.T).sum()
        # The maximum is at least as likely as the truth, and close to it.
        self.assertGreaterEqual(fit.log_likelihood, true_likelihood)
        self.assertLess(fit.log_likelihood - true_likelihood, 10)
        self.assertAlmostEqual(fit.log_likelihood, clv.bgnbd_log_likelihood(
                fit.params, self.x, self.t_x, self.T).sum(), places=6)

    def test_predictions_calibrated_on_simulation(self):
        # E[alive] and E[future purchases] given the data average out to
        # what happened, within 4 standard errors.
        n = len(self.x)
        for predicted, actual in [
                (clv.probability_alive(self.true, self.x, self.t_x, self.T),
                    self.alive),
                (clv.expected_purchases(
                        self.true, 20.0, self.x, self.t_x, self.T),
                    self.later)]:
            error = actual - predicted
            self.assertLess(abs(error.sum()), 4 * error.std() * math.sqrt(n))
        new = clv.expected_purchases(self.true, 20.0, 0, 0, 0)
        simulated = simulate_bgnbd(np.random.default_rng(7), self.true,
            np.full(n, 20.0))[0]
        # Purchases of new customers in their first 20 periods.
        self.assertLess(abs(simulated.mean() - new),
            4 * simulated.std() / math.sqrt(n))

    def test_large_a_and_b_calibrated(self):
        # a, b in the hundred thousands (one dropout rate for everyone, as
        # fitted on data with little churn): the transformed 2F1 is
        # 0 * inf there; the predictions stay finite and calibrated.
        params = clv.BgNbdParams(r=0.36, alpha=10.7, a=1.5e4, b=4.1e5)
        rng = np.random.default_rng(11)
        T = rng.uniform(200, 1000, 20000)
        x, t_x, _, later = simulate_bgnbd(rng, params, T, horizon=90.0)
        predicted = clv.expected_purchases(params, 90.0, x, t_x, T)
        self.assertTrue(np.isfinite(predicted).all())
        error = later - predicted
        self.assertLess(abs(error.sum()),
            4 * error.std() * math.sqrt(len(x)))

    def test_against_integration(self):
        for params in [self.true, clv.BgNbdParams(1.3, 3.0, 1.4, 2.5)]:
            for x, t_x, T in [(0, 0, 8.0), (1, 2.0, 8.0), (4, 6.5, 8.0)]:
                likelihood, alive, future = integrate_bgnbd(
                    params, x, t_x, T, 5.0)
                self.assertAlmostEqual(
                    float(clv.bgnbd_log_likelihood(params, x, t_x, T)),
                    math.log(likelihood), places=9)
                self.assertAlmostEqual(
                    float(clv.probability_alive(params, x, t_x, T)), alive,
                    places=9)
                self.assertAlmostEqual(
                    float(clv.expected_purchases(params, 5.0, x, t_x, T))
                    / future, 1, places=8)

    def test_against_closed_form_without_logs(self):
        # The paper's likelihood in its beta function form, no logs.
        def beta(p, q):
            return math.gamma(p) * math.gamma(q) / math.gamma(p + q)
        r, alpha, a, b = params = clv.BgNbdParams(0.243, 4.414, 0.793, 2.426)
        for x, t_x, T in [(0, 0, 38.86), (1, 5, 38.86), (2, 30.43, 38.86),
                (7, 20, 30)]:
            common = math.gamma(r + x) * alpha ** r / math.gamma(r)
            likelihood = (beta(a, b + x) / beta(a, b) * common
                / (alpha + T) ** (r + x))
            if x:
                likelihood += (beta(a + 1, b + x - 1) / beta(a, b) * common
                    / (alpha + t_x) ** (r + x))
            self.assertAlmostEqual(
                float(clv.bgnbd_log_likelihood(params, x, t_x, T)),
                math.log(likelihood), places=10)

    def test_paper_value(self):
        # The paper's CDNOW example: E[Y(39) | x=2, t_x=30.43, T=38.86].
        params = clv.BgNbdParams(0.243, 4.414, 0.793, 2.426)
        self.assertAlmostEqual(
            float(clv.expected_purchases(params, 39, 2, 30.43, 38.86)),
            1.226, places=3)

    def test_gradient(self):
        data = clv._distinct_rows(self.x[:500], self.t_x[:500], self.T[:500])
        point = np.log([0.7, 4.0, 1.3, 3.0])
        _, gradient = clv._bgnbd_objective(point, *data)
        numerical = approx_fprime(
            point, lambda p: clv._bgnbd_objective(p, *data)[0], 1e-7)
        np.testing.assert_allclose(gradient, numerical, rtol=1e-4,
            atol=1e-7)

    def test_no_repeat_is_alive(self):
        alive = clv.probability_alive(
            self.true, [0, 0, 0], [0, 0, 0], [0, 10, 1e6])
        self.assertEqual(alive.tolist(), [1.0, 1.0, 1.0])

    def test_large_counts_finite(self):
        x, t_x, T = [10000, 10000, 50000], [399.9, 200, 1e5], [400, 400, 1e5]
        values = [
            clv.bgnbd_log_likelihood(self.true, x, t_x, T),
            clv.probability_alive(self.true, x, t_x, T),
            clv.expected_purchases(self.true, 10, x, t_x, T),
            ]
        for value in values:
            self.assertTrue(np.isfinite(value).all(), value)
        alive = values[1]
        self.assertTrue(((alive >= 0) & (alive <= 1)).all())
        # Silent 200 periods after buying 25 per period: gone.
        self.assertLess(alive[1], 1e-100)
        # Alive and buying about 25 per period.
        self.assertGreater(values[2][0], 200)
        _, gradient = clv._bgnbd_objective(
            np.log(self.true), np.array(x, dtype=float), np.array(t_x),
            np.array(T), np.ones(3))
        self.assertTrue(np.isfinite(gradient).all())

    def test_a_equal_one(self):
        near = [
            float(clv.expected_purchases(
                    clv.BgNbdParams(1.5, 6.0, a, 2.5), 10, 3, 15, 30))
            for a in (1 - 1e-4, 1.0, 1 + 1e-4)]
        self.assertTrue(np.isfinite(near[1]))
        self.assertAlmostEqual(near[1], (near[0] + near[2]) / 2, places=6)

    def test_fit_errors(self):
        with self.assertRaisesRegex(clv.FitError, 'no repeat'):
            clv.fit_bgnbd([0, 0, 0], [0, 0, 0], [5, 6, 7])
        with self.assertRaises(clv.FitError):
            clv.fit_bgnbd([], [], [])
        with self.assertRaisesRegex(clv.FitError, 'did not converge'):
            clv.fit_bgnbd(self.x, self.t_x, self.T, max_iterations=1)
        fit = clv.fit_bgnbd(
            self.x, self.t_x, self.T, max_iterations=1, strict=False)
        self.assertFalse(fit.converged)
        self.assertTrue(issubclass(clv.FitError, ValueError))

    def test_bad_input(self):
        for x, t_x, T in [([-1], [0], [5]), ([1.5], [1], [5]),
                ([1], [6], [5]), ([0], [2], [5]), ([1], [-1], [5]),
                ([1], [float('nan')], [5])]:
            with self.assertRaises(ValueError):
                clv.probability_alive(self.true, x, t_x, T)
        with self.assertRaises(ValueError):
            clv.expected_purchases(self.true, -1, 1, 1, 5)


def integrate_gamma_gamma(params, x, m):
    "Density of the mean value m and E[mean value] given m by integration"
    p, q, gamma = params

    def heterogeneity(nu):
        return gamma ** q * nu ** (q - 1) * math.exp(-gamma * nu) / math.gamma(
            q)

    def density(nu):
        # x purchases of Gamma(p, nu) each: their mean is Gamma(px, nu x).
        shape, rate = p * x, nu * x
        return (rate ** shape * m ** (shape - 1) * math.exp(-rate * m)
            / math.gamma(shape))
    upper = 50 * (p * x + q) / (gamma + m * x)
    options = dict(epsabs=0, epsrel=1e-11, limit=200)
    likelihood = integrate.quad(
        lambda nu: density(nu) * heterogeneity(nu), 0, upper, **options)[0]
    mean = integrate.quad(
        lambda nu: p / nu * density(nu) * heterogeneity(nu), 0, upper,
        **options)[0]
    return likelihood, mean / likelihood


class GammaGammaTestCase(unittest.TestCase):
    true = clv.GammaGammaParams(p=6.25, q=3.74, gamma=15.44)

    def test_recovers_parameters(self):
        rng = np.random.default_rng(2005)
        n = 20000
        x = 1 + rng.poisson(3, n).astype(float)
        nu = rng.gamma(self.true.q, 1 / self.true.gamma, n)
        m = rng.gamma(self.true.p * x, 1 / (nu * x))
        # Customers without repeat purchase are left out of the fit.
        x[:1000], m[:1000] = 0, 0
        fit = clv.fit_gamma_gamma(x, m)
        self.assertTrue(fit.converged)
        np.testing.assert_allclose(fit.params, self.true, rtol=0.2)
        p, q, gamma = fit.params
        self.assertAlmostEqual(p * gamma / (q - 1) / (
                self.true.p * self.true.gamma / (self.true.q - 1)), 1,
            delta=0.03)
        self.assertGreaterEqual(fit.log_likelihood,
            clv.gamma_gamma_log_likelihood(
                self.true, x[1000:], m[1000:]).sum())

    def test_against_integration(self):
        for x, m in [(1, 20.0), (3, 41.5), (12, 9.0)]:
            likelihood, mean = integrate_gamma_gamma(self.true, x, m)
            self.assertAlmostEqual(
                float(clv.gamma_gamma_log_likelihood(self.true, x, m)),
                math.log(likelihood), places=8)
            self.assertAlmostEqual(
                float(clv.expected_average_value(self.true, x, m)) / mean,
                1, places=8)

    def test_expected_value_weights(self):
        p, q, gamma = self.true
        population = p * gamma / (q - 1)
        values = clv.expected_average_value(
            self.true, [0, 1, 1e6], [0, 100.0, 100.0])
        self.assertAlmostEqual(values[0], population)
        # A weighted mean of the population mean and the customer's own.
        weight = p / (p + q - 1)
        self.assertAlmostEqual(
            values[1], (1 - weight) * population + weight * 100)
        self.assertAlmostEqual(values[2], 100, places=3)
        with self.assertRaises(ValueError):
            clv.expected_average_value(clv.GammaGammaParams(1, 1, 1), 1, 1)

    def test_gradient(self):
        rng = np.random.default_rng(3)
        x = 1 + rng.poisson(2, 300).astype(float)
        data = clv._distinct_rows(x, rng.gamma(2, 10, 300))
        point = np.log([3.0, 2.5, 12.0])
        _, gradient = clv._gamma_gamma_objective(point, *data)
        numerical = approx_fprime(
            point, lambda p: clv._gamma_gamma_objective(p, *data)[0], 1e-7)
        np.testing.assert_allclose(gradient, numerical, rtol=1e-4,
            atol=1e-7)

    def test_large_counts_finite(self):
        values = clv.gamma_gamma_log_likelihood(self.true, [10000], [25.0])
        self.assertTrue(np.isfinite(values).all())

    def test_fit_errors(self):
        with self.assertRaises(clv.FitError):
            clv.fit_gamma_gamma([0, 0, 1], [0, 0, 10])
        # No spread at all: p and q run away.
        with self.assertRaisesRegex(clv.FitError, 'bound'):
            clv.fit_gamma_gamma([1, 2, 3, 4, 5], [20.0] * 5)
        with self.assertRaises(ValueError):
            clv.fit_gamma_gamma([1, 2], [10, -1])


class ClvTestCase(unittest.TestCase):
    bgnbd = clv.BgNbdParams(0.243, 4.414, 0.793, 2.426)
    spend = clv.GammaGammaParams(6.25, 3.74, 15.44)
    data = ([0, 2, 7], [0, 30.43, 35], [38.86, 38.86, 38.86],
        [0, 20.0, 55.0])

    def test_undiscounted(self):
        x, t_x, T, m = self.data
        value = clv.customer_lifetime_value(
            self.bgnbd, self.spend, x, t_x, T, m, months=12,
            periods_per_month=4.345)
        np.testing.assert_allclose(value,
            clv.expected_purchases(self.bgnbd, 12 * 4.345, x, t_x, T)
            * clv.expected_average_value(self.spend, x, m), rtol=1e-12)

    def test_discounted_month_by_month(self):
        x, t_x, T, m = self.data
        expected = np.zeros(3)
        for month in range(1, 7):
            purchases = (
                clv.expected_purchases(self.bgnbd, month * 30, x, t_x, T)
                - clv.expected_purchases(
                    self.bgnbd, (month - 1) * 30, x, t_x, T))
            expected += purchases / 1.01 ** month
        expected *= clv.expected_average_value(self.spend, x, m)
        value = clv.customer_lifetime_value(self.bgnbd, self.spend, x, t_x,
            T, m, months=6, monthly_discount_rate=0.01)
        np.testing.assert_allclose(value, expected, rtol=1e-12)
        self.assertTrue((value < clv.customer_lifetime_value(
                    self.bgnbd, self.spend, x, t_x, T, m, months=6)).all())

    def test_bad_arguments(self):
        for options in [{'months': 0}, {'months': 1.5},
                {'monthly_discount_rate': -0.1}, {'periods_per_month': 0}]:
            with self.assertRaises(ValueError):
                clv.customer_lifetime_value(
                    self.bgnbd, self.spend, *self.data, **options)


class SummaryTestCase(unittest.TestCase):

    def brute_force(self, customers, days, amounts, end, period_length):
        by_customer = defaultdict(lambda: defaultdict(float))
        for customer, day, amount in zip(customers, days, amounts):
            if day <= end:
                by_customer[customer][math.floor(day / period_length)] += (
                    amount)
        result = []
        for customer in sorted(by_customer):
            periods = by_customer[customer]
            first, last = min(periods), max(periods)
            repeat = [v for k, v in periods.items() if k != first]
            result.append((customer, len(periods) - 1, last - first,
                    math.floor(end / period_length) - first,
                    sum(repeat) / len(repeat) if repeat else 0.0))
        return result

    def test_against_brute_force(self):
        rng = np.random.default_rng(11)
        n = 2000
        customers = rng.integers(0, 300, n) * 5
        days = rng.integers(0, 400, n).astype(float)
        amounts = rng.gamma(2, 30, n).round(2)
        for end, period_length in [(365, 1), (365, 7), (500, 30)]:
            summary = clv.summary_from_transactions(
                customers, days, amounts, end, period_length)
            expected = self.brute_force(customers.tolist(), days.tolist(),
                amounts.tolist(), end, period_length)
            self.assertEqual(summary.customers.tolist(),
                [e[0] for e in expected])
            for i, column in enumerate(summary[1:4], 1):
                self.assertEqual(column.tolist(), [e[i] for e in expected])
            np.testing.assert_allclose(
                summary.monetary, [e[4] for e in expected], rtol=1e-12)

    def test_feeds_the_models(self):
        summary = clv.summary_from_transactions(
            [1, 1, 1, 2, 3, 3], [0, 5, 9, 3, 1, 1], [5, 7, 9, 4, 2, 3], 10)
        self.assertEqual(summary.frequency.tolist(), [2, 0, 0])
        self.assertEqual(summary.monetary.tolist(), [8.0, 0.0, 0.0])
        alive = clv.probability_alive(clv.BgNbdParams(1, 1, 1, 1),
            summary.frequency, summary.recency, summary.T)
        self.assertEqual(alive.shape, (3,))

    def test_empty_and_errors(self):
        summary = clv.summary_from_transactions([], [], [], 10)
        self.assertEqual(len(summary.customers), 0)
        summary = clv.summary_from_transactions([1], [20], [5.0], 10)
        self.assertEqual(len(summary.customers), 0)
        with self.assertRaises(ValueError):
            clv.summary_from_transactions([1, 2], [1], [1, 2], 10)
        with self.assertRaises(ValueError):
            clv.summary_from_transactions([1], [1], [1], 10, period_length=0)


class ContributionTestCase(unittest.TestCase):
    data = [(1, 50.0), (2, 30.0), (3, 20.0)]

    def test_hand_example(self):
        ranking = contribution.cumulative_shares(self.data)
        self.assertEqual(ranking.keys.tolist(), [1, 2, 3])
        self.assertEqual(ranking.cumulative_share.tolist(), [0.5, 0.8, 1.0])
        for share, count in [
                (0.1, 1), (0.5, 1), (0.51, 2), (0.8, 2), (0.81, 3),
                (1.0, 3)]:
            self.assertEqual(contribution.top_share(self.data, share), count)

    def test_ties_by_key(self):
        data = [(9, 10.0), (3, 10.0), (5, 10.0), (4, 30.0)]
        for order in itertools.permutations(data):
            ranking = contribution.cumulative_shares(order)
            self.assertEqual(ranking.keys.tolist(), [4, 3, 5, 9])

    def test_against_brute_force(self):
        rng = np.random.default_rng(8)
        values = rng.pareto(1.2, 500).round(1)
        data = list(zip(rng.permutation(500).tolist(), values.tolist()))
        ranked = sorted(data, key=lambda kv: (-kv[1], kv[0]))
        total = sum(v for _, v in data)
        for share in [0.2, 0.5, 0.8, 0.95, 1.0]:
            running, count = 0.0, 0
            for _, value in ranked:
                if running >= share * total * (1 - 1e-12):
                    break
                running += value
                count += 1
            self.assertEqual(contribution.top_share(data, share), count)
        self.assertEqual(contribution.cumulative_shares(data).keys.tolist(),
            [k for k, _ in ranked])

    def test_edge_cases(self):
        self.assertEqual(contribution.top_share([], 0.8), 0)
        self.assertEqual(contribution.top_share([(1, 0), (2, 0)], 0.8), 0)
        for share in [0, -0.5, 1.2, float('nan')]:
            with self.assertRaises(ValueError):
                contribution.top_share(self.data, share)
        with self.assertRaises(ValueError):
            contribution.cumulative_shares([(1, -5.0)])
        with self.assertRaises(ValueError):
            contribution.cumulative_shares([(1, 5.0), (1, 6.0)])


class RelationshipTestCase(unittest.TestCase):
    arguments = dict(csat=[5, 1, np.nan, 3], repeat_purchases=[3, 0, 10, 1],
        referrals=[0, 0, 2, 1], tenure_days=[365, 10, 1000, 365],
        recency_days=[0, 300, 30, 90], value=[100.0, 0.0, 400.0, 50.0])

    def test_components(self):
        result = relationship.relationship_index(**self.arguments)
        # Median of the positive values (50, 100, 400) is 100.
        np.testing.assert_allclose(result.components['value'],
            [0.5, 0, 0.8, 1 / 3])
        np.testing.assert_allclose(result.components['satisfaction'],
            [1, 0, 0.5, 0.5])
        np.testing.assert_allclose(result.components['loyalty'],
            [0.5, 0, 14 / 17, 0.5])
        np.testing.assert_allclose(result.components['stability'][[0, 3]],
            [math.sqrt(0.5), 0.5])
        np.testing.assert_allclose(result.index, 25 * sum(
                result.components.values()))

    def test_contributions_add_up(self):
        weights = {'satisfaction': 3, 'loyalty': 1, 'stability': 0,
            'value': 1}
        result = relationship.relationship_index(
            **self.arguments, weights=weights)
        np.testing.assert_allclose(
            sum(result.contributions.values()), result.index)
        np.testing.assert_allclose(result.contributions['satisfaction'],
            60 * result.components['satisfaction'])
        self.assertEqual(result.contributions['stability'].tolist(),
            [0, 0, 0, 0])
        self.assertTrue(((result.index >= 0) & (result.index <= 100)).all())
        scaled = relationship.relationship_index(**self.arguments,
            weights={k: 10 * v for k, v in weights.items()})
        np.testing.assert_allclose(scaled.index, result.index)

    def test_monotonic(self):
        better = dict(self.arguments, csat=[5, 2, 4, 4])
        self.assertTrue((relationship.relationship_index(**better).index
                >= relationship.relationship_index(**self.arguments).index
                ).all())

    def test_extremes(self):
        best = relationship.relationship_index(
            [5], [1e12], [0], [1e12], [0], [1e12], value_reference=1)
        self.assertAlmostEqual(float(best.index[0]), 100, places=4)
        worst = relationship.relationship_index(
            [1], [0], [0], [0], [1e4], [0])
        self.assertEqual(worst.index.tolist(), [0.0])

    def test_bad_weights_and_values(self):
        for weights in [{'satisfaction': -1}, {'value': 0},
                {'charm': 1}, {'loyalty': float('nan')}]:
            with self.assertRaises(ValueError):
                relationship.normalised_weights(weights)
        for name, bad in [('csat', [6, 1, 1, 1]),
                ('repeat_purchases', [-1, 0, 0, 0]),
                ('recency_days', [np.nan, 0, 0, 0])]:
            with self.assertRaises(ValueError):
                relationship.relationship_index(
                    **dict(self.arguments, **{name: bad}))
        with self.assertRaises(ValueError):
            relationship.value_score([1.0], reference=0)


class PgCopyTestCase(unittest.TestCase):
    "Binary COPY rows read back by a decoder written from PostgreSQL's docs"

    @staticmethod
    def decode(data):
        "The rows of data, each a list of the fields' raw bytes"
        assert data.startswith(pgcopy.SIGNATURE), data[:11]
        position, rows = 19, []
        while True:
            count = int.from_bytes(data[position:position + 2], 'big',
                signed=True)
            position += 2
            if count == -1:
                break
            row = []
            for _ in range(count):
                length = int.from_bytes(data[position:position + 4], 'big',
                    signed=True)
                row.append(data[position + 4:position + 4 + length])
                position += 4 + length
            rows.append(row)
        assert position == len(data)
        return rows

    @staticmethod
    def numeric(raw):
        ndigits, weight, sign, scale = (int.from_bytes(
                raw[i:i + 2], 'big', signed=i != 4) for i in range(0, 8, 2))
        digits = [int.from_bytes(raw[8 + 2 * i:10 + 2 * i], 'big')
            for i in range(ndigits)]
        assert all(0 <= d < 10000 for d in digits)
        value = sum(Decimal(d) * Decimal(10000) ** (weight - i)
            for i, d in enumerate(digits))
        value = value.quantize(Decimal(1).scaleb(-scale))
        return -value if sign == 0x4000 else value

    def test_values(self):
        money = [0, 12.5, -0.25, 123456789.99, -7, 9999999999999.99]
        data = pgcopy.rows(
            ['int4', ('numeric', 2), 'float8', 'date', 'timestamp', 'bool',
                'text', 'int4'],
            [np.array([1, -2, 3, 2 ** 31 - 1, 0, 5]), np.array(money),
                np.array([0.5, -1e300, np.inf, 0.0, 1 / 3, 2.0]),
                np.datetime64('2025-03-01', 'D') + np.arange(6),
                dt.datetime(2026, 12, 4, 8, 30, 15, 250),
                np.array([True, False] * 3), np.array(['甲', '乙'] * 3),
                7], 6)
        rows = self.decode(data)
        self.assertEqual(len(rows), 6)
        for number, row in enumerate(rows):
            integer, amount, real, date, stamp, flag, text, constant = row
            self.assertEqual(int.from_bytes(integer, 'big', signed=True),
                [1, -2, 3, 2 ** 31 - 1, 0, 5][number])
            self.assertEqual(self.numeric(amount),
                Decimal(str(money[number])).quantize(Decimal('0.01')))
            self.assertEqual(np.frombuffer(real, '>f8')[0],
                [0.5, -1e300, np.inf, 0.0, 1 / 3, 2.0][number])
            self.assertEqual(dt.date(2000, 1, 1) + dt.timedelta(
                    days=int.from_bytes(date, 'big', signed=True)),
                dt.date(2025, 3, 1) + dt.timedelta(days=number))
            self.assertEqual(dt.datetime(2000, 1, 1) + dt.timedelta(
                    microseconds=int.from_bytes(stamp, 'big', signed=True)),
                dt.datetime(2026, 12, 4, 8, 30, 15, 250))
            self.assertEqual(flag, bytes([number % 2 == 0]))
            self.assertEqual(text.decode(), '甲乙'[number % 2])
            self.assertEqual(int.from_bytes(constant, 'big'), 7)

    def test_falls_back_to_text(self):
        "None when a value has no fixed-width encoding"
        for kind, column in [
                ('int4', [1, None]), ('text', ['a', 'bc']),
                ('int4', [2 ** 31, 1]), (('numeric', 2), [1e16, 0]),
                (('numeric', 6), [1.0, 2.0]), (None, [1, 2]),
                ('text', None)]:
            with self.subTest(kind=kind, column=column):
                self.assertIsNone(pgcopy.rows([kind], [column], 2))
        self.assertEqual(pgcopy.rows(['int4'], [[]], 0),
            pgcopy.HEADER + pgcopy.TRAILER)


def load_tests(loader, tests, pattern):
    for module in [rfm, pairs, clv, contribution, relationship, pgcopy]:
        tests.addTests(doctest.DocTestSuite(module))
    return tests
