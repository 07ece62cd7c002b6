# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import doctest
import io
import unittest

import openpyxl

from ..engine import kpi, talent, xlsx


class KpiTestCase(unittest.TestCase):

    def test_higher_and_lower_achievement(self):
        self.assertEqual(kpi.score(120, 100, 'higher'), 120.0)
        self.assertEqual(kpi.score(500, 100, 'higher'), kpi.CAP)
        self.assertEqual(kpi.score(-3, 100, 'higher'), 0.0)
        # 3 minutes against a 4 minutes target is better than target
        self.assertEqual(kpi.score(3, 4, 'lower'), 133.33)
        self.assertEqual(kpi.score(8, 4, 'lower'), 50.0)
        self.assertIsNone(kpi.score(None, 4, 'lower'))
        with self.assertRaises(ValueError):
            kpi.score(1, 1, 'sideways')

    def test_bands_pick_highest_reached_minimum(self):
        bands = [(100, 100), (0, 0), (80, 60), (120, 130)]
        self.assertEqual(
            [kpi.score(a, 100, 'higher', bands) for a in (79, 80, 119, 120)],
            [0.0, 60.0, 100.0, 130.0])

    def test_total_grade_and_weights(self):
        self.assertEqual(kpi.total([(90, 50), (70, 30), (100, 20)]), 86.0)
        bands = [('E', 0), ('A', 90), ('C', 70), ('B', 80), ('D', 60)]
        self.assertEqual(
            [kpi.grade(v, bands) for v in (95, 90, 89.99, 60, 0)],
            ['A', 'A', 'B', 'D', 'E'])
        self.assertIsNone(kpi.weights_error([50, 25.5, 24.5]))
        self.assertEqual(kpi.weights_error([50, 60, -10]), 100)
        self.assertEqual(kpi.weights_error([]), 0)

    def test_periods(self):
        self.assertEqual(kpi.period_end('year', dt.date(2026, 1, 1)),
            dt.date(2026, 12, 31))
        self.assertEqual(kpi.period_end('quarter', dt.date(2026, 10, 1)),
            dt.date(2026, 12, 31))
        self.assertFalse(kpi.periods_overlap(
                dt.date(2026, 1, 1), dt.date(2026, 3, 31),
                dt.date(2026, 4, 1), dt.date(2026, 6, 30)))


class TalentTestCase(unittest.TestCase):

    def test_nine_box_covers_every_pair(self):
        cells = {talent.nine_box(p, q)
            for p in talent.LEVELS for q in talent.LEVELS}
        self.assertEqual(len(cells), 9)
        self.assertIsNone(talent.nine_box(None, 'high'))

    def test_successors_readiness_before_gaps(self):
        self.assertEqual(talent.rank_successors([
                    (5, '1_2_years', 0, 99), (6, 'now', 3, 10)]), [6, 5])


class XlsxTestCase(unittest.TestCase):

    def test_types_formats_and_filters(self):
        data = xlsx.table_xlsx("考核", [("From", "2026-01-01")], [
                ("Name", 'text'), ("Day", 'date'), ("Total", 'number'),
                ("Share", 'percent')],
            [("王", dt.date(2026, 3, 1), 86.5, 12.5), ("Li", None, None, 0)],
            chart=2, sheet="A/B:C")
        book = openpyxl.load_workbook(io.BytesIO(data))
        sheet = book.active
        self.assertEqual(sheet.title, "ABC")
        self.assertEqual([c.value for c in sheet[4]],
            ["Name", "Day", "Total", "Share"])
        self.assertEqual(sheet['A5'].value, "王")
        self.assertEqual(sheet['B5'].value, dt.datetime(2026, 3, 1))
        self.assertEqual(sheet['C5'].number_format, '#,##0.00')
        self.assertIsNone(sheet['C6'].value)
        self.assertEqual(sheet.auto_filter.ref, 'A4:D6')
        self.assertEqual(len(sheet._charts), 1)


def load_tests(loader, tests, pattern):
    for module in (kpi, talent, xlsx):
        tests.addTests(doctest.DocTestSuite(module))
    return tests
