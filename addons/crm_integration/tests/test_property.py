# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The property-management connector and property matching: units from
the stand-in system, ranked for a customer on a hand-checked example."""
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_core.tests.tools import DBTestCase, create_customer
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from . import standin
from .tools import create_system, sync

# A hand-worked example: the customer wants 3 rooms, 80-100 m2, up to
# 5,000,000 in 浦东新区.  Weights: budget 40, area 25, rooms 20, district 15.
UNITS = [
    # id, district, rooms, area, price, status, expected score
    ('U1', '浦东新区', 3, '90', '4800000', 'available', 100.0),
    # 3 % over budget: 40 * (1 - 0.03 / 0.2) = 34; area, rooms, district
    ('U2', '浦东新区', 3, '95', '5150000', 'available', 94.0),
    # 2 rooms: half of 20; another district: 0 of 15
    ('U3', '徐汇区', 2, '85', '4000000', 'available', 75.0),
    # sold: never recommended
    ('U4', '浦东新区', 3, '90', '4500000', 'sold', None),
    # 130 m2 is 30 % over 100: 0 of 25; 5 rooms: 0; 40 % over budget: 0
    ('U5', '浦东新区', 5, '130', '7000000', 'available', 15.0),
    ]


def property_data():
    return {
        'projects': [
            {'code': 'PRJ1', 'name': '阳光花园', 'district': '浦东新区',
                'city': '上海'},
            {'code': 'PRJ2', 'name': '徐汇苑', 'district': '徐汇区',
                'city': '上海'},
            ],
        'buildings': [
            {'code': 'PRJ1-B1', 'project': 'PRJ1', 'name': '1号楼'},
            {'code': 'PRJ2-B1', 'project': 'PRJ2', 'name': '1号楼'},
            ],
        'units': [{
                'id': id_, 'project': 'PRJ1' if d == '浦东新区' else 'PRJ2',
                'building': ('PRJ1-B1' if d == '浦东新区' else 'PRJ2-B1'),
                'unit_no': '1-%s' % id_, 'usage': 'sale', 'rooms': rooms,
                'halls': 2, 'baths': 1, 'area': area, 'floor': 8,
                'orientation': '南', 'price': price, 'status': status,
                'updated_at': '2026-11-01T10:00:00'}
            for id_, d, rooms, area, price, status, _ in UNITS],
        }


class PropertyTestCase(DBTestCase):
    module = 'crm_integration'

    @with_transaction()
    def test_units_imported_and_ranked(self):
        pool = Pool()
        Property = pool.get('crm.property')
        Party = pool.get('party.party')
        company = create_company()
        with standin.StandIn(property_data()).start() as server, \
                set_company(company):
            system = create_system(server.url, kind='property',
                code='PMS')
            jobs = sync(system)
            self.assertEqual([j.state for j in jobs], ['done'] * 3)
            self.assertEqual([j.created for j in jobs], [2, 2, 5])
            unit, = Property.search([('unit_no', '=', '1-U2')])
            self.assertEqual(unit.project.name, '阳光花园')
            self.assertEqual(unit.building.name, '1号楼')
            self.assertEqual(unit.price, Decimal('5150000.00'))
            self.assertEqual(unit.layout, '3 rooms, 2 living rooms, '
                '1 bathrooms')

            customer = create_customer('王伟', ('mobile', '13900000001'),
                wish_rooms=3, wish_area_min=80, wish_area_max=100,
                wish_budget_max=Decimal(5000000), wish_district='浦东')
            Party.recommend_units([customer])
            customer = Party(customer.id)
            ranked = [(m.property.unit_no, m.score)
                for m in customer.recommended_units]
            expected = [('1-' + u[0], u[6]) for u in UNITS
                if u[6] is not None and u[6] >= 50]
            self.assertEqual(ranked, expected)
            best = customer.recommended_units[0]
            self.assertEqual(
                (best.budget_points, best.area_points, best.rooms_points,
                    best.district_points), (40, 25, 20, 15))
            self.assertIn('Budget: 40', best.explanation)

            u3, = Property.search([('unit_no', '=', '1-U3')])
            Property.find_customers([u3])
            u3 = Property(u3.id)
            self.assertEqual(
                [(m.party.id, m.score) for m in u3.interested_customers],
                [(customer.id, 75.0)])

            # the second sync of the units changes nothing
            jobs = sync(system)
            self.assertEqual([j.skipped for j in jobs], [2, 2, 5])
            self.assertEqual(Property.search_count([]), 5)

    @with_transaction()
    def test_unit_of_unknown_project_is_refused(self):
        data = property_data()
        data['units'][0]['project'] = 'NOPE'
        data['units'][1]['status'] = 'demolished'
        company = create_company()
        with standin.StandIn(data).start() as server, \
                set_company(company):
            system = create_system(server.url, kind='property',
                code='PMS')
            _, _, units = sync(system)
            self.assertEqual((units.created, units.failed), (3, 2))
            messages = sorted(e.message for e in units.errors)
            self.assertIn('NOPE', messages[1] + messages[0])
            self.assertTrue(any('demolished' in m for m in messages))
