"""analytics_clv: churn risk and lifetime value, BG/NBD + Gamma-Gamma.

value      seconds of ``crm.analytics.run``'s ``process`` of a churn and
           lifetime value run over the three years, committed: the lines
           read in one query, the per-customer summary (repeat purchase
           days, recency, age, mean repeat value), BG/NBD and Gamma-Gamma
           fitted by maximum likelihood (engine/clv.py), every customer
           scored (probability active, expected purchases in 90 days,
           expected mean value, 12-month lifetime value at 1 % a month)
           and the rows stored; "Update Customers" off;
reference  lifetimes 0.11.3 in its own virtualenv (var/bench-lifetimes-
           venv, made by this script from bench/requirements-lifetimes.txt)
           and process: the same lines (read by the same SQL here, timed)
           given as a .npz file, ``summary_data_from_transaction_data``
           (freq 'D'), ``BetaGeoFitter.fit``, ``GammaGammaFitter.fit`` on
           the repeat buyers, then ``conditional_probability_alive``,
           ``conditional_expected_number_of_purchases_up_to_time(90)``,
           ``conditional_expected_average_profit`` and
           ``customer_lifetime_value(time=12, discount_rate=0.01,
           freq='D')``; its seconds are the read here plus the steps as
           timed in that process (not its start, imports or file I/O).

The summaries must be equal (every customer's frequency, recency, age
and mean value); the note gives the fitted parameters of both and the
largest differences of the scores.  Data: bench/analytics.py.

    python bench/analytics_clv.py --database sqlite --customers 2000
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import analytics  # noqa: E402
import common  # noqa: E402

TASK = 'analytics_clv'
HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = os.path.join(HERE, 'requirements-lifetimes.txt')
VENV = os.path.join(common.ROOT, 'var', 'bench-lifetimes-venv')
SCRIPT = os.path.join(HERE, 'lifetimes_reference.py')
HORIZON_DAYS = 90
MONTHS = 12
DISCOUNT = 0.01
RISK = 0.3


def lifetimes_python():
    """The Python of the lifetimes virtualenv, made (or remade when the
    requirements changed) first."""
    python = os.path.join(VENV, 'bin', 'python')
    with open(REQUIREMENTS, 'rb') as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    marker = os.path.join(VENV, 'requirements.sha256')
    if os.path.exists(marker) and os.path.exists(python):
        with open(marker) as file:
            if file.read().strip() == digest:
                return python
    common.progress('making %s (%s)' % (VENV, REQUIREMENTS))
    # the interpreter this one was made from, not its virtualenv
    base = getattr(sys, '_base_executable', sys.executable)
    subprocess.run([base, '-m', 'venv', '--clear', VENV], check=True)
    subprocess.run([python, '-m', 'pip', 'install', '--quiet',
            '--disable-pip-version-check', '-r', REQUIREMENTS], check=True)
    with open(marker, 'w') as file:
        file.write(digest + '\n')
    return python


def lifetimes_reference(session, python):
    """Read the lines, run lifetimes on them in its process; (seconds,
    its output as a dict, the read's seconds)."""
    import numpy as np
    backend = session.database.backend
    cast = 'DOUBLE PRECISION' if backend == 'postgresql' else 'REAL'
    started = time.perf_counter()
    rows = analytics.fetch_lines(session, ['party',
            analytics.day_sql('date', backend),
            'CAST(amount AS %s)' % cast])
    customer, day, amount = (np.array(c) for c in zip(*rows))
    read = time.perf_counter() - started
    del rows
    with tempfile.TemporaryDirectory(prefix='ecrm-lifetimes.') as directory:
        source = os.path.join(directory, 'lines.npz')
        target = os.path.join(directory, 'result.npz')
        np.savez(source, customer=customer.astype(np.int64),
            day=day.astype(np.int64), amount=amount.astype(float),
            end=analytics.to_day(analytics.END), horizon=HORIZON_DAYS,
            months=MONTHS, discount=DISCOUNT)
        subprocess.run([python, SCRIPT, source, target], check=True,
            env={k: v for k, v in os.environ.items()
                if not k.startswith(('PYTHON', 'VIRTUAL_ENV'))})
        with np.load(target) as result:
            output = {k: result[k] for k in result.files}
    steps = dict(zip(output['seconds_names'].tolist(),
            output['seconds'].tolist()))
    return read + sum(steps.values()), output, read


def stored(session, run_id):
    "Our rows sorted by party, as numpy columns; the run's message."
    import numpy as np
    with session.transaction(readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT party, frequency, recency, age, monetary, '
            'probability_alive, expected_purchases, expected_value, '
            'lifetime_value FROM crm_analytics_clv WHERE run = %d '
            'ORDER BY party' % run_id)
        rows = cursor.fetchall()
        cursor.execute('SELECT message FROM crm_analytics_run WHERE id = %d'
            % run_id)
        message, = cursor.fetchone()
    names = ['customer', 'frequency', 'recency', 'T', 'monetary', 'alive',
        'expected', 'average', 'lifetime']
    return {n: np.array([float(v) for v in c])
        for n, c in zip(names, zip(*rows))}, message


def relative(a, b):
    import numpy as np
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


def measure(session, options, data):
    import numpy as np

    from trytond.modules.crm_analytics import clv as crm_clv
    from trytond.modules.crm_analytics.engine import clv as engine
    python = lifetimes_python()
    runs = options.runs
    parameters = {'horizon_days': HORIZON_DAYS, 'clv_months': MONTHS,
        'monthly_discount_rate': DISCOUNT, 'risk_threshold': RISK}
    reading = analytics.Stopwatch(crm_clv,
        ['fetch_columns', 'insert_columns'])
    fitting = analytics.Stopwatch(engine, ['summary_from_transactions',
            'fit_bgnbd', 'fit_gamma_gamma', 'probability_alive',
            'expected_purchases', 'expected_average_value',
            'customer_lifetime_value'])
    common.progress('CLV: %d runs of crm_analytics' % runs)
    try:
        value, peak, run_id, times = analytics.analyse(session, 'clv', runs,
            **parameters)
    finally:
        reading.restore()
        fitting.restore()
    steps = {n: c[0] for n, c in dict(reading.calls,
            **fitting.calls).items()}
    # probability_alive is also called by customer_lifetime_value
    scoring = sum(steps[n] for n in ['probability_alive',
            'expected_purchases', 'expected_average_value',
            'customer_lifetime_value'])
    ours, message = stored(session, run_id)

    common.progress('lifetimes (1 run, its own process)')
    with analytics.Peak() as reference_peak:
        reference_value, theirs, read = lifetimes_reference(session, python)
    lifetimes_steps = dict(zip(theirs['seconds_names'].tolist(),
            theirs['seconds'].tolist()))
    versions = theirs['versions'].tolist()

    # the same summary
    assert np.array_equal(ours['customer'], theirs['customer']), (
        len(ours['customer']), len(theirs['customer']))
    for name in ['frequency', 'recency', 'T']:
        assert np.array_equal(ours[name], theirs[name]), name
    worst = np.argmax(np.abs(ours['monetary'] - theirs['monetary']))
    # ours is stored rounded to the cent
    assert np.allclose(ours['monetary'], theirs['monetary'],
        rtol=0, atol=0.005 + 1e-6), (ours['monetary'][worst],
        theirs['monetary'][worst], ours['frequency'][worst])
    bgnbd = [float(v) for v in theirs['bgnbd']]
    gamma_gamma = [float(v) for v in theirs['gamma_gamma']]
    differences = {
        'alive': float(np.max(np.abs(ours['alive'] - theirs['alive']))),
        'expected': float(np.max(np.abs(
                    ours['expected'] - theirs['expected']))),
        'lifetime': float(np.max(np.abs(
                    ours['lifetime'] - theirs['lifetime']))),
        }
    valued = theirs['lifetime'] >= 1
    differences['lifetime_relative'] = relative(ours['lifetime'][valued],
        theirs['lifetime'][valued])
    common.progress('ours %.2f s, lifetimes %.2f s; %s; lifetimes r %.4g '
        'alpha %.4g a %.4g b %.4g p %.4g q %.4g gamma %.4g; differences %s'
        % ((value, reference_value, message) + tuple(bgnbd + gamma_gamma)
            + (differences,)))
    note = ('crm.analytics.run process of a churn and lifetime value run of '
        '%d customers over %d lines, committed, write-back off; runs %s s; '
        'first run: read %.2f s, summary %.2f s, BG/NBD fit %.2f s, '
        'Gamma-Gamma fit %.2f s, scoring %.2f s, insert %.2f s. lifetimes '
        '%s (numpy %s, pandas %s, 1 run, its own process, peak %d MB): '
        'read by SQL here %.2f s, summary_data_from_transaction_data '
        '%.2f s, BetaGeoFitter.fit %.2f s, GammaGammaFitter.fit %.2f s, '
        'scoring %.2f s. The same summary for every customer; fitted '
        'parameters, ours: %s; lifetimes: r %.4g, alpha %.4g, a %.4g, '
        'b %.4g, p %.4g, q %.4g, gamma %.4g; largest differences: '
        'probability active %.2g, expected purchases (90 days) %.2g, '
        'lifetime value %.2g (%.2g relative, where lifetimes gives 1 or '
        'more)' % (
            len(ours['customer']), data['lines'],
            ', '.join('%.2f' % t for t in times), steps['fetch_columns'],
            steps['summary_from_transactions'], steps['fit_bgnbd'],
            steps['fit_gamma_gamma'], scoring, steps['insert_columns'],
            versions[0], versions[1], versions[2], theirs['peak_rss_mb'],
            read, lifetimes_steps['summary'], lifetimes_steps['fit_bgnbd'],
            lifetimes_steps['fit_gamma_gamma'], lifetimes_steps['score'],
            message or '-',
            *bgnbd, *gamma_gamma, differences['alive'],
            differences['expected'], differences['lifetime'],
            differences['lifetime_relative']))
    entry = common.result(TASK, session.database.backend,
        analytics.size(data), value, 's',
        'lifetimes 0.11.3 (own virtualenv and process): '
        'summary_data_from_transaction_data + BetaGeoFitter + '
        'GammaGammaFitter fits + scoring, on the same lines read by SQL',
        reference_value, 'lower', runs=runs, note=note,
        extra={'reference_peak_rss_mb': round(
                max(reference_peak.mb, float(theirs['peak_rss_mb']))),
            'fit_score_s': steps['fit_bgnbd'] + steps['fit_gamma_gamma']
            + scoring,
            'reference_fit_score_s': lifetimes_steps['fit_bgnbd']
            + lifetimes_steps['fit_gamma_gamma'] + lifetimes_steps['score'],
            'max_difference': {k: float('%.3g' % v)
                for k, v in differences.items()}})
    entry['peak_rss_mb'] = peak
    return entry


def main(argv=None):
    return analytics.main(TASK, __doc__.splitlines()[0], measure, argv)


if __name__ == '__main__':
    sys.exit(main())
