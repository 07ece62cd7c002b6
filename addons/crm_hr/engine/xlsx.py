# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A table as an .xlsx workbook: a title, the filters used, a header row,
typed and formatted cells, an autofilter and, optionally, a native column
chart of one column by the first.

>>> import io, openpyxl
>>> data = table_xlsx("Grades", [("Campaign", "Q1")],
...     [("Grade", 'text'), ("Employees", 'integer')], [("A", 2), ("B", 5)],
...     chart=1)
>>> sheet = openpyxl.load_workbook(io.BytesIO(data)).active
>>> sheet['A1'].value, sheet['B2'].value, sheet['B6'].value
('Grades', 'Q1', 5)
"""
import datetime as dt
import io
from decimal import Decimal

import xlsxwriter

FORMATS = {
    'text': {},
    'integer': {'num_format': '#,##0'},
    'number': {'num_format': '#,##0.00'},
    'money': {'num_format': '#,##0.00'},
    'percent': {'num_format': '0.00"%"'},
    'date': {'num_format': 'yyyy-mm-dd'},
    }


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def table_xlsx(title, filters, columns, rows, chart=None, sheet="Sheet1"):
    """The workbook's bytes.  filters: (label, text) pairs written under
    the title; columns: (label, kind) with kind a key of FORMATS; rows:
    sequences of values; chart: index of a numeric column to chart by the
    first column (None: no chart)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = "".join(c for c in sheet if c not in "[]:*?/\\")[:31] or "Sheet1"
    worksheet = workbook.add_worksheet(sheet)
    bold = workbook.add_format({'bold': True})
    header = workbook.add_format({
            'bold': True, 'bg_color': '#DDEBF7', 'border': 1})
    formats = {k: workbook.add_format(v) for k, v in FORMATS.items()}
    worksheet.write(0, 0, title, workbook.add_format(
            {'bold': True, 'font_size': 14}))
    for i, (label, text) in enumerate(filters, 1):
        worksheet.write(i, 0, label, bold)
        worksheet.write(i, 1, text)
    first = len(filters) + 2
    widths = [len(label) + 2 for label, _ in columns]
    for col, (label, _) in enumerate(columns):
        worksheet.write(first, col, label, header)
    for r, row in enumerate(rows, first + 1):
        for col, (value, (_, kind)) in enumerate(zip(row, columns)):
            value = _cell(value)
            if value is None:
                worksheet.write_blank(r, col, None, formats[kind])
            elif kind == 'date' and isinstance(value, dt.date):
                worksheet.write_datetime(r, col, dt.datetime.combine(
                        value, dt.time()), formats[kind])
            else:
                worksheet.write(r, col, value, formats[kind])
            widths[col] = max(widths[col], len(str(value)) + 2)
    for col, width in enumerate(widths):
        worksheet.set_column(col, col, min(width * 1.2, 60))
    last = first + len(rows)
    if columns:
        worksheet.autofilter(first, 0, max(last, first), len(columns) - 1)
    worksheet.freeze_panes(first + 1, 0)
    if chart is not None and rows:
        graph = workbook.add_chart({'type': 'column'})
        graph.add_series({
                'name': [sheet, first, chart],
                'categories': [sheet, first + 1, 0, last, 0],
                'values': [sheet, first + 1, chart, last, chart],
                })
        graph.set_title({'name': title})
        graph.set_legend({'none': True})
        worksheet.insert_chart(first, len(columns) + 1, graph)
    workbook.close()
    return output.getvalue()
