# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CrmIntegrationTestCase(CompanyTestMixin, ModuleTestCase):
    module = 'crm_integration'


class CrmIntegrationExtrasTestCase(CompanyTestMixin, ModuleTestCase):
    module = 'crm_integration'
    extras = ['crm_service', 'sale']


del ModuleTestCase
