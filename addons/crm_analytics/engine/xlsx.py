# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A report table as an .xlsx workbook with a native Excel chart.

The sheet holds the title, the filters used (label, value), a header row
and the typed, formatted rows; the chart plots one column by a category
column, and for a Pareto curve a second column as a line on a secondary
axis (0-100 %).

>>> import io, openpyxl
>>> data = report_xlsx("Top", [("From", "2026-01-01")],
...     [("Customer", 'text'), ("Revenue", 'money'), ("Cum. %", 'percent')],
...     [("A", 70, 70.0), ("B", 30, 100.0)],
...     Chart(category=0, values=1, line=2))
>>> book = openpyxl.load_workbook(io.BytesIO(data))
>>> sheet = book.active
>>> sheet['B2'].value, sheet['A4'].value, sheet['B6'].value
('2026-01-01', 'Customer', 30)
>>> len(sheet._charts)
1
"""
import datetime as dt
import io
from decimal import Decimal
from typing import NamedTuple, Optional

import xlsxwriter

FORMATS = {
    'text': {},
    'integer': {'num_format': '#,##0'},
    'number': {'num_format': '#,##0.00'},
    'money': {'num_format': '#,##0.00'},
    'percent': {'num_format': '0.00"%"'},
    'ratio': {'num_format': '0.00%'},
    'date': {'num_format': 'yyyy-mm-dd'},
    }


class Chart(NamedTuple):
    category: int  # column of the labels
    values: int  # column plotted as bars
    line: Optional[int] = None  # column plotted as a line, secondary axis
    kind: str = 'column'


def _value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return int(value)
    return value


def report_xlsx(title, filters, columns, rows, chart=None, sheet="Report",
        chart_rows=None):
    """The workbook's bytes.  columns: (label, kind) pairs, kind a key of
    FORMATS; rows: sequences of values in the columns' order; the chart
    plots the first chart_rows rows (None: all)."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'in_memory': True})
    name = "".join(c for c in sheet if c not in "[]:*?/\\")[:31] or "Report"
    ws = book.add_worksheet(name)
    formats = {k: book.add_format(v) for k, v in FORMATS.items()}
    ws.write(0, 0, title, book.add_format({'bold': True, 'font_size': 14}))
    bold = book.add_format({'bold': True})
    for row, (label, text) in enumerate(filters, 1):
        ws.write(row, 0, label, bold)
        ws.write(row, 1, text)
    head = len(filters) + 2
    header = book.add_format({'bold': True, 'bg_color': '#DDEBF7',
            'border': 1, 'text_wrap': True})
    widths = []
    for col, (label, _) in enumerate(columns):
        ws.write(head, col, label, header)
        widths.append(len(label) * 2 + 2)
    for row, values in enumerate(rows, head + 1):
        for col, (value, (_, kind)) in enumerate(zip(values, columns)):
            value = _value(value)
            if value is None:
                ws.write_blank(row, col, None, formats[kind])
            elif isinstance(value, dt.date):
                ws.write_datetime(row, col, dt.datetime.combine(
                        value, dt.time()), formats['date'])
            else:
                ws.write(row, col, value, formats[kind])
            widths[col] = max(widths[col], len(str(value)) + 2)
    for col, width in enumerate(widths):
        ws.set_column(col, col, min(width, 50))
    last = head + len(rows)
    if columns:
        ws.autofilter(head, 0, last, len(columns) - 1)
    ws.freeze_panes(head + 1, 0)
    if chart is not None and rows:
        shown = last if chart_rows is None else min(last, head + chart_rows)
        ws.insert_chart(head, len(columns) + 1,
            _chart(book, name, title, chart, head, shown))
    book.close()
    return output.getvalue()


def _chart(book, sheet, title, chart, head, last):
    graph = book.add_chart({'type': chart.kind})
    graph.add_series({
            'name': [sheet, head, chart.values],
            'categories': [sheet, head + 1, chart.category, last,
                chart.category],
            'values': [sheet, head + 1, chart.values, last, chart.values],
            })
    if chart.line is not None:
        line = book.add_chart({'type': 'line'})
        line.add_series({
                'name': [sheet, head, chart.line],
                'categories': [sheet, head + 1, chart.category, last,
                    chart.category],
                'values': [sheet, head + 1, chart.line, last, chart.line],
                'y2_axis': True,
                })
        graph.combine(line)
        line.set_y2_axis({'min': 0, 'max': 100})
    graph.set_title({'name': title})
    graph.set_size({'width': 720, 'height': 400})
    return graph
