# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Check and clean the arguments of an integrator's API call.

Every problem of the payload is collected, as (path, code, params), before
one ValidationError is raised.

>>> schema = {
...     'name': Field('str', required=True, max_length=5),
...     'rooms': Field('int', min=1),
...     'budget': Field('decimal', nullable=True)}
>>> validate({'name': ' Wang ', 'budget': 1.5}, schema)
{'name': 'Wang', 'budget': Decimal('1.5')}
>>> try:
...     validate({'name': 'Wang Wei', 'rooms': 0, 'age': 3}, schema, 'c')
... except ValidationError as e:
...     e.errors
[('c.age', 'unknown_field', {}), ('c.name', 'max_length', {'max': 5}), \
('c.rooms', 'min', {'min': 1})]
"""
import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation

TYPES = (
    'str', 'int', 'decimal', 'float', 'bool', 'date', 'datetime', 'dict',
    'list')
CODES = (
    'required', 'unknown_field', 'type', 'max_length', 'min', 'max',
    'choice', 'too_many', 'empty', 'bad_date', 'bad_datetime',
    'control_character')

# C0 controls except tab, line feed and carriage return
_CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f]')
_DATE = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}$')


class ValidationError(ValueError):

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(self.errors)


class Field:
    __slots__ = ('type', 'required', 'max_length', 'min', 'max', 'choices',
        'schema', 'max_items', 'nullable')

    def __init__(self, type, required=False, max_length=None, min=None,
            max=None, choices=None, schema=None, max_items=None,
            nullable=False):
        if type not in TYPES:
            raise ValueError('unknown field type %r' % type)
        self.type = type
        self.required = required
        self.max_length = max_length
        self.min = min
        self.max = max
        self.choices = choices
        self.schema = schema
        self.max_items = max_items
        self.nullable = nullable

    def __repr__(self):
        return 'Field(%r)' % self.type


class _Invalid(Exception):

    def __init__(self, code, **params):
        self.code = code
        self.params = params


def _join(path, key):
    return '%s.%s' % (path, key) if path else str(key)


def _str(value, field):
    if not isinstance(value, str):
        raise _Invalid('type', type='str')
    if _CONTROL.search(value):
        raise _Invalid('control_character')
    value = value.strip()
    if not value and field.required:
        raise _Invalid('empty')
    if field.max_length is not None and len(value) > field.max_length:
        raise _Invalid('max_length', max=field.max_length)
    return value


def _int(value, field):
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Invalid('type', type='int')
    return value


def _decimal(value, field):
    if isinstance(value, bool):
        raise _Invalid('type', type='decimal')
    try:
        if isinstance(value, float):
            value = Decimal(repr(value))
        elif isinstance(value, str):
            if not re.fullmatch(r'\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)'
                    r'(?:[eE][+-]?[0-9]+)?\s*', value):
                raise _Invalid('type', type='decimal')
            value = Decimal(value.strip())
        elif isinstance(value, (int, Decimal)):
            value = Decimal(value)
        else:
            raise _Invalid('type', type='decimal')
    except InvalidOperation:
        raise _Invalid('type', type='decimal')
    if not value.is_finite():
        raise _Invalid('type', type='decimal')
    return value


def _float(value, field):
    if (isinstance(value, bool)
            or not isinstance(value, (int, float, Decimal))):
        raise _Invalid('type', type='float')
    value = float(value)
    if value != value or value in {float('inf'), float('-inf')}:
        raise _Invalid('type', type='float')
    return value


def _bool(value, field):
    if not isinstance(value, bool):
        raise _Invalid('type', type='bool')
    return value


def _date(value, field):
    if isinstance(value, dt.datetime):
        raise _Invalid('bad_date')
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        raise _Invalid('bad_date')
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise _Invalid('bad_date')


def _datetime(value, field):
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Invalid('bad_datetime')
    if not isinstance(value, dt.datetime):
        raise _Invalid('bad_datetime')
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _dict(value, field, path, errors):
    if not isinstance(value, dict):
        raise _Invalid('type', type='dict')
    if field.schema is None:
        return dict(value)
    return _check_dict(value, field.schema, path, errors)


def _list(value, field, path, errors):
    if not isinstance(value, (list, tuple)):
        raise _Invalid('type', type='list')
    if field.max_items is not None and len(value) > field.max_items:
        raise _Invalid('too_many', max=field.max_items)
    if field.schema is None:
        return list(value)
    return [_check(item, field.schema, _join(path, i), errors)
        for i, item in enumerate(value)]


_SCALARS = {
    'str': _str,
    'int': _int,
    'decimal': _decimal,
    'float': _float,
    'bool': _bool,
    'date': _date,
    'datetime': _datetime,
    }
_ORDERED = {'int', 'decimal', 'float', 'date', 'datetime'}
_CONTAINERS = {
    'dict': _dict,
    'list': _list,
    }


def _limits(value, field):
    if field.type in _ORDERED:
        if field.min is not None and value < field.min:
            raise _Invalid('min', min=field.min)
        if field.max is not None and value > field.max:
            raise _Invalid('max', max=field.max)
    if field.choices is not None and value not in field.choices:
        raise _Invalid('choice', choices=', '.join(
                str(c) for c in field.choices))


def _check(value, field, path, errors):
    "The cleaned value; its problems appended to errors"
    if value is None:
        if field.required:
            errors.append((path, 'required', {}))
        elif not field.nullable:
            errors.append((path, 'type', {'type': field.type}))
        return None
    try:
        if field.type in _CONTAINERS:
            return _CONTAINERS[field.type](value, field, path, errors)
        value = _SCALARS[field.type](value, field)
        _limits(value, field)
    except _Invalid as e:
        errors.append((path, e.code, e.params))
        return None
    return value


def _check_dict(payload, schema, path, errors):
    cleaned = {}
    for key in payload:
        if key not in schema:
            errors.append((_join(path, key), 'unknown_field', {}))
    for key, field in schema.items():
        if key in payload:
            cleaned[key] = _check(
                payload[key], field, _join(path, key), errors)
        elif field.required:
            errors.append((_join(path, key), 'required', {}))
    return cleaned


def validate(payload, schema, path=''):
    """The payload cleaned: strings stripped, numbers, dates and datetimes
    converted; only the keys given are returned.

    SQL or HTML in a string is no error: it is stored as text.

    >>> validate({'when': '2024-01-05T09:30:00+08:00', 'tags': ['a ']},
    ...     {'when': Field('datetime'), 'tags': Field('list',
    ...         schema=Field('str'), max_items=3)})
    {'when': datetime.datetime(2024, 1, 5, 1, 30), 'tags': ['a']}
    """
    errors = []
    if not isinstance(payload, dict):
        errors.append((path, 'type', {'type': 'dict'}))
    else:
        cleaned = _check_dict(payload, schema, path, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def payload_size(obj):
    """The approximate size in bytes of a JSON-able payload.

    >>> payload_size({'name': 'Wang'})
    16
    """
    return len(json.dumps(obj, default=str, ensure_ascii=False).encode(
            'utf-8'))
