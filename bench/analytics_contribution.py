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
shares within 1e-9).  ``export_s``: the report's *Export to Excel* of
every row (1 run; read by one query, not by browsing), next to
``export_reference_s``: the query's rows written by xlsxwriter alone;
the export must hold every customer.  Data: bench/analytics.py.

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


def export(session):
    "Export to Excel of the whole report as the client's button"
    from trytond.transaction import check_access
    pool = session.pool
    Report = pool.get('crm.analytics.xlsx', type='report')
    ActionReport = pool.get('ir.action.report')
    context = dict(session.context, company=analytics.company(session),
        from_date=analytics.START, to_date=analytics.END)
    with session.transaction(readonly=True, context=context), \
            check_access():
        action, = ActionReport.search([
                ('report_name', '=', 'crm.analytics.xlsx'),
                ('model', '=', 'crm.analytics.contribution')])
        _, content, _, _ = Report.execute([], {
                'model': 'crm.analytics.contribution',
                'action_id': action.id})
    return content


def exported_rows(content):
    "The rows of a customer in the exported workbook"
    import io

    import openpyxl
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return sum(1 for row in sheet.active.iter_rows(values_only=True)
        if isinstance(row[0], int))


def xlsxwriter_export(session):
    "The query's rows written by xlsxwriter, as the reference"
    import io

    import xlsxwriter
    rows = sql_report(session)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'constant_memory': True})
    sheet = book.add_worksheet()
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, [float(v) if isinstance(v, Decimal)
                else v for v in row])
    book.close()
    return len(rows)


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
    common.progress('Export to Excel of every row (1 run)')
    exported, export_peak, content = analytics.measure(
        lambda: export(session), 1)
    rows_exported = exported_rows(content)
    export_reference, _, _ = analytics.measure(
        lambda: xlsxwriter_export(session), 1)
    assert rows_exported == len(reference), (rows_exported, len(reference))
    worst = max(compare(rows, reference), compare(many_rows, reference))
    assert len(rows) == min(page, len(reference)) > 0, len(rows)
    top = next(r[1] for r in reference if r[5] >= 80)
    common.progress('ours %.2f s, SQL %.2f s (all rows %.2f s), ORM '
        '10,000 rows %.2f s, export of every row %.2f s (xlsxwriter '
        '%.2f s)' % (value, reference_value, all_rows, many, exported,
            export_reference))
    note = ('search_read of the first %d rows of crm.analytics.contribution '
        '(%d customers over %d lines) in rank order, as the client opens '
        'the list; the query fetching all %d rows %.2f s (peak %s MB); '
        'search_read of 10,000 rows %.2f s (peak %s MB: trytond\'s browse '
        'is quadratic in the records a search returns); the same '
        'customers, ranks, revenues and purchase days as the query, shares '
        'within %.1g; the top %d customers (%.1f %%) make 80 %% of the '
        'revenue; Export to Excel of all %d rows %.1f s (peak %s MB), the '
        'query\'s rows written by xlsxwriter alone %.1f s' % (
            len(rows), len(reference), data['lines'],
            len(reference), all_rows, all_rows_peak, many, many_peak,
            max(worst, 1e-15), top, 100 * top / len(reference),
            rows_exported, exported, export_peak, export_reference))
    entry = common.result(TASK, session.database.backend,
        analytics.size(data), value, 's',
        'one SQL query: GROUP BY party + ROW_NUMBER/SUM window functions, '
        'first 1,000 rows fetched', reference_value, 'lower', runs=runs,
        note=note, extra={'reference_peak_rss_mb': reference_peak,
            'all_rows_reference_s': all_rows, 'rows_10000_s': many,
            'export_s': exported, 'export_reference_s': export_reference,
            'agreement': 1.0})
    entry['peak_rss_mb'] = peak
    return entry


def main(argv=None):
    return analytics.main(TASK, __doc__.splitlines()[0], measure, argv)


if __name__ == '__main__':
    sys.exit(main())
