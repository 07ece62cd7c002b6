# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CrmHrTestCase(CompanyTestMixin, ModuleTestCase):
    module = 'crm_hr'


class CrmHrExtrasTestCase(CompanyTestMixin, ModuleTestCase):
    module = 'crm_hr'
    extras = ['crm_service', 'sale_opportunity']


del ModuleTestCase
