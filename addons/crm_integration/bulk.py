# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The bulk path of imports: new customers and purchase lines inserted by
SQL in one statement per slice, with what the ORM's create would do for
them done once per batch (codes, keys, computed fields, data quality,
duplicate detection).  Creating them through the ORM runs at about 80
customers a second (bench/results/core_bulk_create.json)."""
import datetime as dt
import re

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from trytond.modules.crm_core.engine import dedup, quality

from .exceptions import RowError

INSERT_SLICE = 500
WISH_RANGES = [
    ('wish_budget_min', 'wish_budget_max'),
    ('wish_area_min', 'wish_area_max')]


def _columns(Model):
    "The stored, plain (not x2many) fields of Model"
    skip = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date'}
    result = {}
    for name, field in Model._fields.items():
        if (name in skip or isinstance(field, (
                        fields.Function, fields.MultiValue,
                        fields.One2Many, fields.Many2Many))
                or not hasattr(field, 'sql_type')):
            continue
        result[name] = field
    return result


def check_values(Model, vlist):
    """What the ORM would refuse in values made by the mappings: unknown or
    missing required fields, values outside a selection, text too long"""
    columns = _columns(Model)
    selections = {}
    for name, field in columns.items():
        if isinstance(field, fields.Selection) and isinstance(
                field.selection, (list, tuple)):
            selections[name] = {k for k, _ in field.selection}
    required = [n for n, f in columns.items() if f.required]
    defaults = Model.default_get(list(columns), with_rec_name=False)
    string = {}
    for values in vlist:
        for name, value in values.items():
            if name not in columns:
                raise RowError(gettext(
                        'crm_integration.msg_bulk_unknown_field',
                        field=name))
            if (name in selections and value is not None
                    and value not in selections[name]):
                string.setdefault(name, Model.fields_get([name])[name])
                raise RowError(gettext(
                        'crm_integration.msg_bulk_selection',
                        field=string[name]['string'], value=value))
            size = getattr(columns[name], 'size', None)
            if size and isinstance(value, str) and len(value) > size:
                raise RowError(gettext(
                        'crm_integration.msg_problem_too_long'))
        for name in required:
            if values.get(name, defaults.get(name)) in (None, ''):
                string.setdefault(name, Model.fields_get([name])[name])
                raise RowError(gettext(
                        'crm_integration.msg_row_missing',
                        field=string[name]['string']))
    return defaults


def insert(Model, vlist, defaults=None):
    """Insert the records of vlist (plain stored fields only) with the
    model's defaults; returns their ids in order"""
    if not vlist:
        return []
    transaction = Transaction()
    database = transaction.database
    cursor = transaction.connection.cursor()
    table = Model.__table__()
    columns = _columns(Model)
    if defaults is None:
        defaults = Model.default_get(list(columns), with_rec_name=False)
    names = sorted({n for v in vlist for n in v} | {
            n for n, v in defaults.items() if n in columns})
    now = dt.datetime.now()
    user = transaction.user
    rows = [[columns[n].sql_format(values.get(n, defaults.get(n)))
            for n in names] + [user, now] for values in vlist]
    sql_columns = [getattr(table, n) for n in names] + [
        table.create_uid, table.create_date]
    ids = []
    try:
        next_ids = database.nextid(
            transaction.connection, Model._table, count=len(rows))
    except (AttributeError, NotImplementedError, TypeError):
        next_ids = None
    if next_ids:
        if isinstance(next_ids, int):
            next_ids = [next_ids]
        for sub in grouped_slice(list(zip(next_ids, rows)), INSERT_SLICE):
            sub = list(sub)
            cursor.execute(*table.insert([table.id] + sql_columns,
                    [[id_] + row for id_, row in sub]))
            ids.extend(id_ for id_, _ in sub)
    else:
        for row in rows:
            cursor.execute(*table.insert(sql_columns, [row]))
            ids.append(cursor.lastrowid)
    return ids


def check_wish_ranges(values):
    "crm_core's rule: a wish range does not end before it starts"
    for low, high in WISH_RANGES:
        low_value, high_value = values.get(low), values.get(high)
        if (low_value is not None and high_value is not None
                and low_value > high_value):
            raise RowError(gettext('crm_core.msg_wish_range',
                    party=values.get('name'), low=low_value,
                    high=high_value))


def create_customers(vlist, mechanisms):
    """Insert new customers and their contact mechanisms (mechanisms[i] is
    the list of {'type', 'value'} of vlist[i]); returns the party ids"""
    if not vlist:
        return []
    pool = Pool()
    Party = pool.get('party.party')
    Mechanism = pool.get('party.contact_mechanism')
    Duplicate = pool.get('crm.duplicate')
    sequence = Party._code_sequence()
    codes = list(sequence.get_many(len(vlist))) if sequence else [
        None] * len(vlist)
    rows = []
    for values, code in zip(vlist, codes):
        values = dict(values, name_key=dedup.name_key(values['name']))
        if code and not values.get('code'):
            values['code'] = code
        if values.get('code'):
            values['code_alnum'] = re.sub(r'[\W_]', '', values['code'])
            digits = re.sub(r'\D', '', values['code'])[-18:]
            values['code_digit'] = int(digits) if digits else None
        check_wish_ranges(values)
        rows.append(values)
    defaults = check_values(Party, rows)
    ids = insert(Party, rows, defaults)
    contact_rows = []
    for party_id, contacts in zip(ids, mechanisms):
        for contact in contacts:
            type_, value = contact['type'], contact['value']
            record = Mechanism(type=type_, value=value)
            value = record.format_value(value=value, type_=type_) or value
            contact_rows.append({
                    'party': party_id, 'type': type_, 'value': value,
                    'value_compact': record.format_value_compact(
                        value=value, type_=type_),
                    'dedup_key': dedup.contact_key(type_, value),
                    'quality': ('valid'
                        if quality.is_valid_contact(type_, value)
                        else 'invalid'),
                    })
    insert(Mechanism, contact_rows)
    parties = Party.browse(ids)
    Party.update_data_quality(parties)
    Duplicate.detect(parties)
    return ids


def create_purchases(vlist):
    "Insert purchase lines; crm_core refuses a quantity of zero"
    Purchase = Pool().get('crm.purchase')
    for values in vlist:
        if not values.get('quantity'):
            raise RowError(gettext(
                    'crm_core.msg_purchase_quantity_zero',
                    party=values.get('party')))
    defaults = check_values(Purchase, vlist)
    return insert(Purchase, vlist, defaults)
