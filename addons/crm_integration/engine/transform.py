# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Turn the raw values of an external system's row into CRM values.

>>> apply('phone', '+86 138-0013-8000')
'13800138000'
>>> apply('decimal', '1,234.50')
Decimal('1234.50')
>>> apply('date', '05.01.2024')
datetime.date(2024, 1, 5)
>>> mappings = [
...     {'external_field': 'id', 'crm_field': 'external_id',
...         'transform': 'trim', 'required': True},
...     {'external_field': 'type', 'crm_field': 'customer_type',
...         'transform': 'code', 'codes': {'P': 'person'}},
...     {'external_field': 'mail', 'crm_field': 'email',
...         'transform': 'email'}]
>>> map_row({'id': ' C-1 ', 'type': 'p', 'mail': 'nobody'}, mappings)
({'external_id': 'C-1', 'customer_type': 'person'}, \
[('mail', 'bad_email', 'nobody')])
"""
import datetime as dt
import hashlib
import json
import re
import unicodedata
from decimal import Decimal

TRANSFORMS = (
    'none', 'trim', 'upper', 'lower', 'phone', 'email', 'date',
    'datetime', 'decimal', 'integer', 'boolean', 'code')
ERROR_CODES = (
    'required', 'bad_date', 'bad_datetime', 'bad_number', 'bad_integer',
    'bad_boolean', 'bad_phone', 'bad_email', 'unknown_code', 'too_long')

# The formats tried in order when a mapping gives none; the last ones are
# the Chinese year/month/day (nian, yue, ri) spellings.
DATE_FORMATS = (
    '%Y-%m-%d', '%Y/%m/%d', '%Y%m%d', '%d.%m.%Y',
    '%Y\u5e74%m\u6708%d\u65e5')
DATETIME_FORMATS = (
    '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M',
    '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M',
    '%Y\u5e74%m\u6708%d\u65e5 %H:%M:%S', '%Y\u5e74%m\u6708%d\u65e5 %H:%M')
# True / False spellings; \u662f and \u5426 are the Chinese yes (shi) and
# no (fou).
TRUE_WORDS = {'1', 'true', 'yes', 'y', 't', '\u662f'}
FALSE_WORDS = {'0', 'false', 'no', 'n', 'f', '\u5426'}

_SPACES = re.compile(r'\s+')
_LETTER = re.compile(r'[^\W\d_]')
_NON_DIGIT = re.compile(r'\D')
# Mainland China: 86 before an 11-digit mobile number.
_CN_MOBILE = re.compile(r'^86(1\d{10})$')
_EMAIL = re.compile(r'^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$')
_NUMBER = re.compile(r'^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)'
    r'(?:[eE][+-]?[0-9]+)?$')
_GROUPED = re.compile(r'^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$')
# Currency signs and codes around an amount; \u5143 is yuan.
_CURRENCY = re.compile(
    r'^(?:[\u00a5$\u20ac\u00a3]|RMB|CNY)\s*|\s*(?:\u5143|RMB|CNY)$', re.I)


class TransformError(ValueError):

    def __init__(self, code, value):
        self.code = code
        self.value = '' if value is None else str(value)
        super().__init__(code, self.value)


def _text(value):
    "The text of a raw value; a whole float without its '.0'"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _fold(value):
    "Width-folded, stripped text"
    return unicodedata.normalize('NFKC', _text(value)).strip()


def is_empty(value):
    "None and blank strings carry no value"
    return value is None or (isinstance(value, str) and not value.strip())


def trim(value):
    """Strip and collapse every run of white space to one space.

    >>> trim(' Wang \\u3000 Wei\\n')
    'Wang Wei'
    """
    return _SPACES.sub(' ', _text(value)).strip()


def phone(value):
    """Digits, with '+' for a foreign number and no prefix for a Chinese
    mobile number.

    >>> phone('0086 138 0013 8000'), phone('+44 (20) 7123 4567')
    ('13800138000', '+442071234567')
    """
    text = _fold(value)
    if _LETTER.search(text):
        raise TransformError('bad_phone', value)
    digits = _NON_DIGIT.sub('', text)
    international = text.startswith('+')
    if not international and digits.startswith('00'):
        # 00 is the international call prefix
        digits, international = digits[2:], True
    mobile = _CN_MOBILE.match(digits)
    if mobile:
        digits, international = mobile.group(1), False
    if not 5 <= len(digits) <= 15:
        raise TransformError('bad_phone', value)
    return '+' + digits if international else digits


def email(value):
    """Folded to lower case; refused unless it looks like local@domain.tld.

    >>> email(' Wang.Wei@Example.COM ')
    'wang.wei@example.com'
    """
    text = _fold(value).lower()
    if not _EMAIL.match(text):
        raise TransformError('bad_email', value)
    return text


def _naive(value):
    "A datetime in UTC without time zone, as Tryton stores it"
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def date(value, fmt=None):
    """A date from a date, a datetime or text in fmt or a usual format.

    >>> date('2024\\u5e741\\u67085\\u65e5'), date('05/01/2024', '%d/%m/%Y')
    (datetime.date(2024, 1, 5), datetime.date(2024, 1, 5))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _fold(value)
    for format_ in [fmt] if fmt else DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, format_).date()
        except ValueError:
            pass
    raise TransformError('bad_date', value)


def datetime(value, fmt=None):
    """A naive datetime from ISO 8601 (with 'T' or a space, seconds
    optional) or another usual format; an aware one is turned into UTC.

    >>> datetime('2024-01-05T09:30')
    datetime.datetime(2024, 1, 5, 9, 30)
    >>> datetime('2024-01-05 09:30:15+08:00')
    datetime.datetime(2024, 1, 5, 1, 30, 15)
    """
    if isinstance(value, dt.datetime):
        return _naive(value)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = _fold(value)
    if fmt:
        formats = [fmt]
    else:
        try:
            return _naive(dt.datetime.fromisoformat(text))
        except ValueError:
            formats = DATETIME_FORMATS
    for format_ in formats:
        try:
            return _naive(dt.datetime.strptime(text, format_))
        except ValueError:
            pass
    raise TransformError('bad_datetime', value)


def decimal(value, code='bad_number'):
    """A Decimal from a number or from text with thousands separators,
    a currency sign or full-width digits.

    >>> decimal('\\uffe51,234.5'), decimal(0.1)
    (Decimal('1234.5'), Decimal('0.1'))
    """
    if isinstance(value, bool):
        raise TransformError(code, value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = _CURRENCY.sub('', _fold(value)).replace(' ', '')
        if ',' in text:
            if not _GROUPED.match(text):
                raise TransformError(code, value)
            text = text.replace(',', '')
        if not _NUMBER.match(text):
            raise TransformError(code, value)
        number = Decimal(text)
    if not number.is_finite():
        raise TransformError(code, value)
    return number


def integer(value):
    """An int from a whole number or its text.

    >>> integer('12'), integer(12.0), integer('1,200')
    (12, 12, 1200)
    """
    number = decimal(value, 'bad_integer')
    if number != number.to_integral_value():
        raise TransformError('bad_integer', value)
    return int(number)


def boolean(value):
    """True or False from the usual spellings, in any case.

    >>> boolean('Yes'), boolean(0), boolean('F')
    (True, False, False)
    """
    if isinstance(value, bool):
        return value
    word = _fold(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise TransformError('bad_boolean', value)


def code(value, codes=None):
    """The CRM value of an external code, looked up exactly, then in any
    case.

    >>> code(' o ', {'P': 'person', 'O': 'organisation'})
    'organisation'
    """
    codes = codes or {}
    key = _text(value).strip()
    if key in codes:
        return codes[key]
    folded = key.casefold()
    for external, crm in codes.items():
        if str(external).strip().casefold() == folded:
            return crm
    raise TransformError('unknown_code', value)


_CONVERTERS = {
    'trim': trim,
    'upper': lambda value: trim(value).upper(),
    'lower': lambda value: trim(value).lower(),
    'phone': phone,
    'email': email,
    'date': date,
    'datetime': datetime,
    'decimal': decimal,
    'integer': integer,
    'boolean': boolean,
    }


def apply(transform, value, fmt=None, codes=None):
    """The CRM value of a raw value; None for an empty one.

    >>> apply('upper', ' ab  c '), apply('integer', '  ') is None
    ('AB C', True)
    """
    if transform not in TRANSFORMS:
        raise ValueError('unknown transform %r' % transform)
    if is_empty(value):
        return None
    if transform == 'none':
        return value
    if transform in {'date', 'datetime'}:
        return _CONVERTERS[transform](value, fmt or None)
    if transform == 'code':
        return code(value, codes)
    return _CONVERTERS[transform](value)


def _default(mapping):
    """The converted default of a mapping, None without one; a code
    mapping's default is already a CRM value."""
    default = mapping.get('default')
    if is_empty(default) or mapping.get('transform') in {'code', 'none'}:
        return default if not is_empty(default) else None
    return apply(mapping['transform'], default, mapping.get('format'))


def map_row(row, mappings):
    """The CRM values of an external row and the problems found, as
    (external_field, code, raw value) triples.

    Every mapping is evaluated, so that all the problems of a row are
    reported at once.  An empty value takes the mapping's default; without
    one it is refused when required and left out otherwise.

    >>> map_row({'n': 'Wang'}, [
    ...     {'external_field': 'n', 'crm_field': 'name', 'transform': 'trim',
    ...         'max_length': 3},
    ...     {'external_field': 'r', 'crm_field': 'rooms',
    ...         'transform': 'integer', 'default': '2'},
    ...     {'external_field': 'c', 'crm_field': 'code', 'transform': 'trim',
    ...         'required': True}])
    ({'rooms': 2}, [('n', 'too_long', 'Wang'), ('c', 'required', '')])
    """
    values, errors = {}, []
    for mapping in mappings:
        field = mapping['external_field']
        raw = row.get(field)
        try:
            value = apply(mapping.get('transform') or 'none', raw,
                mapping.get('format'), mapping.get('codes'))
            if value is None:
                value = _default(mapping)
        except TransformError as e:
            errors.append((field, e.code, e.value))
            continue
        if value is None:
            if mapping.get('required'):
                errors.append(
                    (field, 'required', '' if raw is None else str(raw)))
            continue
        max_length = mapping.get('max_length')
        if (max_length and isinstance(value, str)
                and len(value) > max_length):
            errors.append((field, 'too_long', str(raw)))
            continue
        values[mapping['crm_field']] = value
    return values, errors


def row_checksum(values):
    """A stable SHA-1 of the values: the same whatever the key order.

    >>> row_checksum({'a': 1, 'b': Decimal('2.50')}) == row_checksum(
    ...     {'b': Decimal('2.50'), 'a': 1})
    True
    """
    data = json.dumps(values, sort_keys=True, default=str,
        ensure_ascii=False, separators=(',', ':'))
    return hashlib.sha1(data.encode('utf-8')).hexdigest()
