# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What each kind of external system exchanges: the record types read
from it, the collection each is read from and the default mapping of
their fields."""

KINDS = [
    ('sales', "Sales System"),
    ('property', "Property Management"),
    ('purchase_centre', "House-Purchase Centre"),
    ('office', "Office System"),
    ]

RECORD_TYPES = [
    ('customer', "Customers"),
    ('product', "Products"),
    ('order', "Orders"),
    ('project', "Projects"),
    ('building', "Buildings"),
    ('unit', "Units"),
    ('visit', "Visits and Reservations"),
    ('task', "Tasks and Approvals"),
    ('customer_export', "Customers (Export)"),
    ('ticket_export', "Tickets (Export)"),
    ]

# kind: record types imported, in the order a full sync runs them
IMPORTS = {
    'sales': ['customer', 'product', 'order'],
    'property': ['project', 'building', 'unit'],
    'purchase_centre': ['customer', 'visit'],
    'office': ['task'],
    }
EXPORTS = {
    'sales': ['customer_export'],
    'office': ['ticket_export'],
    }
# record type: the collection of the external system
COLLECTIONS = {
    'customer': 'customers',
    'product': 'products',
    'order': 'orders',
    'project': 'projects',
    'building': 'buildings',
    'unit': 'units',
    'visit': 'visits',
    'task': 'tasks',
    'customer_export': 'customers',
    'ticket_export': 'tickets',
    }

# The CRM fields a mapping of a record type may fill.
TARGETS = {
    'customer': [
        'external_id', 'name', 'customer_type', 'mobile', 'phone',
        'email', 'gender', 'birth_date', 'occupation', 'id_number',
        'wish_district', 'wish_budget_min', 'wish_budget_max',
        'wish_area_min', 'wish_area_max', 'wish_rooms', 'value_tier',
        'preferences'],
    'product': ['external_id', 'name', 'list_price'],
    'order': [
        'external_id', 'customer', 'date', 'store', 'channel', 'lines'],
    'order_line': [
        'line', 'product_code', 'description', 'quantity', 'amount'],
    'project': ['external_id', 'name', 'district', 'city'],
    'building': ['external_id', 'project', 'name'],
    'unit': [
        'external_id', 'project', 'building', 'unit_no', 'usage',
        'rooms', 'halls', 'baths', 'area', 'floor', 'orientation',
        'price', 'status'],
    'visit': [
        'external_id', 'customer', 'name', 'mobile', 'project', 'date',
        'kind', 'unit', 'note'],
    'task': [
        'external_id', 'customer', 'subject', 'kind', 'status', 'due'],
    }


def _m(external, crm, transform='trim', required=False, fmt=None,
        codes=None, max_length=None):
    return {
        'external_field': external, 'crm_field': crm,
        'transform': transform, 'required': required, 'format': fmt,
        'codes': codes or {}, 'max_length': max_length}


DEFAULT_MAPPINGS = {
    'customer': [
        _m('id', 'external_id', required=True, max_length=64),
        _m('name', 'name', required=True, max_length=120),
        _m('type', 'customer_type', 'code', codes={
                'P': 'person', 'O': 'organisation'}),
        _m('mobile', 'mobile', 'phone'),
        _m('email', 'email', 'email'),
        _m('gender', 'gender', 'code', codes={
                'M': 'male', 'F': 'female'}),
        _m('birthday', 'birth_date', 'date', fmt='%Y/%m/%d'),
        _m('district', 'wish_district', max_length=60),
        _m('budget', 'wish_budget_max', 'decimal'),
        _m('area_wish', 'wish_area_min', 'decimal'),
        _m('rooms_wish', 'wish_rooms', 'integer'),
        _m('level', 'value_tier', 'code', codes={
                'VIP': 'a', 'GOLD': 'b', 'NORMAL': 'c'}),
        ],
    'product': [
        _m('code', 'external_id', required=True, max_length=64),
        _m('name', 'name', required=True),
        _m('price', 'list_price', 'decimal'),
        ],
    'order': [
        _m('order_no', 'external_id', required=True, max_length=64),
        _m('customer_id', 'customer', required=True),
        _m('date', 'date', 'date', required=True),
        _m('store', 'store'),
        _m('channel', 'channel', 'code', codes={
                'store': 'store', 'online': 'online', 'phone': 'phone'}),
        _m('lines', 'lines', 'none', required=True),
        ],
    'order_line': [
        _m('line_no', 'line', 'integer', required=True),
        _m('product_code', 'product_code', required=True),
        _m('quantity', 'quantity', 'decimal', required=True),
        _m('amount', 'amount', 'decimal', required=True),
        ],
    'project': [
        _m('code', 'external_id', required=True, max_length=64),
        _m('name', 'name', required=True),
        _m('district', 'district'),
        _m('city', 'city'),
        ],
    'building': [
        _m('code', 'external_id', required=True, max_length=64),
        _m('project', 'project', required=True),
        _m('name', 'name', required=True),
        ],
    'unit': [
        _m('id', 'external_id', required=True, max_length=64),
        _m('project', 'project', required=True),
        _m('building', 'building'),
        _m('unit_no', 'unit_no', required=True),
        _m('usage', 'usage', 'code', required=True, codes={
                'sale': 'sale', 'rent': 'rent'}),
        _m('rooms', 'rooms', 'integer'),
        _m('halls', 'halls', 'integer'),
        _m('baths', 'baths', 'integer'),
        _m('area', 'area', 'decimal'),
        _m('floor', 'floor', 'integer'),
        _m('orientation', 'orientation'),
        _m('price', 'price', 'decimal'),
        _m('status', 'status', 'code', required=True, codes={
                'available': 'available', 'reserved': 'reserved',
                'sold': 'sold', 'let': 'let'}),
        ],
    'visit': [
        _m('id', 'external_id', required=True, max_length=64),
        _m('customer_id', 'customer'),
        _m('name', 'name'),
        _m('mobile', 'mobile', 'phone'),
        _m('project', 'project'),
        _m('date', 'date', 'datetime', required=True),
        _m('kind', 'kind', 'code', required=True, codes={
                'visit': 'visit', 'reservation': 'reservation'}),
        _m('unit', 'unit'),
        _m('note', 'note', 'none'),
        ],
    'task': [
        _m('id', 'external_id', required=True, max_length=64),
        _m('customer_id', 'customer', required=True),
        _m('subject', 'subject', required=True, max_length=200),
        _m('kind', 'kind', 'code', required=True, codes={
                'follow_up': 'follow_up', 'approval': 'approval'}),
        _m('status', 'status', 'code', required=True, codes={
                'open': 'open', 'done': 'done', 'approved': 'approved',
                'rejected': 'rejected'}),
        _m('due', 'due', 'date'),
        ],
    }
