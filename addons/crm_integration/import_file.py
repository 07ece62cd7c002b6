# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Loading a customer file (CSV or XLSX) through a system's mapping: a
dry run that says what would be created, merged, updated or rejected
and why, then the real run, and an integrity report with the rejected
rows as a spreadsheet."""
import datetime as dt
import io
from collections import Counter

import xlsxwriter

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .engine import transform
from .exceptions import ImportFileError
from .importer import linked_records
from .savepoint import savepoint
from .transport import read_csv, read_xlsx

MAX_FILE_BYTES = 50_000_000


class _DryRun(Exception):
    "Raised to undo a dry run once its report is made"


def read_file(data, filename):
    "The rows of an uploaded CSV or XLSX file"
    name = (filename or '').lower()
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(gettext(
                'crm_integration.msg_import_too_large',
                limit=MAX_FILE_BYTES // 1_000_000))
    try:
        if name.endswith('.xlsx') or data[:2] == b'PK':
            return read_xlsx(data)
        return read_csv(data)
    except Exception as e:
        raise ImportFileError(gettext(
                'crm_integration.msg_import_unreadable',
                file=filename or '', reason=str(e)[:200])) from None


def load_customers(system, rows, dry_run=False, batch=None):
    """Import customer rows through a job of the system; a dry run is
    undone.  Returns the job (not saved for a dry run), the counters and
    the refused [(row, reason)]."""
    Job = Pool().get('crm.integration.job')
    job = Job(system=system, record_type='customer', direction='import',
        state='running', started=dt.datetime.now())
    mapping = system.mapping_for('customer')
    batch = batch or system.page_size
    totals, refused, seen = Counter(), [], set()
    with Transaction().set_context(_integration_no_commit=True):
        try:
            with savepoint():
                job.save()
                for start in range(0, len(rows), batch):
                    done, refused_ = job.import_rows(
                        rows[start:start + batch], mapping, start + 1,
                        seen)
                    totals += done
                    refused += refused_
                if dry_run:
                    raise _DryRun
                job.state = 'done'
                job.finished = dt.datetime.now()
                job.save()
        except _DryRun:
            job = None
    totals['read'] = len(rows)
    totals['failed'] = len(refused)
    return job, totals, refused


def stored_count(system, rows, mapping):
    "How many of the file's external ids the CRM now links to a customer"
    ids = set()
    for raw in rows:
        values, _ = transform.map_row(raw, mapping)
        if values.get('external_id'):
            ids.add(str(values['external_id']))
    return len(linked_records(system, 'customer', ids))


def rejects_workbook(refused):
    "The refused rows with the reason, as an XLSX file"
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = workbook.add_worksheet(gettext('crm_integration.msg_rejects'))
    bold = workbook.add_format({'bold': True})
    columns = []
    for row, _ in refused:
        for key in row.raw:
            if key not in columns:
                columns.append(key)
    header = [gettext('crm_integration.msg_rejects_row'),
        gettext('crm_integration.msg_rejects_reason')] + columns
    sheet.write_row(0, 0, header, bold)
    for index, (row, reason) in enumerate(refused, 1):
        raw = row.raw
        sheet.write(index, 0, row.number)
        sheet.write_string(index, 1, reason)
        for col, key in enumerate(columns, 2):
            value = raw.get(key)
            if value is not None:
                sheet.write_string(index, col, str(value))
    sheet.set_column(1, 1, 60)
    workbook.close()
    return output.getvalue()


def report_text(totals, stored=None):
    text = gettext('crm_integration.msg_import_report',
        read=totals['read'], created=totals['created'],
        merged=totals['merged'], updated=totals['updated'],
        skipped=totals['skipped'], failed=totals['failed'])
    if stored is not None:
        text += '\n' + gettext('crm_integration.msg_import_integrity',
            accepted=totals['read'] - totals['failed'], stored=stored)
    return text


class ImportStart(ModelView):
    __name__ = 'crm.integration.import.start'
    __string__ = "Import Customers"

    system = fields.Many2One(
        'crm.integration.system', "System", required=True,
        help="Its customer mapping reads the file; the customers are "
        "linked to it by their external ids.")
    file = fields.Binary("File", required=True, filename='filename',
        help="CSV (UTF-8) or XLSX with a header row.")
    filename = fields.Char("File Name")


class ImportResult(ModelView):
    __name__ = 'crm.integration.import.result'
    __string__ = "Import Customers Result"

    dry_run = fields.Boolean("Dry Run", readonly=True)
    report = fields.Text("Report", readonly=True)
    rejects = fields.Binary(
        "Rejected Rows", filename='rejects_name', readonly=True)
    rejects_name = fields.Char("Rejects File Name", readonly=True)
    job = fields.Many2One('crm.integration.job', "Job", readonly=True)


class Import(Wizard):
    __name__ = 'crm.integration.import'
    __string__ = "Import Customers"

    start = StateView('crm.integration.import.start',
        'crm_integration.import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Dry Run", 'dry_run', 'tryton-search', default=True),
            Button("Import", 'load', 'tryton-import'),
            ])
    dry_run = StateTransition()
    load = StateTransition()
    result = StateView('crm.integration.import.result',
        'crm_integration.import_result_view_form', [
            Button("Back", 'start', 'tryton-back'),
            Button("Import", 'load', 'tryton-import',
                states={'invisible': ~Eval('dry_run', False)}),
            Button("Close", 'end', 'tryton-close'),
            ])

    def _run(self, dry_run):
        rows = read_file(self.start.file, self.start.filename)
        if not rows:
            raise ImportFileError(gettext(
                    'crm_integration.msg_import_empty',
                    file=self.start.filename or ''))
        system = self.start.system
        job, totals, refused = load_customers(system, rows, dry_run)
        stored = None if dry_run else stored_count(
            system, rows, system.mapping_for('customer'))
        self._result = {
            'dry_run': dry_run,
            'report': report_text(totals, stored),
            'job': job.id if job else None,
            'rejects': rejects_workbook(refused) if refused else None,
            'rejects_name': 'rejects.xlsx' if refused else None,
            }
        self.result.dry_run = dry_run
        return 'result'

    def transition_dry_run(self):
        return self._run(True)

    def transition_load(self):
        return self._run(False)

    def default_result(self, fields):
        return getattr(self, '_result', {})
