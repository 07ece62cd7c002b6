"""analytics_contribution: the customer contribution (Pareto) report.

value      seconds of ``crm.analytics.contribution``'s ``search_read`` of
           the first 1,000 rows (rank, customer, revenue, purchase days,
           share, cumulative share), as the client opens the list, in the
           context of a company and the three years, access checked as
           over RPC: the database evaluates the table_query (GROUP BY
           customer, ROW_NUMBER and SUM windows over every customer) for
           the search and again for the read of the ids;
reference  one hand-written SQL query: the same GROUP BY party in a
           sub-query, ROW_NUMBER() and SUM() OVER windows for rank, share
           and cumulative share, the first 1,000 rows in rank order.

Extra: ``all_rows_reference_s``, the query fetching every customer's row,
and ``rows_10000_s``, a search_read of the first 10,000 rows (1 run):
trytond 8.0's ``ModelStorage.__init__`` checks every id of a browse for
each record it makes (``assert all(isinstance(i, int) for i in _ids)``),
so a search returning n records costs n squared steps in Python (100,000
rows: several minutes) whatever the model.  The ORM's rows must be the
query's (the same customers in the same order, revenue, purchase days,
shares within 1e-9).  Data: bench/analytics.py.

    python bench/analytics_contribution.py --database sqlite --customers 2000
"""
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import analytics  # noqa: E402
import common  # noqa: E402

TASK = 'analytics_contribution'
FIELDS = ['rank', 'party', 'revenue', 'purchase_days', 'share',
    'cumulative_share']
SQL = '''
SELECT party, ROW_NUMBER() OVER ranked AS rank, revenue, days,
    100.0 * revenue / SUM(revenue) OVER () AS share,
    100.0 * SUM(revenue) OVER (ORDER BY revenue DESC, party
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    / SUM(revenue) OVER () AS cumulative_share
FROM (SELECT party, SUM(amount) AS revenue, COUNT(DISTINCT date) AS days
    FROM crm_purchase WHERE %s GROUP BY party) AS agg
WINDOW ranked AS (ORDER BY revenue DESC, party)
ORDER BY rank%s
'''


def orm_report(session, limit=None):
    "search_read as the client does, access checked; the rows."
    from trytond.transaction import check_access
    Contribution = session.pool.get('crm.analytics.contribution')
    context = dict(session.context, company=analytics.company(session),
        from_date=analytics.START, to_date=analytics.END)
    with session.transaction(readonly=True, context=context), \
            check_access():
        return Contribution.search_read([], limit=limit,
            fields_names=FIELDS)


def sql_report(session, limit=None):
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(SQL % (analytics.period_where(session),
                ' LIMIT %d' % limit if limit else ''))
        return cursor.fetchall()


def money(value):
    return Decimal(str(value)).quantize(Decimal('0.01'))


def compare(rows, reference):
    "The largest difference of the shares; fails unless the rows agree."
    assert len(rows) <= len(reference), (len(rows), len(reference))
    worst = 0.0
    for row, (party, rank, revenue, days, share, cumulative) in zip(
            rows, reference):
        assert (row['party'], row['rank'], row['purchase_days']) == (
            party, rank, days), (row, party, rank, days)
        assert money(row['revenue']) == money(revenue), (row, revenue)
        worst = max(worst, abs(row['share'] - float(share)),
            abs(row['cumulative_share'] - float(cumulative)))
    assert worst < 1e-9, worst
    return worst


def measure(session, options, data):
    runs = options.runs
    page = 1000
    common.progress('contribution: %d search_read of the first %d rows'
        % (runs, page))
    value, peak, rows = analytics.measure(
        lambda: orm_report(session, limit=page), runs)
    common.progress('SQL with window functions: %d runs' % runs)
    reference_value, reference_peak, _ = analytics.measure(
        lambda: sql_report(session, limit=page), runs)
    all_rows, all_rows_peak, reference = analytics.measure(
        lambda: sql_report(session), runs)
    common.progress('search_read of the first 10,000 rows (1 run)')
    many, many_peak, many_rows = analytics.measure(
        lambda: orm_report(session, limit=10000), 1)
    worst = max(compare(rows, reference), compare(many_rows, reference))
    assert len(rows) == min(page, len(reference)) > 0, len(rows)
    top = next(r[1] for r in reference if r[5] >= 80)
    common.progress('ours %.2f s, SQL %.2f s (all rows %.2f s), ORM '
        '10,000 rows %.2f s' % (value, reference_value, all_rows, many))
    note = ('search_read of the first %d rows of crm.analytics.contribution '
        '(%d customers over %d lines) in rank order, as the client opens '
        'the list; the query fetching all %d rows %.2f s (peak %s MB); '
        'search_read of 10,000 rows %.2f s (peak %s MB: trytond\'s browse '
        'is quadratic in the records a search returns); the same '
        'customers, ranks, revenues and purchase days as the query, shares '
        'within %.1g; the top %d customers (%.1f %%) make 80 %% of the '
        'revenue' % (len(rows), len(reference), data['lines'],
            len(reference), all_rows, all_rows_peak, many, many_peak,
            max(worst, 1e-15), top, 100 * top / len(reference)))
    entry = common.result(TASK, session.database.backend,
        analytics.size(data), value, 's',
        'one SQL query: GROUP BY party + ROW_NUMBER/SUM window functions, '
        'first 1,000 rows fetched', reference_value, 'lower', runs=runs,
        note=note, extra={'reference_peak_rss_mb': reference_peak,
            'all_rows_reference_s': all_rows, 'rows_10000_s': many,
            'agreement': 1.0})
    entry['peak_rss_mb'] = peak
    return entry


def main(argv=None):
    return analytics.main(TASK, __doc__.splitlines()[0], measure, argv)


if __name__ == '__main__':
    sys.exit(main())
