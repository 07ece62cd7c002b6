# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Excel exports (.xlsx) of the analytics reports and of a run's results,
labels in the user's language, with the filters used and a native chart."""
import datetime as dt
from decimal import Decimal

from sql import Column

from trytond.model import Model, fields
from trytond.pool import Pool
from trytond.report import Report
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .contribution import by_margin
from .engine.xlsx import Chart, report_xlsx
from .run import RESULTS

# per model: (category column, bar column, line column) of the chart
CHARTS = {
    'crm.analytics.contribution': ('party', 'revenue', 'cumulative_share'),
    'crm.analytics.contribution.group': (None, 'revenue', None),
    'crm.analytics.rfm': ('party', 'monetary', None),
    'crm.analytics.pair': ('product', 'lift', None),
    'crm.analytics.suggestion': ('party', 'lift', None),
    'crm.analytics.clv': ('party', 'lifetime_value', None),
    'crm.marketing.campaign.roi': ('campaign', 'roi', None),
    'crm.marketing.campaign.roi.channel': ('channel', 'roi', None),
    'crm.analytics.snapshot.comparison': ('indicator', 'change_percent',
        None),
    'crm.analytics.funnel': ('stage', 'reached', None),
    'crm.analytics.win_rate.employee': ('employee', 'win_rate', None),
    'crm.analytics.win_rate.source': ('source', 'win_rate', None),
    'crm.analytics.forecast': ('month', 'weighted_amount', None),
    'crm.analytics.service.month': ('month', 'csat', None),
    'crm.analytics.complaint.reason': ('reason', 'complaints', None),
    }
CHART_ROWS = 50
# names read per browse: trytond checks the whole id list per record
LABEL_CHUNK = 200


class XlsxReport(Report):
    __name__ = 'crm.analytics.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        pool = Pool()
        model = action.model or data['model']
        Model_ = pool.get(model)
        if model == 'crm.analytics.run':
            run, = records
            Model_ = pool.get(RESULTS[run.kind])
            records, domain = None, [('run', '=', run.id)]
            filters = cls.run_filters(run)
            title = run.rec_name
        else:
            # no selection: every row of the report
            records, domain = records or None, []
            filters = cls.context_filters(model)
            title = action.name
        return 'xlsx', cls.workbook(title, filters, Model_, records, domain)

    @classmethod
    def context_filters(cls, model):
        pool = Pool()
        if model == 'crm.analytics.snapshot.comparison':
            return pool.get(
                'crm.analytics.snapshot.comparison.context').filters()
        return pool.get('crm.analytics.context').filters()

    @classmethod
    def run_filters(cls, run):
        names = ['company', 'kind', 'start_date', 'end_date', 'finished',
            'customers', 'message']
        names += {
            'rfm': ['satisfaction_weight', 'loyalty_weight',
                'stability_weight', 'value_weight'],
            'pairs': ['min_support', 'min_confidence', 'min_lift',
                'suggestions_per_customer'],
            'clv': ['horizon_days', 'clv_months', 'monthly_discount_rate',
                'risk_threshold'],
            }[run.kind]
        definitions = run.fields_get(names)
        result = []
        for name in names:
            value = getattr(run, name)
            if value is None:
                continue
            if name == 'kind':
                value = dict(definitions[name]['selection'])[value]
            result.append((definitions[name]['string'], _text(value)))
        return result

    @classmethod
    def workbook(cls, title, filters, Model_, records=None, domain=None):
        """The .xlsx of records, or of every record of domain (read by
        one query when the columns are stored)"""
        columns = Model_.xlsx_columns()
        names = [n for n, _ in columns]
        definitions = Model_.fields_get(names)
        if records is None and not any(
                isinstance(Model_._fields[n], fields.Function)
                for n in names):
            rows = _query_rows(Model_, domain or [], names, definitions)
        else:
            if records is None:
                records = Model_.search(domain or [])
            rows = [[_cell(r, n, definitions[n]) for n in names]
                for r in records]
        chart = None
        category, values, line = CHARTS.get(Model_.__name__, (None,) * 3)
        if values == 'revenue' and by_margin():
            values = 'margin'
        if values in names:
            chart = Chart(
                category=names.index(category) if category in names else 0,
                values=names.index(values),
                line=names.index(line) if line in names else None)
        sheet = Model_.__names__()['model']
        return report_xlsx(title, filters,
            [(definitions[n]['string'], kind) for n, kind in columns],
            rows, chart=chart, sheet=sheet, chart_rows=CHART_ROWS)


def _query_rows(Model_, domain, names, definitions):
    """The cells of the records of domain, in the model's order and under
    its record rules, read by one query: browsing a list of ids costs
    trytond a check of the whole list per record, minutes for 100,000"""
    pool = Pool()
    cursor = Transaction().connection.cursor()
    cursor.execute(*Model_.search(domain, query=True))
    ids = [i for i, in cursor]
    table = Model_.__table__()
    cursor.execute(*table.select(table.id,
            *(Column(table, n) for n in names),
            where=table.id.in_(Model_.search(domain, order=[], query=True))))
    values = {row[0]: row[1:] for row in cursor}
    labels = {}
    for name in names:
        definition = definitions[name]
        if definition['type'] == 'many2one':
            Target = pool.get(definition['relation'])
            column = names.index(name)
            targets = sorted({v[column] for v in values.values()
                    if v[column] is not None})
            labels[name] = {}
            for chunk in grouped_slice(targets, LABEL_CHUNK):
                labels[name].update(
                    (r.id, r.rec_name) for r in Target.browse(list(chunk)))
        elif definition['type'] == 'selection':
            labels[name] = dict(definition['selection'])
    return [[_value(v, definitions[n], labels.get(n))
            for n, v in zip(names, values[i])] for i in ids]


def _value(value, definition, labels):
    "A cell of a column read by SQL"
    kind = definition['type']
    if kind == 'many2one':
        return labels.get(value)
    if kind == 'selection':
        return labels.get(value, value)
    if kind == 'boolean':
        return "✓" if value else ""
    if value is None:
        return None
    if kind == 'numeric':
        return Decimal(str(value))
    if kind == 'float':
        return float(value)
    if kind == 'date' and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _cell(record, name, definition):
    value = getattr(record, name)
    if definition['type'] == 'selection':
        return dict(definition['selection']).get(value, value)
    if definition['type'] == 'boolean':
        return "✓" if value else ""
    return _text(value)


def _text(value):
    if isinstance(value, Model):
        return value.rec_name
    return value
