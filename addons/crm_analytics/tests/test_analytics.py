# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Analytics runs on a real database, each figure checked against an
independent computation over the same purchases (plain Python or the
engine fed from those purchases, not from the stored aggregates)."""
import datetime as dt
import io
import itertools
from collections import Counter
from decimal import Decimal

import numpy as np
import openpyxl
from sql.aggregate import Count

from trytond.model.exceptions import AccessError, DomainValidationError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_analytics.engine import clv, relationship, rfm
from trytond.modules.crm_analytics.exceptions import (
    EmptyPeriodError, RfmMappingError, RunParameterError)
from trytond.modules.crm_core.tests.tools import DBTestCase, create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import (
    baskets, create_bgnbd_purchases, create_purchases, customer_summary)

END = dt.date(2025, 12, 31)
START = dt.date(2025, 1, 1)


def new_run(kind, **values):
    Run = Pool().get('crm.analytics.run')
    run, = Run.create([dict({
                    'kind': kind, 'start_date': START, 'end_date': END,
                    }, **values)])
    return run


def execute(run):
    "Run as the button does, then the queued task"
    Run = Pool().get('crm.analytics.run')
    Run.run([run])
    Run.process([run])
    return Run(run.id)


class AnalyticsTestCase(DBTestCase):
    "Analytics runs, reports and exports of crm_analytics"
    module = 'crm_analytics'

    @with_transaction()
    def test_rfm_scores_segments_and_write_back(self):
        "RFM scores, segments, tiers and relationship index are the reference"
        pool = Pool()
        Party = pool.get('party.party')
        Segment = pool.get('crm.segment')
        Result = pool.get('crm.analytics.rfm')
        company = create_company()
        with set_company(company):
            parties, _, lines = create_purchases(company)
            manual, = Segment.create([{'name': "VIP by hand"}])
            Party.write([parties[0]], {'segment': manual.id})
            # three active customers referred by one; an inactive one
            # (a merged duplicate) does not count
            referrer = parties[1]
            Party.write(list(parties[2:5]), {'referred_by': referrer.id})
            Party.create([{'name': "Merged duplicate", 'active': False,
                        'referred_by': referrer.id}])
            run = execute(new_run('rfm', loyalty_weight=2.0))
            self.assertEqual(run.state, 'done', run.message)

            summary = customer_summary(lines, END)
            recency = {p: (END - s[1]).days for p, s in summary.items()}
            scores = {name: rfm.quintile_scores(values.items(), higher)
                for name, values, higher in [
                    ('r', recency, False),
                    ('f', {p: s[2] for p, s in summary.items()}, True),
                    ('m', {p: s[3] for p, s in summary.items()}, True)]}
            segments = {s.code: s for s in Segment.search([])}
            results = {r.party.id: r for r in Result.search([
                        ('run', '=', run.id)])}
            self.assertEqual(set(results), set(summary))
            self.assertEqual(run.customers, len(summary))
            for party, row in results.items():
                r, f, m = (scores[k][party] for k in 'rfm')
                self.assertEqual(
                    (row.recency_days, row.frequency, row.monetary),
                    (recency[party], summary[party][2], summary[party][3]))
                self.assertEqual((row.r_score, row.f_score, row.m_score),
                    (r, f, m))
                name = rfm.segment(r, f, m)
                self.assertEqual(row.segment, segments[name])
                self.assertEqual(row.value_tier,
                    {5: 'a', 4: 'b', 3: 'c'}.get(m, 'd'))

            # the relationship index from the same purchases
            ids = sorted(summary)
            index = relationship.relationship_index(
                csat=[np.nan] * len(ids),
                repeat_purchases=[summary[p][2] - 1 for p in ids],
                referrals=[3 if p == referrer.id else 0 for p in ids],
                tenure_days=[(END - summary[p][0]).days for p in ids],
                recency_days=[recency[p] for p in ids],
                value=[float(summary[p][3]) for p in ids],
                weights=run.weights)
            for party, expected in zip(ids, index.index.tolist()):
                self.assertAlmostEqual(
                    results[party].relationship, expected, places=2)
            # (the referrer is one of the run's customers: its index
            # above counts the referrals)
            self.assertIn(referrer.id, results)

            # written back, the manual segment kept
            for party in Party.browse(ids):
                row = results[party.id]
                if party == parties[0]:
                    self.assertEqual(party.segment, manual)
                else:
                    self.assertEqual(party.segment, row.segment)
                self.assertEqual(party.value_tier, row.value_tier)
                self.assertEqual(party.rfm_scores, '%s-%s-%s' % (
                        row.r_score, row.f_score, row.m_score))
                self.assertAlmostEqual(
                    party.relationship_index, row.relationship, places=2)

    @with_transaction()
    def test_results_deleted_with_their_run(self):
        "A run's rows go with it: the ORM cascades (no foreign keys in SQL)"
        pool = Pool()
        Run = pool.get('crm.analytics.run')
        company = create_company()
        with set_company(company):
            create_purchases(company, customers=20)
            runs = [execute(new_run(kind)) for kind in ['rfm', 'pairs']]
            kept = execute(new_run('rfm'))
            cursor = Transaction().connection.cursor()

            def rows(run):
                count = 0
                for name in ['crm.analytics.rfm', 'crm.analytics.pair',
                        'crm.analytics.suggestion']:
                    table = pool.get(name).__table__()
                    cursor.execute(*table.select(Count(table.id),
                            where=table.run == run.id))
                    count += cursor.fetchone()[0]
                return count
            self.assertTrue(all(rows(r) for r in runs + [kept]))
            expected = rows(kept)
            Run.delete(runs)
            self.assertEqual([rows(r) for r in runs], [0, 0])
            self.assertEqual(rows(kept), expected)

    @with_transaction()
    def test_product_pairs_equal_brute_force(self):
        "Support, confidence and lift of every pair equal a brute force count"
        pool = Pool()
        Pair = pool.get('crm.analytics.pair')
        Suggestion = pool.get('crm.analytics.suggestion')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            _, _, lines = create_purchases(company, customers=80)
            run = execute(new_run('pairs', min_support=0.02,
                    min_confidence=0.1, min_lift=0.0,
                    suggestions_per_customer=3))
            self.assertEqual(run.state, 'done', run.message)
            groups = list(baskets(lines).values())
            n = len(groups)
            items = Counter(p for g in groups for p in g)
            both = Counter(pair for g in groups
                for pair in itertools.permutations(sorted(g), 2))
            expected = {}
            for (a, b), count in both.items():
                support, confidence = count / n, count / items[a]
                if support >= 0.02 and confidence >= 0.1:
                    expected[a, b] = (count, support, confidence,
                        confidence / (items[b] / n))
            stored = {(p.product.id, p.associated.id): (
                    p.baskets, p.support, p.confidence, p.lift)
                for p in Pair.search([('run', '=', run.id)])}
            self.assertTrue(expected)
            self.assertEqual(set(stored), set(expected))
            for key, values in expected.items():
                self.assertEqual(stored[key][0], values[0])
                for got, want in zip(stored[key][1:], values[1:]):
                    self.assertAlmostEqual(got, want, places=9)

            # suggestions: never a bought product, best lift first
            bought = {}
            for party, _, product, _ in lines:
                bought.setdefault(party, set()).add(product)
            suggestions = Suggestion.search([('run', '=', run.id)])
            self.assertTrue(suggestions)
            by_party = {}
            for s in suggestions:
                self.assertNotIn(s.product.id, bought[s.party.id])
                self.assertIn(s.because.id, bought[s.party.id])
                self.assertIn((s.because.id, s.product.id), expected)
                by_party.setdefault(s.party.id, []).append(s)
            for party, rows in by_party.items():
                self.assertLessEqual(len(rows), 3)
                self.assertEqual([r.rank for r in rows],
                    list(range(1, len(rows) + 1)))
                lifts = [r.lift for r in rows]
                self.assertEqual(lifts, sorted(lifts, reverse=True))
                # the best rule of the product is the one kept
                for row in rows:
                    best = max(expected[a, row.product.id][3]
                        for a in bought[party]
                        if (a, row.product.id) in expected)
                    self.assertAlmostEqual(row.lift, best, places=9)
            party = Party(next(iter(by_party)))
            self.assertEqual(party.cross_sell_suggestions,
                tuple(by_party[party.id]))

    @with_transaction()
    def test_churn_and_lifetime_value(self):
        "BG/NBD and Gamma-Gamma scores equal the engine's on the purchases"
        pool = Pool()
        Party = pool.get('party.party')
        Result = pool.get('crm.analytics.clv')
        company = create_company()
        with set_company(company):
            parties, _, lines = create_bgnbd_purchases(company)
            Party.write(parties, {'lifecycle_stage': 'new'})
            run = execute(new_run('clv', horizon_days=60, clv_months=6,
                    monthly_discount_rate=0.01, risk_threshold=0.6))
            self.assertEqual(run.state, 'done', run.message)
            self.assertIn('BG/NBD', run.message)

            # the summary rebuilt from the purchase lines
            daily = {}
            for party, date, _, amount in lines:
                key = (party, (date - dt.date(1970, 1, 1)).days)
                daily[key] = daily.get(key, 0) + float(amount)
            end = (END - dt.date(1970, 1, 1)).days
            summary = clv.summary_from_transactions(
                [k[0] for k in daily], [k[1] for k in daily],
                list(daily.values()), end)
            fit = clv.fit_bgnbd(summary.frequency, summary.recency, summary.T)
            alive = clv.probability_alive(fit.params, summary.frequency,
                summary.recency, summary.T)
            rows = {r.party.id: r for r in Result.search([
                        ('run', '=', run.id)])}
            self.assertEqual(set(rows), set(summary.customers.tolist()))
            for party, x, p in zip(summary.customers.tolist(),
                    summary.frequency.tolist(), alive.tolist()):
                self.assertEqual(rows[party].frequency, x)
                self.assertAlmostEqual(
                    rows[party].probability_alive, p, places=3)
                self.assertEqual(rows[party].at_risk, p < 0.6)
            at_risk = {p for p, r in rows.items() if r.at_risk}
            self.assertTrue(at_risk)
            self.assertLess(len(at_risk), len(rows))
            for party in Party.browse(list(rows)):
                self.assertEqual(party.lifecycle_stage,
                    'at_risk' if party.id in at_risk else 'new')
                self.assertAlmostEqual(party.probability_active,
                    rows[party.id].probability_alive, places=4)
            change = Party(next(iter(at_risk))).lifecycle_changes[0]
            self.assertEqual(change.to_stage, 'at_risk')
            self.assertTrue(change.reason)

    @with_transaction()
    def test_fit_failure_keeps_previous_results(self):
        "A churn run that cannot be fitted fails, stores nothing, keeps older"
        pool = Pool()
        Run = pool.get('crm.analytics.run')
        Result = pool.get('crm.analytics.clv')
        Purchase = pool.get('crm.purchase')
        company = create_company()
        with set_company(company):
            parties, items, _ = create_bgnbd_purchases(company)
            first = execute(new_run('clv'))
            self.assertEqual(first.state, 'done', first.message)
            stored = Result.search_count([('run', '=', first.id)])
            # a later year where every customer bought once: no repeat
            Purchase.create([{
                        'company': company.id, 'party': p.id,
                        'date': dt.date(2030, 3, 1), 'product': items[0].id,
                        'quantity': 1, 'amount': 10,
                        'currency': company.currency.id,
                        } for p in parties])
            failed = execute(new_run('clv', start_date=dt.date(2030, 1, 1),
                    end_date=dt.date(2030, 12, 31)))
            self.assertEqual(failed.state, 'failed')
            self.assertIn('repeat', failed.message)
            self.assertEqual(
                Result.search_count([('run', '=', failed.id)]), 0)
            self.assertEqual(
                Result.search_count([('run', '=', first.id)]), stored)
            self.assertEqual(Run.latest('clv', company.id), first)

    @with_transaction()
    def test_bad_parameters_are_refused(self):
        "Thresholds outside (0, 1], a horizon <= 0 or an empty period"
        pool = Pool()
        Run = pool.get('crm.analytics.run')
        Rule = pool.get('crm.analytics.rfm.rule')
        company = create_company()
        with set_company(company):
            create_purchases(company, customers=5)
            for kind, values in [
                    ('pairs', {'min_support': 0}),
                    ('pairs', {'min_confidence': 1.5}),
                    ('clv', {'risk_threshold': -0.1}),
                    ('clv', {'horizon_days': 0}),
                    ('rfm', {'satisfaction_weight': 0, 'loyalty_weight': 0,
                            'stability_weight': 0, 'value_weight': 0}),
                    ]:
                with self.subTest(values=values):
                    with self.assertRaises(RunParameterError):
                        new_run(kind, **values)

            empty = new_run('rfm', start_date=dt.date(1990, 1, 1),
                end_date=dt.date(1990, 12, 31))
            with self.assertRaises(EmptyPeriodError) as cm:
                Run.run([empty])
            self.assertIn('1990-01-01', cm.exception.message)
            self.assertEqual(Run(empty.id).state, 'draft')

            lost, = Rule.search([('segment.code', '=', 'lost')])
            Rule.delete([lost])
            with self.assertRaises(RfmMappingError) as cm:
                Run.run([new_run('rfm')])
            self.assertIn('R=1', cm.exception.message)
            with self.assertRaises(RfmMappingError):
                Rule.write(Rule.search([], limit=1), {'r_min': 0})

    @with_transaction()
    def test_contribution(self):
        "Rank, share and Pareto curve of revenue; groups by store"
        pool = Pool()
        Contribution = pool.get('crm.analytics.contribution')
        Group = pool.get('crm.analytics.contribution.group')
        Store = pool.get('crm.store')
        Purchase = pool.get('crm.purchase')
        company = create_company()
        with set_company(company):
            _, _, lines = create_purchases(company, customers=30)
            store, = Store.create([{'name': "Pudong", 'company': company.id}])
            some = Purchase.search([], limit=10)
            Purchase.write(some, {'store': store.id})
            totals = {}
            for party, date, _, amount in lines:
                totals[party] = totals.get(party, 0) + amount
            ranked = sorted(totals.items(), key=lambda i: (-i[1], i[0]))
            grand = sum(totals.values())
            context = {'company': company.id, 'from_date': START,
                'to_date': END}
            with Transaction().set_context(context):
                rows = Contribution.search([])
                self.assertEqual([r.party.id for r in rows],
                    [p for p, _ in ranked])
                running = 0
                for rank, (row, (_, total)) in enumerate(
                        zip(rows, ranked), 1):
                    running += total
                    self.assertEqual((row.rank, row.revenue), (rank, total))
                    self.assertAlmostEqual(
                        row.share, float(100 * total / grand), places=6)
                    self.assertAlmostEqual(row.cumulative_share,
                        float(100 * running / grand), places=6)
                top = Contribution.search([('cumulative_share', '<=', 50)])
                self.assertEqual(len(top), sum(
                        1 for r in rows if r.cumulative_share <= 50))
            with Transaction().set_context(context, dimension='store'):
                groups = {g.store: g for g in Group.search([])}
                in_store = sum(p.amount for p in some)
                self.assertEqual(groups[store].revenue, in_store)
                self.assertEqual(groups[None].revenue, grand - in_store)
                self.assertEqual(groups[store].customers,
                    len({p.party for p in some}))

            # margin: amount less cost, over the lines whose cost is known
            costed = Purchase.search([], order=[('id', 'ASC')])[::3]
            margins = {}
            for number, line in enumerate(costed):
                cost = (line.amount * (number % 5) / 4).quantize(
                    Decimal('0.01'))
                Purchase.write([line], {'cost': cost})
                margins[line.party.id] = (margins.get(line.party.id, 0)
                    + line.amount - cost)
            by_margin = sorted(margins.items(), key=lambda i: (-i[1], i[0]))
            total = sum(margins.values())
            with Transaction().set_context(context, measure='margin'):
                rows = Contribution.search([])
                self.assertEqual([(r.party.id, r.margin) for r in rows],
                    by_margin)
                self.assertNotEqual([r.party.id for r in rows],
                    [p for p, _ in ranked][:len(rows)])
                for row, (_, margin) in zip(rows, by_margin):
                    self.assertAlmostEqual(
                        row.share, float(100 * margin / total), places=6)
            with Transaction().set_context(context, measure='margin',
                    dimension='store'):
                groups = {g.store: g for g in Group.search([])}
                self.assertEqual(sum(g.margin for g in groups.values()),
                    total)
                self.assertAlmostEqual(
                    sum(g.share for g in groups.values()), 100, places=6)
            with self.assertRaises(DomainValidationError):
                Purchase.write(costed[:1], {'cost': Decimal('-1')})

    @with_transaction()
    def test_excel_exports(self):
        "Reports and run results export to .xlsx with filters and a chart"
        pool = Pool()
        Report = pool.get('crm.analytics.xlsx', type='report')
        ActionReport = pool.get('ir.action.report')
        company = create_company()
        with set_company(company):
            create_purchases(company, customers=20)
            run = execute(new_run('rfm'))
            context = {'company': company.id, 'from_date': START,
                'to_date': END, 'dimension': 'store'}
            with Transaction().set_context(context):
                action, = ActionReport.search([
                        ('report_name', '=', 'crm.analytics.xlsx'),
                        ('model', '=', 'crm.analytics.contribution')])
                oext, content, _, _ = Report.execute([], {
                        'model': 'crm.analytics.contribution',
                        'action_id': action.id})
                self.assertEqual(oext, 'xlsx')
                sheet = openpyxl.load_workbook(io.BytesIO(content)).active
                self.assertEqual(sheet['A1'].value, action.name)
                labels = [sheet.cell(r, 1).value for r in range(2, 6)]
                self.assertIn("From Date", labels)
                header = 2 + 4 + 1  # title, 4 filters, blank
                self.assertEqual([c.value for c in sheet[header]][:3],
                    ["Rank", "Customer", "Revenue"])
                self.assertEqual(sheet.cell(header + 1, 1).value, 1)
                self.assertEqual(len(sheet._charts), 1)

            action, = ActionReport.search([
                    ('report_name', '=', 'crm.analytics.xlsx'),
                    ('model', '=', 'crm.analytics.run')])
            _, content, _, _ = Report.execute([run.id], {
                    'model': 'crm.analytics.run', 'action_id': action.id})
            sheet = openpyxl.load_workbook(io.BytesIO(content)).active
            self.assertEqual(sheet['A1'].value, run.rec_name)
            values = [row for row in sheet.iter_rows(values_only=True)]
            first = next(i for i, r in enumerate(values) if r[0] == "Customer")
            self.assertEqual(len(values) - first - 1, run.customers)

            # every row read by one query, as the records' fields give them
            Result = pool.get('crm.analytics.rfm')
            Contribution = pool.get('crm.analytics.contribution')
            with Transaction().set_context(context):
                for Model, domain in [
                        (Result, [('run', '=', run.id)]),
                        (Contribution, [])]:
                    queried, browsed = (
                        [row for row in openpyxl.load_workbook(io.BytesIO(
                                    Report.workbook("T", [], Model, records,
                                        domain))).active.iter_rows(
                                        values_only=True)]
                        for records in [None, Model.search(domain)])
                    self.assertEqual(queried, browsed)
                    self.assertGreater(len(queried), 20)
                    self.assertTrue(any(isinstance(v, str) and v.strip()
                            for v in queried[-1]))

    @with_transaction()
    def test_access(self):
        "A CRM user reads the analytics; only an analyst runs them"
        pool = Pool()
        Run = pool.get('crm.analytics.run')
        company = create_company()
        with set_company(company):
            create_purchases(company, customers=5)
            run = new_run('rfm')
            clerk = create_user('clerk', ['crm_core.group_crm'], company)
            analyst = create_user('analyst', ['crm_analytics.group_analyst'],
                company)
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(_check_access=True,
                    company=company.id):
            self.assertEqual(Run.search([]), [run])
            with self.assertRaises(AccessError):
                Run.create([{'kind': 'rfm', 'start_date': START,
                            'end_date': END}])
            with self.assertRaises(AccessButtonError):
                Run.run([run])
        with Transaction().set_user(analyst.id), \
                Transaction().set_context(_check_access=True,
                    company=company.id):
            other, = Run.create([{'kind': 'pairs', 'start_date': START,
                        'end_date': END}])
            Run.run([other])
            self.assertEqual(Run(other.id).state, 'queued')

    @with_transaction()
    def test_cron_refresh(self):
        "The cron runs the latest analysis again over a period ending today"
        pool = Pool()
        Run = pool.get('crm.analytics.run')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            today = Date.today()
            create_purchases(company, customers=10,
                start=today - dt.timedelta(days=200), days=200)
            first = execute(new_run('rfm',
                    start_date=today - dt.timedelta(days=300),
                    end_date=today - dt.timedelta(days=10)))
            self.assertEqual(first.state, 'done', first.message)
            Run.refresh()
            second, = Run.search([('id', '!=', first.id)])
            self.assertEqual(
                (second.kind, second.state, second.start_date,
                    second.end_date),
                ('rfm', 'queued', today - dt.timedelta(days=290), today))
            Run.process([second])
            self.assertEqual(Run(second.id).state, 'done')
            Run.refresh()  # the latest ends today: nothing to do
            self.assertEqual(Run.search_count([]), 2)
