# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.party.tests import PartyCheckReplaceMixin
from trytond.tests.test_tryton import ModuleTestCase


class CrmServiceTestCase(
        PartyCheckReplaceMixin, CompanyTestMixin, ModuleTestCase):
    module = 'crm_service'


class CrmServiceOpportunityTestCase(
        PartyCheckReplaceMixin, CompanyTestMixin, ModuleTestCase):
    module = 'crm_service'
    extras = ['sale_opportunity']


del ModuleTestCase
