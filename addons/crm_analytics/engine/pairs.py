# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Product-pair association rules (cross-sell), computed in bulk.

With N baskets, n(a) the baskets holding product a and n(ab) those
holding both a and b, the rule a -> b has the textbook measures:

    support = n(ab) / N
    confidence = n(ab) / n(a)
    lift = confidence / (n(b) / N)

>>> counts = pair_counts([1, 1, 2, 2, 3], [10, 20, 10, 20, 10])
>>> found = rules(counts, min_support=0.5, min_confidence=0.5)
>>> found.antecedent.tolist(), found.consequent.tolist()
([10, 20], [20, 10])
>>> found.confidence.tolist()
[0.6666666666666666, 1.0]
"""
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp


class PairCounts(NamedTuple):
    products: np.ndarray  # sorted distinct product ids
    item_counts: np.ndarray  # baskets holding each of products
    first: np.ndarray  # product id, first < second
    second: np.ndarray
    pair_counts: np.ndarray  # baskets holding both first and second
    n_baskets: int


class Rules(NamedTuple):
    antecedent: np.ndarray
    consequent: np.ndarray
    pair_count: np.ndarray
    support: np.ndarray
    confidence: np.ndarray
    lift: np.ndarray


class Suggestions(NamedTuple):
    customer: np.ndarray
    product: np.ndarray
    antecedent: np.ndarray  # the bought product behind the best rule
    confidence: np.ndarray
    lift: np.ndarray
    rank: np.ndarray  # 1 for the best suggestion of each customer


class Suggestion(NamedTuple):
    product: int
    antecedent: int
    confidence: float
    lift: float


def _integer_columns(*columns):
    arrays = [np.asarray(c) for c in columns]
    if any(a.ndim != 1 or len(a) != len(arrays[0]) for a in arrays):
        raise ValueError("expected 1-D arrays of equal length")
    if any(len(a) and not np.issubdtype(a.dtype, np.integer)
            for a in arrays):
        raise ValueError("expected integer ids")
    return [a.astype(np.int64) for a in arrays]


def pair_counts(basket_ids, product_ids):
    """Count baskets per product and per pair of products

    One row per purchase line; a product repeated within a basket counts
    once.

    >>> counts = pair_counts([7, 7, 7, 8], [1, 2, 2, 2])
    >>> counts.products.tolist(), counts.item_counts.tolist()
    ([1, 2], [1, 2])
    >>> counts.first.tolist(), counts.second.tolist()
    ([1], [2])
    >>> counts.pair_counts.tolist(), counts.n_baskets
    ([1], 2)
    """
    basket_ids, product_ids = _integer_columns(basket_ids, product_ids)
    baskets, basket_index = np.unique(basket_ids, return_inverse=True)
    products, product_index = np.unique(product_ids, return_inverse=True)
    incidence = sp.csr_matrix(
        (np.ones(len(basket_index), dtype=np.int64),
            (basket_index, product_index)),
        shape=(len(baskets), len(products)))
    # The conversion summed repeated lines; a basket counts once.
    incidence.data[:] = 1
    item_counts = np.asarray(incidence.sum(axis=0)).ravel()
    co_occurrence = sp.triu(incidence.T @ incidence, k=1).tocoo()
    order = np.lexsort((co_occurrence.col, co_occurrence.row))
    return PairCounts(
        products=products,
        item_counts=item_counts.astype(np.int64),
        first=products[co_occurrence.row[order]],
        second=products[co_occurrence.col[order]],
        pair_counts=co_occurrence.data[order].astype(np.int64),
        n_baskets=len(baskets))


def _check_threshold(name, value, upper=1.0):
    if not (0 < value <= upper):
        raise ValueError(f"{name} must be in (0, {upper}], not {value!r}")


def rules(counts, min_support, min_confidence, min_lift=0.0):
    """Rules a -> b (both directions of every pair) passing all thresholds

    Sorted by antecedent then consequent.

    >>> counts = pair_counts([1, 1, 2, 2, 3], [10, 20, 10, 30, 20])
    >>> found = rules(counts, 0.3, 0.5, min_lift=1.0)
    >>> found.antecedent.tolist(), found.consequent.tolist()
    ([10, 30], [30, 10])
    >>> found.confidence.round(4).tolist(), found.lift.round(4).tolist()
    ([0.5, 1.0], [1.5, 1.5])
    >>> rules(counts, 0, 0.5)
    Traceback (most recent call last):
        ...
    ValueError: min_support must be in (0, 1.0], not 0
    """
    _check_threshold('min_support', min_support)
    _check_threshold('min_confidence', min_confidence)
    if not (min_lift >= 0 and np.isfinite(min_lift)):
        raise ValueError(f"min_lift must be >= 0, not {min_lift!r}")
    n_baskets = counts.n_baskets
    support = counts.pair_counts / n_baskets if n_baskets else np.empty(0)
    keep = support >= min_support
    first, second = counts.first[keep], counts.second[keep]
    together, support = counts.pair_counts[keep], support[keep]
    count_of = counts.item_counts
    first_count = count_of[np.searchsorted(counts.products, first)]
    second_count = count_of[np.searchsorted(counts.products, second)]
    antecedent = np.concatenate([first, second])
    consequent = np.concatenate([second, first])
    together = np.concatenate([together, together])
    support = np.concatenate([support, support])
    antecedent_count = np.concatenate([first_count, second_count])
    consequent_count = np.concatenate([second_count, first_count])
    confidence = together / antecedent_count
    lift = confidence / (consequent_count / n_baskets)
    keep = (confidence >= min_confidence) & (lift >= min_lift)
    order = np.lexsort((consequent[keep], antecedent[keep]))
    return Rules(*(
            column[keep][order] for column in [
                antecedent, consequent, together, support, confidence,
                lift]))


def _group_starts(sorted_keys):
    "Mask of the first row of each run of equal keys"
    starts = np.ones(len(sorted_keys), dtype=bool)
    starts[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return starts


def _sort_by(keys, rule_rank, best_first):
    "Sort by keys then rule rank; return the rules and the sorted keys"
    n_rules = len(best_first)
    if (int(keys.max(initial=0)) + 1) * n_rules < 2 ** 62:
        # One integer sort is about twice as fast as lexsort.
        combined = np.sort(keys * n_rules + rule_rank)
        keys, rule_rank = np.divmod(combined, n_rules)
    else:
        order = np.lexsort((rule_rank, keys))
        keys, rule_rank = keys[order], rule_rank[order]
    return best_first[rule_rank], keys


def bulk_suggestions(customer_ids, product_ids, rules, limit=None):
    """Products to suggest to many customers at once

    customer_ids, product_ids: one row per product a customer bought.  A
    product is suggested when some rule leads to it from a bought product
    and the customer has not bought it; it is ranked by its best rule:
    highest lift, then highest confidence, then lowest product id.  At
    most `limit` (None: all) per customer, sorted by customer then rank.
    rules: as rules() returns them (sorted by antecedent).

    >>> found = rules(pair_counts([1, 1, 2, 2, 3, 3], [5, 6, 5, 6, 5, 7]),
    ...     0.1, 0.1)
    >>> result = bulk_suggestions([40, 41], [6, 7], found)
    >>> result.customer.tolist(), result.product.tolist()
    ([40, 41], [5, 5])
    """
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be >= 1 or None, not {limit!r}")
    customer_ids, product_ids = _integer_columns(customer_ids, product_ids)
    customers, customer_code = np.unique(customer_ids, return_inverse=True)
    products = np.unique(np.concatenate([product_ids, rules.consequent]))
    width = len(products)
    owned = np.sort(
        customer_code * width + np.searchsorted(products, product_ids))
    owned = owned[_group_starts(owned)]
    owned_customer, owned_product = np.divmod(owned, width)
    # Rules best first: one integer key replaces sorting on float columns.
    best_first = np.lexsort((rules.antecedent, rules.consequent,
            -rules.confidence, -rules.lift))
    rule_rank = np.empty(len(best_first), dtype=np.int64)
    rule_rank[best_first] = np.arange(len(best_first))
    # Join each bought product with the rules it is the antecedent of.
    start = np.searchsorted(rules.antecedent, products[owned_product])
    stop = np.searchsorted(
        rules.antecedent, products[owned_product], side='right')
    lengths = stop - start
    rule = (np.arange(lengths.sum())
        - np.repeat(np.cumsum(lengths) - lengths, lengths)
        + np.repeat(start, lengths))
    candidate = (np.repeat(owned_customer, lengths) * width
        + np.searchsorted(products, rules.consequent)[rule])
    # Keep the best rule of each (customer, product) not bought yet.
    rule, candidate = _sort_by(candidate, rule_rank[rule], best_first)
    first = _group_starts(candidate)
    rule, candidate = rule[first], candidate[first]
    found = np.minimum(np.searchsorted(owned, candidate), len(owned) - 1)
    fresh = owned[found] != candidate if len(owned) else np.ones(0, bool)
    rule, customer = rule[fresh], candidate[fresh] // width
    # A customer's products are distinct: the rule order ranks them.
    rule, customer = _sort_by(customer, rule_rank[rule], best_first)
    starts = np.flatnonzero(_group_starts(customer))
    sizes = np.diff(np.append(starts, len(customer)))
    rank = np.arange(len(customer)) - np.repeat(starts, sizes) + 1
    if limit is not None:
        rule, customer, rank = (
            column[rank <= limit] for column in (rule, customer, rank))
    return Suggestions(
        customer=customers[customer],
        product=rules.consequent[rule],
        antecedent=rules.antecedent[rule],
        confidence=rules.confidence[rule],
        lift=rules.lift[rule],
        rank=rank)


def suggestions(customer_products, rules, limit=None):
    """Products to suggest to one customer who bought customer_products

    Ranked as bulk_suggestions does.

    >>> counts = pair_counts([1, 1, 2, 2, 3], [10, 20, 10, 30, 20])
    >>> suggestions([20], rules(counts, 0.1, 0.1), limit=5)
    [Suggestion(product=10, antecedent=20, confidence=0.5, lift=0.75)]
    """
    customer_products = list(customer_products)
    result = bulk_suggestions(
        np.zeros(len(customer_products), dtype=np.int64),
        np.asarray(customer_products, dtype=np.int64), rules, limit)
    return [
        Suggestion(*row) for row in zip(
            result.product.tolist(), result.antecedent.tolist(),
            result.confidence.tolist(), result.lift.tolist())]
