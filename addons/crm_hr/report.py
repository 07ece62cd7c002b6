# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Excel exports (.xlsx, xlsxwriter) of the HR lists and of a campaign's
bonus list, with the labels in the user's language."""
from trytond.model import Model
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

from .engine.xlsx import table_xlsx


class XlsxReport(Report):
    __name__ = 'crm.hr.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        Model_ = Pool().get(action.model or data['model'])
        return 'xlsx', cls.workbook(
            action.name, Model_, records, cls.filters(Model_))

    @classmethod
    def filters(cls, Model_):
        "(label, text) of the statistics context in use."
        pool = Pool()
        context = Transaction().context
        Context = pool.get('crm.hr.statistics.context')
        result = []
        for name in ['from_date', 'to_date']:
            if context.get(name):
                label = Context.fields_get([name])[name]['string']
                result.append((label, str(context[name])))
        return result

    @classmethod
    def workbook(cls, title, Model_, records, filters, chart_field=None):
        columns = Model_.xlsx_columns()
        names = [n for n, _ in columns]
        definitions = Model_.fields_get(names)
        rows = [[_text(getattr(r, n)) for n in names] for r in records]
        numeric = [i for i, (_, kind) in enumerate(columns)
            if kind != 'text' and i > 0]
        chart = names.index(chart_field) if chart_field else (
            numeric[-1] if numeric else None)
        return table_xlsx(title, filters,
            [(definitions[n]['string'], kind) for n, kind in columns],
            rows, chart=chart, sheet=Model_.__names__()['model'])


def _text(value):
    if isinstance(value, Model):
        return value.rec_name
    return value


class BonusListReport(XlsxReport):
    __name__ = 'crm.hr.campaign.bonus.xlsx'

    @classmethod
    def _execute(cls, campaigns, header, data, action):
        Bonus = Pool().get('crm.hr.bonus')
        Campaign = Pool().get('crm.hr.campaign')
        bonuses = Bonus.search([
                ('campaign', 'in', [c.id for c in campaigns]),
                ])
        label = Campaign.fields_get(['name'])['name']['string']
        filters = [(label, ', '.join(c.rec_name for c in campaigns))]
        return 'xlsx', cls.workbook(
            action.name, Bonus, bonuses, filters, chart_field='amount')
