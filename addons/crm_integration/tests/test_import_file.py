# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bulk import of a customer file: the dry run stores nothing and says
what the real run then does; rejected rows come back as a spreadsheet."""
import io
import tempfile
from pathlib import Path

import openpyxl

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase, create_customer
from trytond.modules.crm_integration import import_file
from trytond.modules.crm_integration.exceptions import ImportFileError
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from . import standin
from .tools import create_system


class ImportFileTestCase(DBTestCase):
    module = 'crm_integration'

    def customer_file(self, fmt):
        data = standin.generate(customers=40, orders_per_customer=0,
            bad_dates=3, duplicate_ids=2, seed=11)
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / ('customers.' + fmt)
            standin.write_customer_file(path, data['customers'], fmt=fmt)
            return data['customers'], path.read_bytes()

    @staticmethod
    def expected_refusals(customers):
        "Rows with an impossible birthday, then repeated ids"
        import datetime as dt
        seen, refused = set(), 0
        for row in customers:
            try:
                if row['birthday']:
                    dt.datetime.strptime(row['birthday'], '%Y/%m/%d')
            except ValueError:
                refused += 1
                continue
            if row['id'] in seen:
                refused += 1
            seen.add(row['id'])
        return refused, len(seen)

    def check_import(self, fmt):
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        customers, content = self.customer_file(fmt)
        refusals, accepted_ids = self.expected_refusals(customers)
        self.assertEqual(refusals, 5)
        with set_company(company):
            system = create_system('http://127.0.0.1:9', code='MIG')
            known = customers[5]
            create_customer('老客户', ('mobile', known['mobile']))
            before = Party.search_count([])
            rows = import_file.read_file(content, 'customers.' + fmt)
            self.assertEqual(len(rows), len(customers))

            job, dry, refused = import_file.load_customers(
                system, rows, dry_run=True)
            self.assertIsNone(job)
            self.assertEqual(Party.search_count([]), before)
            self.assertEqual(dry['failed'], 5)
            self.assertGreaterEqual(dry['merged'], 1)
            self.assertEqual(
                dry['created'] + dry['merged'] + dry['failed'],
                len(customers))

            job, real, refused = import_file.load_customers(system, rows)
            self.assertEqual(job.state, 'done')
            self.assertEqual(
                {k: real[k] for k in ['created', 'merged', 'failed']},
                {k: dry[k] for k in ['created', 'merged', 'failed']})
            self.assertEqual(
                Party.search_count([]), before + real['created'])
            stored = import_file.stored_count(
                system, rows, system.mapping_for('customer'))
            self.assertEqual(stored, len(customers) - 2 - 3)

            book = openpyxl.load_workbook(
                io.BytesIO(import_file.rejects_workbook(refused)))
            sheet = book.worksheets[0]
            values = list(sheet.iter_rows(values_only=True))
            self.assertEqual(values[0][:2], ('Row', 'Reason'))
            self.assertEqual(len(values), 1 + 5)
            header = values[0]
            ids = [r[header.index('id')] for r in values[1:]]
            self.assertEqual(len(ids), 5)
            report = import_file.report_text(real, stored)
            self.assertIn('Rejected: 5', report)

            # the same file again: nothing new
            job, again, _ = import_file.load_customers(system, rows)
            self.assertEqual(again['created'] + again['merged'], 0)
            self.assertEqual(again['skipped'], len(customers) - 5)

    @with_transaction()
    def test_csv(self):
        self.check_import('csv')

    @with_transaction()
    def test_xlsx(self):
        self.check_import('xlsx')

    @with_transaction()
    def test_unreadable_file_refused(self):
        with self.assertRaises(ImportFileError):
            import_file.read_file(b'PK\x03\x04garbage', 'customers.xlsx')
