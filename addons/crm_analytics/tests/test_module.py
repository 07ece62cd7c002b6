# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CrmAnalyticsTestCase(CompanyTestMixin, ModuleTestCase):
    module = 'crm_analytics'


class CrmAnalyticsExtrasTestCase(CompanyTestMixin, ModuleTestCase):
    module = 'crm_analytics'
    extras = ['crm_service', 'sale_opportunity']


del ModuleTestCase
