"""analytics_rfm: an RFM run of crm_analytics over every customer.

value      seconds of ``crm.analytics.run``'s ``process`` (what the queue
           worker runs after the Run button) of an RFM run over the three
           years of purchases, committed: recency, frequency (purchase
           days) and monetary per customer, NTILE(5) scores, segments,
           value tiers and the relationship index, one row stored per
           customer (PostgreSQL: all in one INSERT ... SELECT; SQLite:
           the aggregates read by one query, scored by the engine in
           numpy with the same NTILE rule, inserted by executemany);
           "Update Customers" off;
reference  (a) one hand-written SQL ``GROUP BY party`` of recency,
           frequency and monetary (first and last date, COUNT(DISTINCT
           date), SUM(amount)), every row fetched: the target is ours
           within 2x of it; (b) extra: pandas, the lines read by SQL into
           a DataFrame, ``groupby('party').agg`` and scores by
           ``rank(method='first')`` + ``qcut(5)``, FM score and segment.

The stored aggregates must equal the SQL query's; ``agreement`` is the
share of customers whose R, F and M scores all equal pandas' (qcut cuts
quintiles a row apart from NTILE when the count is not a multiple of 5).
Data: bench/analytics.py.

    python bench/analytics_rfm.py --database sqlite --customers 2000
"""
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import analytics  # noqa: E402
import common  # noqa: E402

TASK = 'analytics_rfm'


def sql_group_by(session):
    "The hand-written query; its rows {party: (recency, frequency, money)}."
    backend = session.database.backend
    end = analytics.END.isoformat()
    if backend == 'postgresql':
        recency = "DATE '%s' - MAX(date)" % end
    else:
        recency = ("CAST(JULIANDAY('%s') - JULIANDAY(MAX(date)) AS INTEGER)"
            % end)
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT party, MIN(date), MAX(date), %s, '
            'COUNT(DISTINCT date), SUM(amount) FROM crm_purchase '
            'WHERE %s GROUP BY party' % (recency,
                analytics.period_where(session)))
        rows = cursor.fetchall()
    return {r[0]: (r[3], r[4], r[5]) for r in rows}


def pandas_rfm(session):
    "pandas from the lines; a DataFrame of party, r, f, m, fm, segment."
    import numpy as np
    import pandas as pd

    from trytond.modules.crm_analytics.engine import rfm
    backend = session.database.backend
    cast = 'DOUBLE PRECISION' if backend == 'postgresql' else 'REAL'
    rows = analytics.fetch_lines(session, ['party',
            analytics.day_sql('date', backend),
            'CAST(amount AS %s)' % cast])
    lines = pd.DataFrame.from_records(rows,
        columns=['party', 'day', 'amount'])
    del rows
    end = analytics.to_day(analytics.END)
    summary = lines.groupby('party').agg(
        last=('day', 'max'), frequency=('day', 'nunique'),
        monetary=('amount', 'sum'))
    summary['recency'] = end - summary['last']

    def quintile(values):
        # equal-count quintiles, ties in party order (groupby sorts)
        return pd.qcut(values.rank(method='first'), 5, labels=False) + 1
    # NTILE over last date descending: the latest buyers get R = 5
    summary['r'] = 6 - quintile(-summary['last'])
    summary['f'] = quintile(summary['frequency'])
    summary['m'] = quintile(summary['monetary'])
    summary['fm'] = (summary['f'] + summary['m'] + 1) // 2
    table = rfm.validate_mapping(rfm.DEFAULT_MAPPING)
    names = np.array([m[0] for m in rfm.DEFAULT_MAPPING])
    summary['segment'] = names[table[summary['r'].to_numpy() - 1,
            summary['fm'].to_numpy() - 1]]
    return summary


def stored(session, run_id):
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT party, recency_days, frequency, monetary, '
            'r_score, f_score, m_score FROM crm_analytics_rfm '
            'WHERE run = %d' % run_id)
        return {r[0]: r[1:] for r in cursor.fetchall()}


def money(value):
    return Decimal(str(value)).quantize(Decimal('0.01'))


def measure(session, options, data):
    runs = options.runs
    common.progress('RFM: %d runs of crm_analytics' % runs)
    value, peak, run_id, times = analytics.analyse(session, 'rfm', runs)
    ours = stored(session, run_id)
    common.progress('SQL GROUP BY: %d runs' % runs)
    reference_value, reference_peak, grouped = analytics.measure(
        lambda: sql_group_by(session), runs)
    common.progress('pandas: %d runs' % runs)
    pandas_value, pandas_peak, summary = analytics.measure(
        lambda: pandas_rfm(session), runs)

    # the stored aggregates are the query's
    assert set(ours) == set(grouped), (len(ours), len(grouped))
    for party, (recency, frequency, monetary, *_) in ours.items():
        expected = grouped[party]
        assert (recency, frequency) == tuple(expected[:2]), (
            party, recency, frequency, expected)
        assert money(monetary) == money(expected[2]), (
            party, monetary, expected)
    same = sum(ours[p][3:] == (int(r), int(f), int(m))
        for p, r, f, m in zip(summary.index.tolist(), summary['r'],
            summary['f'], summary['m']))
    agreement = same / len(ours)
    common.progress('ours %.2f s, SQL %.2f s, pandas %.2f s, scores '
        'agreeing with pandas %.4f' % (value, reference_value,
            pandas_value, agreement))
    import pandas
    note = ('crm.analytics.run process (RFM scores, segments, relationship '
        'index) of %d customers over %d lines, committed, write-back off; '
        'runs %s s; the reference fetches the %d rows of one GROUP BY '
        '(recency, frequency, monetary; no scoring, nothing stored); '
        'pandas %s: read the lines by SQL + groupby + rank/qcut scores + '
        'segment %.2f s (ratio %.2f), peak %s MB. Stored recency, '
        'frequency and monetary equal the query\'s for every customer; '
        'R, F and M scores equal pandas\' for %.2f %% of them'
        % (len(ours), data['lines'], ', '.join('%.2f' % t for t in times),
            len(grouped), pandas.__version__, pandas_value,
            pandas_value and value / pandas_value, pandas_peak,
            100 * agreement))
    entry = common.result(TASK, session.database.backend,
        analytics.size(data), value, 's',
        'one SQL GROUP BY party (recency, frequency, monetary), rows '
        'fetched', reference_value, 'lower', runs=runs, note=note,
        extra={'reference_peak_rss_mb': reference_peak,
            'pandas_s': pandas_value,
            'pandas_ratio': analytics.ratio(value, pandas_value),
            'pandas_peak_rss_mb': pandas_peak,
            'agreement': round(agreement, 4)})
    entry['peak_rss_mb'] = peak
    return entry


def main(argv=None):
    return analytics.main(TASK, __doc__.splitlines()[0], measure, argv)


if __name__ == '__main__':
    sys.exit(main())
