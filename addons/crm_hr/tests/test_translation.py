# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""zh_CN coverage of crm_hr's own strings (see crm_core's
test_translation_coverage for how the strings are found)."""
import unittest

from trytond.modules.crm_core.tests.test_translation_coverage import (
    check_module_translated, sources)
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)


class TranslationTestCase(unittest.TestCase):
    "Test zh_CN coverage of crm_hr"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['crm_hr'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_crm_hr_translated(self):
        "Test every string of crm_hr has a zh_CN translation of its own"
        check_module_translated(self, 'crm_hr', 'menu_hr', 'Human Resources')

    @with_transaction()
    def test_crm_hr_sources_found(self):
        "Test the scan finds the strings of crm_hr of every kind"
        found = {s.type for s in sources(('crm_hr',))}
        self.assertGreaterEqual(found, {
                'field', 'help', 'selection', 'model', 'view'})


class TranslationExtrasTestCase(unittest.TestCase):
    "Test zh_CN coverage of crm_hr with its extras active"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(
            ['crm_hr', 'crm_core', 'crm_service', 'sale_opportunity'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_crm_hr_translated(self):
        "Test every string of crm_hr and its extras is translated"
        check_module_translated(self, 'crm_hr', 'menu_hr', 'Human Resources')
