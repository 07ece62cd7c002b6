# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""zh_CN coverage of the Tryton screens a CRM user works in.

Tryton's own zh_CN of party, company, country and currency is incomplete
and fuzzy entries are ignored at run time, so crm_core completes them in
``locale/override/zh_CN.po``.  This test loads zh_CN the way
``trytond-admin -l zh_CN`` does and lists every source string of those
modules that still has no translated, non-fuzzy value.

It also checks that every user-visible string of crm_core itself (fields,
help, selections, views, buttons, menus, actions, messages, groups, model
names) has a zh_CN value in ``locale/zh_CN.po``.
"""
import os
import unittest
from collections import namedtuple

from lxml import etree

from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.tools import file_open
from trytond.transaction import Transaction

LANGUAGE = 'zh_CN'
MODULES = ('party', 'company', 'country', 'currency')
# Translation types a user sees; ir.translation types 'field', 'help',
# 'selection', 'model' (model names and model data: menus, actions,
# messages, groups, buttons ...) and 'wizard_button' have an 'en' source
# record, 'view' and 'report' strings are read from the views and reports.
REGISTERED_TYPES = ('field', 'help', 'selection', 'model', 'wizard_button')
# (a list's sum="1" is a switch, not a label)
VIEW_ATTRIBUTES = ('string', 'confirm', 'help')

Source = namedtuple('Source', 'module type name res_id fs_id src')


def view_strings(element):
    "Yield the translatable strings of a view element as ir.ui.view does"
    for attr in VIEW_ATTRIBUTES:
        if element.get(attr):
            yield element.get(attr)
    for child in element:
        yield from view_strings(child)


def report_strings(report):
    "Yield the translatable strings of a report as ir.translation.set does"
    pool = Pool()
    TranslationSet = pool.get('ir.translation.set', type='wizard')
    if not report.report or not report.translatable:
        return
    extract = getattr(TranslationSet,
        'extract_report_%s' % report.template_extension, None)
    if extract is None:
        return
    with file_open(report.report.replace('/', os.sep), mode='rb') as fp:
        content = fp.read()
    for string in extract(None, content):
        yield string if isinstance(string, str) else string[0]


def sources(modules=MODULES):
    "Return the user visible source strings of the modules"
    pool = Pool()
    Translation = pool.get('ir.translation')
    ModelData = pool.get('ir.model.data')
    View = pool.get('ir.ui.view')
    Report = pool.get('ir.action.report')

    db_id2fs_id = {}
    for data in ModelData.search([('module', 'in', list(modules))]):
        models = [data.model] + list(Translation.extra_model_data(data))
        for model in models:
            db_id2fs_id[data.module, model, data.db_id] = data.fs_id

    result = set()
    for translation in Translation.search([
                ('lang', '=', 'en'),
                ('module', 'in', list(modules)),
                ('type', 'in', REGISTERED_TYPES),
                ], order=[]):
        if not translation.src:
            continue
        fs_id = ''
        if translation.res_id >= 0:
            model = translation.name.split(',')[0]
            fs_id = db_id2fs_id.get(
                (translation.module, model, translation.res_id))
            if fs_id is None:
                continue
        result.add(Source(translation.module, translation.type,
                translation.name, translation.res_id, fs_id,
                translation.src))
    for view in View.search([('module', 'in', list(modules))]):
        if not view.model or not (view.arch or '').strip():
            continue
        for string in view_strings(etree.fromstring(view.arch)):
            result.add(Source(view.module, 'view', view.model, -1, '', string))
    for report in Report.search([('module', 'in', list(modules))]):
        for string in report_strings(report):
            result.add(Source(report.module, 'report', report.report_name,
                    -1, '', string))
    return result


def untranslated(sources, language=LANGUAGE, own=False):
    """Return the sources without a translated, non-fuzzy value

    Each is returned with the existing translation of its module (or None).
    With own, only a translation of the source's module counts.
    """
    pool = Pool()
    Translation = pool.get('ir.translation')
    translated, existing = set(), {}
    for translation in Translation.search([
                ('lang', '=', language),
                ('name', 'in', list({s.name for s in sources})),
                ], order=[]):
        if translation.type == 'model' and translation.res_id >= 0:
            key = (translation.type, translation.name, translation.res_id)
        else:
            key = (translation.type, translation.name, translation.res_id,
                translation.src)
        if translation.value and not translation.fuzzy:
            translated.add(key + ((translation.module,) if own else ()))
        existing.setdefault(key + (translation.module,), translation)
    result = []
    for source in sorted(sources):
        if source.type == 'model' and source.res_id >= 0:
            key = (source.type, source.name, source.res_id)
        else:
            key = (source.type, source.name, source.res_id, source.src)
        if key + ((source.module,) if own else ()) not in translated:
            result.append((source, existing.get(key + (source.module,))))
    return result


def load_language(language=LANGUAGE):
    "Load the translations like trytond-admin -l does"
    pool = Pool()
    Lang = pool.get('ir.lang')
    lang, = Lang.search([('code', '=', language)])
    Lang.load_translations([lang])


def describe(source, existing):
    "Describe a missing string as the po entry that would translate it"
    line = '%s:%s:%s.%s %r' % (source.type, source.name, source.module,
        source.fs_id, source.src)
    if existing is not None and existing.value:
        line += ' (fuzzy: %r)' % existing.value
    return line


def check_module_translated(test, module, menu_xml_id, english_name):
    """Fail test if a string of module has no zh_CN value in its po file

    Also check that the menu menu_xml_id of module, named english_name in
    English, reads in zh_CN.
    """
    pool = Pool()
    Menu = pool.get('ir.ui.menu')
    ModelData = pool.get('ir.model.data')
    load_language()

    missing = untranslated(sources((module,)), own=True)
    if missing:
        test.fail('%d strings without %s translation in '
            '%s/locale/%s.po:\n%s' % (
                len(missing), LANGUAGE, module, LANGUAGE,
                '\n'.join(describe(*m) for m in missing)))
    with Transaction().set_context(language=LANGUAGE):
        menu = Menu(ModelData.get_id(module, menu_xml_id))
        test.assertNotEqual(menu.name, english_name)


def check_crm_core_translated(test):
    "Fail test if a string of crm_core has no zh_CN value in its po file"
    check_module_translated(test, 'crm_core', 'menu_customer', 'Customers')


class TranslationCoverageTestCase(unittest.TestCase):
    "Test zh_CN coverage of crm_core and of the screens it builds on"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['crm_core'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_screens_translated(self):
        "Test every string of the CRM screens has a zh_CN translation"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        load_language()

        missing = untranslated(sources())
        if missing:
            self.fail('%d strings without %s translation in '
                'crm_core/locale/override/%s.po:\n%s' % (
                    len(missing), LANGUAGE, LANGUAGE,
                    '\n'.join(describe(*m) for m in missing)))
        with Transaction().set_context(language=LANGUAGE):
            menu = Menu(ModelData.get_id('party', 'menu_identifier_form'))
            self.assertNotEqual(menu.name, 'Identifiers')

    @with_transaction()
    def test_crm_core_translated(self):
        "Test every string of crm_core has a zh_CN translation of its own"
        check_crm_core_translated(self)

    @with_transaction()
    def test_crm_core_sources_found(self):
        "Test the scan finds the strings of crm_core of every kind"
        found = {s.type for s in sources(('crm_core',))}
        self.assertGreaterEqual(found, {
                'field', 'help', 'selection', 'model', 'view',
                'wizard_button'})

    @with_transaction()
    def test_sources_found(self):
        "Test the scan finds the strings of every kind"
        found = {(s.module, s.type) for s in sources()}
        for module in MODULES:
            for type_ in ['field', 'help', 'model']:
                self.assertIn((module, type_), found)
        for key in [('party', 'view'), ('party', 'selection'),
                ('party', 'wizard_button'), ('company', 'report')]:
            self.assertIn(key, found)


class TranslationCoverageSaleTestCase(unittest.TestCase):
    "Test zh_CN coverage of crm_core with sale (its extras) active"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['crm_core', 'sale'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_crm_core_translated(self):
        "Test every string of crm_core and its sale extras is translated"
        check_crm_core_translated(self)
