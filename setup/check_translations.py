#!/usr/bin/env python3
# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""List the strings of the CRM screens without a zh_CN translation.

Usage:
    python setup/check_translations.py -c CONF -d DB [--load] [--skeleton PO]

The database must have crm_core activated.  --load loads zh_CN first (as
``trytond-admin -l zh_CN``, committed); --skeleton writes a po file with one
entry per missing string, using the override context (``type:name:module.``)
when the owning module already has a zh_CN record to override and the plain
context (``type:name:``) otherwise.
"""
import argparse
import os
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', default=os.environ.get(
            'TRYTOND_CONFIG'))
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('-l', '--language', default='zh_CN')
    parser.add_argument('--load', action='store_true',
        help="load the language before checking")
    parser.add_argument('--skeleton', metavar='PO',
        help="write the missing entries to this po file")
    options = parser.parse_args()

    from trytond import config
    config.update_etc(options.config)
    import polib

    from trytond.modules.crm_core.tests import (
        test_translation_coverage as coverage)
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool.start()
    pool = Pool(options.database)
    pool.init()
    with Transaction().start(options.database, 0) as transaction:
        if options.load:
            coverage.load_language(options.language)
            transaction.commit()
        missing = coverage.untranslated(
            coverage.sources(), options.language)
        pofile = polib.POFile(wrapwidth=78)
        pofile.metadata = {'Content-Type': 'text/plain; charset=utf-8'}
        for source, existing in missing:
            if existing is not None:
                ctxt = '%s:%s:%s.%s' % (source.type, source.name,
                    source.module, source.fs_id)
            elif source.res_id < 0:
                ctxt = '%s:%s:' % (source.type, source.name)
            else:
                print('cannot translate %s' % (source,), file=sys.stderr)
                continue
            value = existing.value if existing is not None else ''
            print('%s\t%r\t%r' % (ctxt, source.src, value))
            pofile.append(polib.POEntry(
                    msgctxt=ctxt, msgid=source.src, msgstr=value or ''))
        print('%d missing' % len(missing), file=sys.stderr)
        if options.skeleton:
            pofile.save(options.skeleton)
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
