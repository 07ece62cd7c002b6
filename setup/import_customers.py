#!/usr/bin/env python3
"""Load a customer file (CSV or XLSX) into eCRM through an external
system's mapping (crm_integration), from the command line.

    import_customers.py -c CONF -d NAME --system CODE FILE [--dry-run]
        [--rejects rejects.xlsx]

--dry-run reports what would be created, merged, updated or rejected and
why, and stores nothing.  The real run stores every accepted row in one
transaction (nothing when it fails) and prints the integrity report: rows
accepted against customers linked to their external ids.  Rejected rows
go, with the reason, to the --rejects spreadsheet.  Exit status: 0 when
every row was accepted, 1 when some were rejected, 2 on an error.
"""
import argparse
import os
import sys

from trytond.pool import Pool
from trytond.transaction import Transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dbtool import load_config  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('-c', '--config', action='append',
        help="trytond configuration (repeat for several)")
    parser.add_argument('--system', required=True,
        help="code of the external system whose customer mapping reads "
        "the file")
    parser.add_argument('--dry-run', action='store_true')
    parser.add_argument('--rejects', help="write rejected rows here (.xlsx)")
    parser.add_argument('--language', default=None,
        help="language of the report, e.g. zh_CN (default: the "
        "database's)")
    parser.add_argument('file')
    options = parser.parse_args(argv)
    load_config(options.config or [os.environ.get('TRYTOND_CONFIG', '')])
    with open(options.file, 'rb') as f:
        data = f.read()

    pool = Pool(options.database)
    pool.init()
    with Transaction().start(options.database, 0, readonly=True):
        User = pool.get('res.user')
        admin, = User.search([('login', '=', 'admin')])
        context = {
            'company': admin.company.id if admin.company else None,
            'language': (options.language
                or pool.get('ir.configuration').get_language()),
            }
        user = admin.id
    from trytond.exceptions import UserError
    from trytond.modules.crm_integration import import_file
    with Transaction().start(options.database, user, context=context) \
            as transaction:
        System = pool.get('crm.integration.system')
        systems = System.search([('code', '=', options.system)])
        if not systems:
            print("no external system with the code %r" % options.system,
                file=sys.stderr)
            return 2
        system, = systems
        try:
            rows = import_file.read_file(data, options.file)
            job, totals, refused = import_file.load_customers(
                system, rows, dry_run=options.dry_run)
        except UserError as e:
            print(e.message, file=sys.stderr)
            transaction.rollback()
            return 2
        stored = None
        if not options.dry_run:
            stored = import_file.stored_count(
                system, rows, system.mapping_for('customer'))
        print(import_file.report_text(totals, stored))
        if refused and options.rejects:
            with open(options.rejects, 'wb') as f:
                f.write(import_file.rejects_workbook(refused))
        if options.dry_run:
            transaction.rollback()
        else:
            transaction.commit()
    return 1 if refused else 0


if __name__ == '__main__':
    sys.exit(main())
