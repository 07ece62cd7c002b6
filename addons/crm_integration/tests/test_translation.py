# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""zh_CN coverage of crm_integration's own strings (see crm_core's
test_translation_coverage for how the strings are found)."""
import unittest

from trytond.modules.crm_core.tests.test_translation_coverage import (
    check_module_translated, sources)
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)


class TranslationTestCase(unittest.TestCase):
    "Test zh_CN coverage of crm_integration"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['crm_integration'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_crm_integration_translated(self):
        "Test every string of crm_integration has a zh_CN translation"
        check_module_translated(self, 'crm_integration', 'menu_integration',
            'Integration')

    @with_transaction()
    def test_crm_integration_sources_found(self):
        "Test the scan finds the strings of crm_integration of every kind"
        found = {s.type for s in sources(('crm_integration',))}
        self.assertGreaterEqual(found, {
                'field', 'help', 'selection', 'model', 'view',
                'wizard_button'})


class TranslationExtrasTestCase(unittest.TestCase):
    "Test zh_CN coverage of crm_integration with its optional modules"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['crm_integration', 'crm_service', 'sale'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_crm_integration_translated(self):
        "Test every string of crm_integration and its extras is translated"
        check_module_translated(self, 'crm_integration', 'menu_integration',
            'Integration')
