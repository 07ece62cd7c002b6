# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Projects, buildings and units of the property-management system, and
how well an available unit matches a customer's wishes."""
import datetime as dt

from sql import Null

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .engine import matching
from .exceptions import PropertyError

# recommended units kept per customer, interested customers per unit
UNITS_PER_CUSTOMER = 10
CUSTOMERS_PER_UNIT = 20
MIN_SCORE = 50.0
WISH_FIELDS = ['wish_budget_min', 'wish_budget_max', 'wish_area_min',
    'wish_area_max', 'wish_rooms', 'wish_district']


class Project(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'crm.property.project'
    __string__ = "Property Project"

    company = fields.Many2One('company.company', "Company", required=True)
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True)
    city = fields.Char("City")
    district = fields.Char("District")
    buildings = fields.One2Many(
        'crm.property.building', 'project', "Buildings")
    units = fields.One2Many('crm.property', 'project', "Units")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.company, t.code),
                'crm_integration.msg_project_code_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class Building(ModelSQL, ModelView):
    __name__ = 'crm.property.building'
    __string__ = "Property Building"

    project = fields.Many2One(
        'crm.property.project', "Project", required=True,
        ondelete='CASCADE')
    code = fields.Char("Code", required=True, strip=True)
    name = fields.Char("Name", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('project')

    def get_rec_name(self, name):
        return '%s %s' % (self.project.name, self.name)


class Property(ModelSQL, ModelView):
    __name__ = 'crm.property'
    __string__ = "Property Unit"

    project = fields.Many2One(
        'crm.property.project', "Project", required=True,
        ondelete='RESTRICT')
    building = fields.Many2One(
        'crm.property.building', "Building", ondelete='RESTRICT',
        domain=[('project', '=', Eval('project', -1))])
    unit_no = fields.Char("Unit No.", required=True)
    usage = fields.Selection([
            ('sale', "For Sale"),
            ('rent', "For Rent"),
            ], "Usage", required=True)
    rooms = fields.Integer("Rooms")
    halls = fields.Integer("Living Rooms")
    baths = fields.Integer("Bathrooms")
    layout = fields.Function(fields.Char("Layout"), 'get_layout')
    area = fields.Float(
        "Floor Area", digits=(16, 2), help="In square metres.")
    floor = fields.Integer("Floor")
    orientation = fields.Char("Orientation")
    price = fields.Numeric(
        "Price or Monthly Rent", digits=(16, 2),
        help="The sale price, or the monthly rent of a unit for rent.")
    status = fields.Selection([
            ('available', "Available"),
            ('reserved', "Reserved"),
            ('sold', "Sold"),
            ('let', "Let"),
            ], "Status", required=True)
    external_id = fields.Char("External ID", readonly=True)
    interested_customers = fields.One2Many(
        'crm.property.match', 'property', "Interested Customers",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [
            ('project', 'ASC'), ('unit_no', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t, (t.status, Index.Equality())))
        cls._buttons.update({
                'find_customers': {},
                })

    @staticmethod
    def default_status():
        return 'available'

    @staticmethod
    def default_usage():
        return 'sale'

    def get_layout(self, name):
        if self.rooms is None:
            return None
        return gettext('crm_integration.msg_layout',
            rooms=self.rooms, halls=self.halls or 0, baths=self.baths or 0)

    def get_rec_name(self, name):
        building = self.building.name + ' ' if self.building else ''
        return '%s %s%s' % (self.project.name, building, self.unit_no)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return ['OR',
            ('unit_no', operator, operand, *extra),
            ('project.name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, properties, field_names):
        super().validate_fields(properties, field_names)
        for unit in properties:
            for name in ['area', 'price', 'rooms', 'halls', 'baths']:
                value = getattr(unit, name)
                if value is not None and value < 0:
                    raise PropertyError(gettext(
                            'crm_integration.msg_property_negative',
                            unit=unit.rec_name,
                            field=cls.fields_get([name])[name]['string']))

    @classmethod
    @ModelView.button
    def find_customers(cls, properties):
        Pool().get('crm.property.match').refresh_properties(properties)

    def as_unit(self):
        return matching_unit(self.id, self.price, self.area, self.rooms,
            self.project.district)


def matching_unit(id_, price, area, rooms, district):
    return {'id': id_, 'price': price, 'area': area, 'rooms': rooms,
        'district': district}


def party_wish(party):
    return {
        'budget_min': party.wish_budget_min,
        'budget_max': party.wish_budget_max,
        'area_min': party.wish_area_min,
        'area_max': party.wish_area_max,
        'rooms': party.wish_rooms,
        'district': party.wish_district,
        }


class Match(ModelSQL, ModelView):
    __name__ = 'crm.property.match'
    __string__ = "Property Match"

    party = fields.Many2One(
        'party.party', "Customer", required=True, readonly=True,
        ondelete='CASCADE')
    property = fields.Many2One(
        'crm.property', "Unit", required=True, readonly=True,
        ondelete='CASCADE')
    score = fields.Float("Score", digits=(16, 1), readonly=True,
        help="0 to 100: the share of the customer's stated wishes the "
        "unit meets.")
    budget_points = fields.Float("Budget", digits=(16, 2), readonly=True)
    area_points = fields.Float("Area", digits=(16, 2), readonly=True)
    rooms_points = fields.Float("Layout", digits=(16, 2), readonly=True)
    district_points = fields.Float(
        "District", digits=(16, 2), readonly=True)
    explanation = fields.Text("Explanation", readonly=True)
    computed = fields.DateTime("Computed", readonly=True)
    price = fields.Function(
        fields.Numeric("Price or Monthly Rent", digits=(16, 2)),
        'get_unit_field')
    status = fields.Function(
        fields.Selection('get_statuses', "Status"), 'get_unit_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('score', 'DESC'), ('id', 'ASC')]
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.property, Index.Equality())),
                })
        cls.__access__.add('party')

    @classmethod
    def get_statuses(cls):
        Property = Pool().get('crm.property')
        return Property.fields_get(['status'])['status']['selection']

    def get_unit_field(self, name):
        return getattr(self.property, name)

    @classmethod
    def _available_units(cls):
        pool = Pool()
        Property = pool.get('crm.property')
        Project = pool.get('crm.property.project')
        unit = Property.__table__()
        project = Project.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*unit.join(project,
                condition=project.id == unit.project).select(
                unit.id, unit.price, unit.area, unit.rooms,
                project.district,
                where=unit.status == 'available'))
        return [matching_unit(*r) for r in cursor]

    @classmethod
    def _wishing_parties(cls):
        "Wish dicts of the active customers who stated any wish"
        Party = Pool().get('party.party')
        party = Party.__table__()
        cursor = Transaction().connection.cursor()
        where = party.active == True  # noqa: E712
        stated = None
        for name in WISH_FIELDS:
            clause = getattr(party, name) != Null
            stated = clause if stated is None else stated | clause
        cursor.execute(*party.select(party.id,
                *[getattr(party, n) for n in WISH_FIELDS],
                where=where & stated))
        return [(row[0], dict(zip(
                    ['budget_min', 'budget_max', 'area_min', 'area_max',
                        'rooms', 'district'], row[1:])))
            for row in cursor]

    @staticmethod
    def _match_values(party_id, unit_id, total, parts, now):
        values = {'party': party_id, 'property': unit_id, 'score': total,
            'computed': now}
        lines = []
        for part in parts:
            field = {'budget': 'budget_points', 'area': 'area_points',
                'rooms': 'rooms_points',
                'district': 'district_points'}[part['criterion']]
            values[field] = part['points']
            lines.append(gettext(
                    'crm_integration.msg_match_part',
                    criterion=gettext('crm_integration.msg_criterion_%s'
                        % part['criterion']),
                    points=part['points'], max_points=part['max_points'],
                    reason=gettext('crm_integration.msg_reason_%s'
                        % part['reason'])))
        values['explanation'] = '\n'.join(lines)
        return values

    @classmethod
    def refresh_parties(cls, parties):
        "Recommend the best available units to each customer"
        units = cls._available_units()
        now = dt.datetime.now()
        vlist = []
        for party in parties:
            for unit_id, total, parts in matching.rank(
                    party_wish(party), units, limit=UNITS_PER_CUSTOMER,
                    min_score=MIN_SCORE):
                vlist.append(cls._match_values(party.id, unit_id, total, parts,
                        now))
        cls.delete(cls.search([('party', 'in', [p.id for p in parties])]))
        cls.create(vlist)

    @classmethod
    def refresh_properties(cls, properties):
        "Find the customers whose wishes an available unit meets best"
        wishes = cls._wishing_parties()
        now = dt.datetime.now()
        vlist = []
        for unit in properties:
            if unit.status != 'available':
                continue
            data = unit.as_unit()
            scored = []
            for party_id, wish in wishes:
                total, parts = matching.score(wish, data)
                if total >= MIN_SCORE:
                    scored.append((-total, party_id, parts))
            scored.sort(key=lambda s: (s[0], s[1]))
            for total, party_id, parts in scored[:CUSTOMERS_PER_UNIT]:
                vlist.append(cls._match_values(
                        party_id, unit.id, -total, parts, now))
        cls.delete(cls.search(
                [('property', 'in', [p.id for p in properties])]))
        cls.create(vlist)
