# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import doctest
import re
import unittest
from decimal import Decimal

from ..engine import backoff, matching, transform, validate
from ..engine.transform import TransformError, apply, map_row
from ..engine.validate import Field, ValidationError


class TransformTestCase(unittest.TestCase):

    def assertRefused(self, name, value, code, **kwargs):
        with self.assertRaises(TransformError) as cm:
            apply(name, value, **kwargs)
        self.assertEqual(cm.exception.code, code)
        self.assertEqual(cm.exception.value, str(value))
        self.assertIsInstance(cm.exception, ValueError)

    def test_error_codes(self):
        self.assertIn('bad_boolean', transform.ERROR_CODES)
        self.assertEqual(len(transform.TRANSFORMS), 12)

    def test_unknown_transform(self):
        with self.assertRaises(ValueError):
            apply('reverse', 'abc')

    def test_empty_is_none(self):
        for name in transform.TRANSFORMS:
            for value in [None, '', '   ', '\u3000\t\n']:
                self.assertIsNone(apply(name, value), (name, value))

    def test_none_unchanged(self):
        for value in [' a ', 12, 1.5, True, [{'a': 1}], dt.date(2024, 1, 5)]:
            self.assertEqual(apply('none', value), value)

    def test_trim(self):
        self.assertEqual(apply('trim', '  Wang \u3000\u3000Wei \n'),
            'Wang Wei')
        self.assertEqual(apply('trim', 'a\t\tb'), 'a b')
        self.assertEqual(apply('trim', 12), '12')
        self.assertEqual(apply('trim', 12.0), '12')
        self.assertEqual(apply('trim', 12.5), '12.5')

    def test_upper_lower(self):
        self.assertEqual(apply('upper', ' vip  gold '), 'VIP GOLD')
        self.assertEqual(apply('lower', ' VIP\u3000Gold '), 'vip gold')

    def test_phone_chinese_mobile(self):
        for value in ['13800138000', '+86 138 0013 8000', '0086-138-0013-8000',
                '86 13800138000', '(+86) 138-0013-8000',
                '\uff11\uff13\uff18\uff10\uff10\uff11\uff13\uff18\uff10'
                '\uff10\uff10', 13800138000, 13800138000.0]:
            self.assertEqual(apply('phone', value), '13800138000', value)

    def test_phone_international(self):
        self.assertEqual(apply('phone', '+44 20 7123 4567'), '+442071234567')
        self.assertEqual(apply('phone', '0044 20 7123 4567'),
            '+442071234567')
        # +86 before a landline keeps its country code
        self.assertEqual(apply('phone', '+86 21 6123 4567'),
            '+862161234567')

    def test_phone_domestic_landline(self):
        self.assertEqual(apply('phone', '021-6123 4567'), '02161234567')

    def test_phone_length(self):
        self.assertEqual(apply('phone', '12345'), '12345')
        self.assertEqual(apply('phone', '1' * 15), '1' * 15)
        self.assertRefused('phone', '1234', 'bad_phone')
        self.assertRefused('phone', '1' * 16, 'bad_phone')
        self.assertRefused('phone', '+', 'bad_phone')

    def test_phone_letters(self):
        self.assertRefused('phone', 'n/a', 'bad_phone')
        self.assertRefused('phone', '138 0013 8000 ext 12', 'bad_phone')

    def test_email(self):
        self.assertEqual(apply('email', ' Wang.Wei@Example.COM '),
            'wang.wei@example.com')
        self.assertEqual(
            apply('email', '\uff57\uff41\uff4e\uff47@qq.com'), 'wang@qq.com')
        for value in ['wang', 'wang@', '@qq.com', 'wang@qq', 'wang@qq.',
                'wang wei@qq.com', 'a@b@c.com', 'wang@.com']:
            self.assertRefused('email', value, 'bad_email')

    def test_date_formats(self):
        expected = dt.date(2024, 1, 5)
        for value in ['2024-01-05', '2024/01/05', '20240105', '05.01.2024',
                '2024\u5e741\u67085\u65e5', '2024\u5e7401\u670805\u65e5',
                ' \uff12\uff10\uff12\uff14-01-05 ', 20240105,
                dt.date(2024, 1, 5), dt.datetime(2024, 1, 5, 23, 59)]:
            self.assertEqual(apply('date', value), expected, value)

    def test_date_format_given(self):
        self.assertEqual(apply('date', '05/01/2024', fmt='%d/%m/%Y'),
            dt.date(2024, 1, 5))
        # the format replaces the usual ones
        self.assertRefused('date', '2024-01-05', 'bad_date', fmt='%d/%m/%Y')
        self.assertEqual(apply('date', '2024-01-05', fmt=''),
            dt.date(2024, 1, 5))

    def test_date_refused(self):
        for value in ['2024-02-30', 'tomorrow', '05/01/2024', '2024-13-01']:
            self.assertRefused('date', value, 'bad_date')

    def test_datetime(self):
        expected = dt.datetime(2024, 1, 5, 9, 30)
        for value in ['2024-01-05T09:30', '2024-01-05 09:30',
                '2024-01-05T09:30:00', '2024/01/05 09:30',
                '05.01.2024 09:30', '2024\u5e741\u67085\u65e5 09:30:00',
                dt.datetime(2024, 1, 5, 9, 30)]:
            self.assertEqual(apply('datetime', value), expected, value)
        self.assertEqual(apply('datetime', '2024-01-05T09:30:15'),
            dt.datetime(2024, 1, 5, 9, 30, 15))
        self.assertEqual(apply('datetime', dt.date(2024, 1, 5)),
            dt.datetime(2024, 1, 5))

    def test_datetime_aware_to_utc(self):
        self.assertEqual(apply('datetime', '2024-01-05T09:30:00+08:00'),
            dt.datetime(2024, 1, 5, 1, 30))
        self.assertEqual(apply('datetime', '2024-01-05T09:30:00Z'),
            dt.datetime(2024, 1, 5, 9, 30))
        aware = dt.datetime(2024, 1, 5, 9, 30,
            tzinfo=dt.timezone(dt.timedelta(hours=8)))
        self.assertIsNone(apply('datetime', aware).tzinfo)

    def test_datetime_format_and_refusal(self):
        self.assertEqual(
            apply('datetime', '05/01/2024 9h30', fmt='%d/%m/%Y %Hh%M'),
            dt.datetime(2024, 1, 5, 9, 30))
        for value in ['2024-01-05 25:00', 'now', '9:30']:
            self.assertRefused('datetime', value, 'bad_datetime')

    def test_decimal(self):
        for value, expected in [
                ('1,234.50', Decimal('1234.50')),
                ('\u00a51234.5', Decimal('1234.5')),
                ('\uffe5 1,234.5', Decimal('1234.5')),
                ('1234.5\u5143', Decimal('1234.5')),
                ('\uff11\uff12\uff13\uff0e\uff15', Decimal('123.5')),
                ('-12', Decimal('-12')), ('.5', Decimal('0.5')),
                ('1,234,567', Decimal('1234567')),
                (12, Decimal(12)), (0.1, Decimal('0.1')),
                (Decimal('2.50'), Decimal('2.50'))]:
            result = apply('decimal', value)
            self.assertIsInstance(result, Decimal)
            self.assertEqual(result, expected, value)

    def test_decimal_refused(self):
        for value in ['NaN', 'nan', 'Infinity', '-inf', 'abc', '1.2.3',
                '1234,5', '12,34', '1_000', True, float('nan'),
                float('inf'), Decimal('NaN')]:
            self.assertRefused('decimal', value, 'bad_number')

    def test_integer(self):
        for value, expected in [('12', 12), (12, 12), (12.0, 12),
                ('12.0', 12), (' 1,200 ', 1200), ('-3', -3),
                ('\uff11\uff12', 12), (Decimal('7'), 7)]:
            result = apply('integer', value)
            self.assertEqual(result, expected, value)
            self.assertIs(type(result), int)
        for value in [12.5, '12.5', 'twelve', True, float('nan')]:
            self.assertRefused('integer', value, 'bad_integer')

    def test_boolean(self):
        for value in ['1', 'true', 'TRUE', 'Yes', 'y', 'T', '\u662f', 1,
                1.0, True]:
            self.assertIs(apply('boolean', value), True, value)
        for value in ['0', 'false', 'No', 'N', 'f', '\u5426', 0, 0.0,
                False]:
            self.assertIs(apply('boolean', value), False, value)
        for value in ['2', 'maybe', 2, 'oui']:
            self.assertRefused('boolean', value, 'bad_boolean')

    def test_code(self):
        codes = {'P': 'person', 'O': 'organisation', 'vip': 'a', '1': 'b'}
        self.assertEqual(apply('code', ' P ', codes=codes), 'person')
        self.assertEqual(apply('code', 'o', codes=codes), 'organisation')
        self.assertEqual(apply('code', 'VIP', codes=codes), 'a')
        self.assertEqual(apply('code', 1, codes=codes), 'b')
        self.assertEqual(apply('code', 1.0, codes=codes), 'b')
        self.assertRefused('code', 'X', 'unknown_code', codes=codes)
        self.assertRefused('code', 'P', 'unknown_code')

    def test_code_exact_before_case_insensitive(self):
        codes = {'a': 'lower', 'A': 'upper'}
        self.assertEqual(apply('code', 'A', codes=codes), 'upper')
        self.assertEqual(apply('code', 'a', codes=codes), 'lower')


def _mapping(external, crm, transform='trim', **kwargs):
    return dict(external_field=external, crm_field=crm,
        transform=transform, **kwargs)


class MapRowTestCase(unittest.TestCase):

    def test_values(self):
        values, errors = map_row(
            {'id': 7, 'mobile': '+86 138 0013 8000', 'since': '2024/01/05',
                'extra': 'ignored'},
            [_mapping('id', 'external_id', required=True),
                _mapping('mobile', 'mobile', 'phone'),
                _mapping('since', 'date', 'date', format='%Y/%m/%d')])
        self.assertEqual(values, {'external_id': '7',
                'mobile': '13800138000', 'date': dt.date(2024, 1, 5)})
        self.assertEqual(errors, [])

    def test_every_problem_reported(self):
        values, errors = map_row(
            {'id': ' ', 'mail': 'x', 'rooms': '2.5', 'name': 'Wang Wei'},
            [_mapping('id', 'external_id', required=True),
                _mapping('mail', 'email', 'email'),
                _mapping('rooms', 'rooms', 'integer', required=True),
                _mapping('name', 'name', max_length=4),
                _mapping('type', 'customer_type', 'code', codes={}),
                _mapping('missing', 'code', required=True)])
        self.assertEqual(values, {})
        self.assertEqual(errors, [
                ('id', 'required', ' '),
                ('mail', 'bad_email', 'x'),
                ('rooms', 'bad_integer', '2.5'),
                ('name', 'too_long', 'Wang Wei'),
                ('missing', 'required', '')])

    def test_empty_left_out_or_default(self):
        values, errors = map_row({'a': '', 'b': None}, [
                _mapping('a', 'city'),
                _mapping('b', 'rooms', 'integer', default='2'),
                _mapping('c', 'usage', 'code', codes={'S': 'sale'},
                    default='rent'),
                _mapping('d', 'store', default=''),
                _mapping('e', 'since', 'date', default=dt.date(2024, 1, 5)),
                _mapping('f', 'name', required=True, default='Unknown')])
        self.assertEqual(values, {'rooms': 2, 'usage': 'rent',
                'since': dt.date(2024, 1, 5), 'name': 'Unknown'})
        self.assertEqual(errors, [])

    def test_bad_default(self):
        values, errors = map_row({}, [
                _mapping('rooms', 'rooms', 'integer', default='many')])
        self.assertEqual(values, {})
        self.assertEqual(errors, [('rooms', 'bad_integer', 'many')])

    def test_value_beats_default(self):
        values, _ = map_row({'r': '3'},
            [_mapping('r', 'rooms', 'integer', default='2')])
        self.assertEqual(values, {'rooms': 3})

    def test_same_external_field_twice(self):
        values, errors = map_row({'phone': '13800138000'}, [
                _mapping('phone', 'mobile', 'phone'),
                _mapping('phone', 'phone_text')])
        self.assertEqual(values,
            {'mobile': '13800138000', 'phone_text': '13800138000'})
        self.assertEqual(errors, [])

    def test_max_length_after_transform(self):
        mappings = [_mapping('n', 'name', max_length=5)]
        self.assertEqual(map_row({'n': '  ab   cd  '}, mappings),
            ({'name': 'ab cd'}, []))
        self.assertEqual(map_row({'n': 'abcdef'}, mappings),
            ({}, [('n', 'too_long', 'abcdef')]))

    def test_list_passed_through(self):
        lines = [{'line_no': 1}]
        values, errors = map_row({'lines': lines},
            [_mapping('lines', 'lines', 'none', required=True)])
        self.assertEqual(values, {'lines': lines})

    def test_optional_keys(self):
        values, errors = map_row({'a': 'x'}, [
                {'external_field': 'a', 'crm_field': 'b',
                    'transform': 'upper', 'format': None, 'codes': None,
                    'required': False, 'default': None,
                    'max_length': None}])
        self.assertEqual((values, errors), ({'b': 'X'}, []))


class ChecksumTestCase(unittest.TestCase):

    def test_stable(self):
        values = {'b': Decimal('2.50'), 'a': dt.date(2024, 1, 5),
            'c': dt.datetime(2024, 1, 5, 9, 30), 'd': None,
            'lines': [{'y': 1, 'x': '\u6d66\u4e1c'}]}
        checksum = transform.row_checksum(values)
        self.assertTrue(re.fullmatch('[0-9a-f]{40}', checksum))
        reordered = dict(reversed(list(values.items())))
        reordered['lines'] = [{'x': '\u6d66\u4e1c', 'y': 1}]
        self.assertEqual(transform.row_checksum(reordered), checksum)

    def test_changes(self):
        base = transform.row_checksum({'a': Decimal('2.50')})
        for other in [{'a': Decimal('2.51')}, {'a': '2.5'}, {'b': '2.50'},
                {'a': Decimal('2.50'), 'b': None}]:
            self.assertNotEqual(transform.row_checksum(other), base, other)


CUSTOMER = {
    'external_id': Field('str', required=True, max_length=8),
    'name': Field('str', required=True),
    'gender': Field('str', choices=['male', 'female'], nullable=True),
    'rooms': Field('int', min=0, max=10, nullable=True),
    'budget': Field('decimal', min=0, nullable=True),
    'area': Field('float', nullable=True),
    'vip': Field('bool'),
    'birth_date': Field('date', nullable=True),
    'seen': Field('datetime', nullable=True),
    'phones': Field('list', schema=Field('str', max_length=5),
        max_items=2),
    'address': Field('dict', schema={
            'city': Field('str', required=True),
            'zip': Field('str', max_length=6)}),
    }


class ValidateTestCase(unittest.TestCase):

    def errors(self, payload, schema=CUSTOMER, path='customer'):
        with self.assertRaises(ValidationError) as cm:
            validate.validate(payload, schema, path)
        self.assertIsInstance(cm.exception, ValueError)
        return cm.exception.errors

    def test_clean(self):
        cleaned = validate.validate({
                'external_id': ' C1 ', 'name': 'Wang\tWei\n',
                'gender': 'male', 'rooms': 3, 'budget': 1.1, 'area': 90,
                'vip': False, 'birth_date': '1990-02-03',
                'seen': '2024-01-05T09:30:00',
                'phones': ['123 ', '456'],
                'address': {'city': ' Shanghai '}}, CUSTOMER)
        self.assertEqual(cleaned, {
                'external_id': 'C1', 'name': 'Wang\tWei', 'gender': 'male',
                'rooms': 3, 'budget': Decimal('1.1'), 'area': 90.0,
                'vip': False, 'birth_date': dt.date(1990, 2, 3),
                'seen': dt.datetime(2024, 1, 5, 9, 30),
                'phones': ['123', '456'], 'address': {'city': 'Shanghai'}})
        self.assertIsInstance(cleaned['area'], float)

    def test_only_given_keys_and_nullable(self):
        self.assertEqual(validate.validate(
                {'external_id': 'C1', 'name': 'W', 'gender': None},
                CUSTOMER), {'external_id': 'C1', 'name': 'W', 'gender': None})

    def test_required_and_unknown(self):
        self.assertEqual(self.errors({'name': None, 'nick': 'x'}), [
                ('customer.nick', 'unknown_field', {}),
                ('customer.external_id', 'required', {}),
                ('customer.name', 'required', {})])

    def test_null_not_allowed(self):
        self.assertEqual(
            self.errors({'external_id': 'C', 'name': 'W', 'vip': None}),
            [('customer.vip', 'type', {'type': 'bool'})])

    def test_path_without_prefix(self):
        self.assertEqual(self.errors({'name': 'W'}, path=''),
            [('external_id', 'required', {})])

    def test_str(self):
        self.assertEqual(self.errors(
                {'external_id': 12, 'name': '   ', 'gender': 'other'}), [
                ('customer.external_id', 'type', {'type': 'str'}),
                ('customer.name', 'empty', {}),
                ('customer.gender', 'choice', {'choices': 'male, female'})])
        self.assertEqual(
            self.errors({'external_id': '123456789', 'name': 'W'}),
            [('customer.external_id', 'max_length', {'max': 8})])
        # not required: an empty string is kept
        self.assertEqual(validate.validate({'zip': ' '},
                {'zip': Field('str')}), {'zip': ''})

    def test_max_length_after_strip(self):
        self.assertEqual(validate.validate(
                {'external_id': '  12345678  ', 'name': 'W'},
                CUSTOMER)['external_id'], '12345678')

    def test_control_characters(self):
        schema = {'note': Field('str')}
        for char in ['\x00', '\x08', '\x0b', '\x0c', '\x0e', '\x1f']:
            self.assertEqual(self.errors({'note': 'a%sb' % char}, schema),
                [('customer.note', 'control_character', {})], repr(char))
        for char in ['\t', '\n', '\r']:
            self.assertEqual(validate.validate(
                    {'note': 'a%sb' % char}, schema), {'note': 'a%sb' % char})

    def test_sql_and_html_are_text(self):
        schema = {'note': Field('str')}
        for text in ["Robert'); DROP TABLE party_party;--",
                '<script>alert(1)</script>', '1 OR 1=1']:
            self.assertEqual(validate.validate({'note': text}, schema),
                {'note': text})

    def test_int(self):
        base = {'external_id': 'C', 'name': 'W'}
        for value in [True, 3.0, '3']:
            self.assertEqual(self.errors(dict(base, rooms=value)),
                [('customer.rooms', 'type', {'type': 'int'})], value)
        self.assertEqual(self.errors(dict(base, rooms=-1)),
            [('customer.rooms', 'min', {'min': 0})])
        self.assertEqual(self.errors(dict(base, rooms=11)),
            [('customer.rooms', 'max', {'max': 10})])
        for value in [0, 10]:
            self.assertEqual(
                validate.validate(dict(base, rooms=value), CUSTOMER)[
                    'rooms'], value)

    def test_decimal(self):
        schema = {'amount': Field('decimal', min=0)}
        for value, expected in [(3, Decimal(3)), ('2.50', Decimal('2.50')),
                (' 7 ', Decimal(7)), (0.1, Decimal('0.1')),
                (Decimal('1.5'), Decimal('1.5')), ('1e3', Decimal('1E+3'))]:
            self.assertEqual(
                validate.validate({'amount': value}, schema)['amount'],
                expected, value)
        for value in ['NaN', 'Infinity', float('nan'), float('inf'),
                'abc', '', True, [1], '1_000', '\uff11']:
            self.assertEqual(self.errors({'amount': value}, schema),
                [('customer.amount', 'type', {'type': 'decimal'})],
                repr(value))
        self.assertEqual(self.errors({'amount': '-0.01'}, schema),
            [('customer.amount', 'min', {'min': 0})])

    def test_float(self):
        schema = {'area': Field('float')}
        self.assertEqual(validate.validate({'area': 3}, schema),
            {'area': 3.0})
        for value in [True, '3.5', float('nan'), float('-inf')]:
            self.assertEqual(self.errors({'area': value}, schema),
                [('customer.area', 'type', {'type': 'float'})])

    def test_bool(self):
        schema = {'vip': Field('bool')}
        for value in [1, 0, 'true']:
            self.assertEqual(self.errors({'vip': value}, schema),
                [('customer.vip', 'type', {'type': 'bool'})])

    def test_date(self):
        schema = {'day': Field('date')}
        self.assertEqual(
            validate.validate({'day': dt.date(2024, 1, 5)}, schema),
            {'day': dt.date(2024, 1, 5)})
        for value in ['2024-02-30', '2024/01/05', '05.01.2024',
                '2024-01-05T00:00', dt.datetime(2024, 1, 5), 20240105,
                '20240105']:
            self.assertEqual(self.errors({'day': value}, schema),
                [('customer.day', 'bad_date', {})], value)

    def test_datetime(self):
        schema = {'at': Field('datetime')}
        for value, expected in [
                ('2024-01-05T09:30', dt.datetime(2024, 1, 5, 9, 30)),
                ('2024-01-05 09:30:15', dt.datetime(2024, 1, 5, 9, 30, 15)),
                ('2024-01-05T09:30:00+08:00', dt.datetime(2024, 1, 5, 1, 30)),
                (dt.datetime(2024, 1, 5, 9, 30),
                    dt.datetime(2024, 1, 5, 9, 30)),
                (dt.datetime(2024, 1, 5, 9, 30, tzinfo=dt.timezone.utc),
                    dt.datetime(2024, 1, 5, 9, 30))]:
            result = validate.validate({'at': value}, schema)['at']
            self.assertEqual(result, expected, value)
            self.assertIsNone(result.tzinfo)
        for value in ['yesterday', '2024-01-05 25:00', dt.date(2024, 1, 5),
                1704447000]:
            self.assertEqual(self.errors({'at': value}, schema),
                [('customer.at', 'bad_datetime', {})], value)

    def test_choices_after_conversion(self):
        schema = {'size': Field('decimal', choices=[Decimal('1.5')])}
        self.assertEqual(validate.validate({'size': '1.50'}, schema),
            {'size': Decimal('1.5')})

    def test_nested(self):
        self.assertEqual(self.errors({
                    'external_id': 'C', 'name': 'W',
                    'phones': ['123456', 7],
                    'address': {'zip': '1234567', 'street': 'x'}}), [
                ('customer.phones.0', 'max_length', {'max': 5}),
                ('customer.phones.1', 'type', {'type': 'str'}),
                ('customer.address.street', 'unknown_field', {}),
                ('customer.address.city', 'required', {}),
                ('customer.address.zip', 'max_length', {'max': 6})])

    def test_containers(self):
        base = {'external_id': 'C', 'name': 'W'}
        self.assertEqual(self.errors(dict(base, phones=['1', '2', '3'])),
            [('customer.phones', 'too_many', {'max': 2})])
        self.assertEqual(self.errors(dict(base, phones='123')),
            [('customer.phones', 'type', {'type': 'list'})])
        self.assertEqual(self.errors(dict(base, address=['Shanghai'])),
            [('customer.address', 'type', {'type': 'dict'})])
        schema = {'tags': Field('list'), 'extra': Field('dict')}
        self.assertEqual(validate.validate(
                {'tags': (1, 'a'), 'extra': {'x': [1]}}, schema),
            {'tags': [1, 'a'], 'extra': {'x': [1]}})

    def test_payload_not_a_dict(self):
        self.assertEqual(self.errors(['a']),
            [('customer', 'type', {'type': 'dict'})])

    def test_field(self):
        with self.assertRaises(ValueError):
            Field('text')
        field = Field('str', required=True, max_length=3)
        self.assertEqual((field.type, field.required, field.max_length,
                field.nullable), ('str', True, 3, False))

    def test_payload_size(self):
        self.assertEqual(validate.payload_size({}), 2)
        self.assertEqual(validate.payload_size({'a': 'b'}), 10)
        # Chinese characters count three bytes each in UTF-8
        self.assertEqual(validate.payload_size('\u6d66\u4e1c'), 8)
        self.assertEqual(
            validate.payload_size({'d': dt.date(2024, 1, 5),
                    'n': Decimal('1.5')}),
            len('{"d": "2024-01-05", "n": "1.5"}'))
        big = {'notes': 'x' * 1000000}
        self.assertGreater(validate.payload_size(big), 1000000)


WISH = {
    'budget_min': Decimal('2000000'), 'budget_max': Decimal('3000000'),
    'area_min': 80.0, 'area_max': 100.0, 'rooms': 3,
    'district': '\u6d66\u4e1c'}
UNIT = {
    'price': Decimal('2500000'), 'area': 90.0, 'rooms': 3,
    'district': '\u6d66\u4e1c\u65b0\u533a'}


def part(wish, unit, criterion, weights=None):
    "The (points, reason) of one criterion"
    _, parts = matching.score(wish, unit, weights)
    found, = [p for p in parts if p['criterion'] == criterion]
    return found['points'], found['reason']


class MatchingTestCase(unittest.TestCase):

    def test_perfect(self):
        total, parts = matching.score(WISH, UNIT)
        self.assertEqual(total, 100.0)
        self.assertEqual(parts, [
                {'criterion': 'budget', 'points': 40.0, 'max_points': 40,
                    'reason': 'within_budget'},
                {'criterion': 'area', 'points': 25.0, 'max_points': 25,
                    'reason': 'area_match'},
                {'criterion': 'rooms', 'points': 20.0, 'max_points': 20,
                    'reason': 'rooms_match'},
                {'criterion': 'district', 'points': 15.0, 'max_points': 15,
                    'reason': 'district_match'}])

    def test_hand_worked(self):
        unit = {'price': Decimal('3150000'), 'area': 76.0, 'rooms': 2,
            'district': '\u6d66\u4e1c\u65b0\u533a'}
        total, parts = matching.score(WISH, unit)
        self.assertEqual([(p['points'], p['reason']) for p in parts], [
                (30.0, 'over_budget'), (20.0, 'area_small'),
                (10.0, 'rooms_near'), (15.0, 'district_match')])
        self.assertEqual(total, 75.0)

    def test_budget_boundaries(self):
        for price, expected in [
                (3000000, (40.0, 'within_budget')),
                (2000000, (40.0, 'within_budget')),
                (1000, (40.0, 'within_budget')),
                (3000001, (40.0, 'over_budget')),
                (3300000, (20.0, 'over_budget')),
                (3540000, (4.0, 'over_budget')),
                (3600000, (0.0, 'over_budget')),
                (9000000, (0.0, 'over_budget'))]:
            self.assertEqual(
                part(WISH, dict(UNIT, price=price), 'budget'), expected,
                price)

    def test_budget_one_bound(self):
        self.assertEqual(part({'budget_min': 100}, {'price': 10 ** 9},
                'budget'), (40.0, 'within_budget'))
        self.assertEqual(part({'budget_max': 100}, {'price': 110},
                'budget'), (20.0, 'over_budget'))
        self.assertEqual(part({'budget_max': 0}, {'price': 1}, 'budget'),
            (0.0, 'over_budget'))

    def test_area_boundaries(self):
        for area, expected in [
                (80, (25.0, 'area_match')), (100, (25.0, 'area_match')),
                (70, (12.5, 'area_small')), (60, (0.0, 'area_small')),
                (50, (0.0, 'area_small')), (110, (15.0, 'area_large')),
                (125, (0.0, 'area_large')), (200, (0.0, 'area_large')),
                (79, (23.75, 'area_small'))]:
            self.assertEqual(part(WISH, dict(UNIT, area=area), 'area'),
                expected, area)

    def test_area_one_bound(self):
        self.assertEqual(part({'area_min': 80}, {'area': 500}, 'area'),
            (25.0, 'area_match'))
        self.assertEqual(part({'area_max': 80}, {'area': 90}, 'area'),
            (12.5, 'area_large'))

    def test_rooms(self):
        for rooms, expected in [(3, (20.0, 'rooms_match')),
                (2, (10.0, 'rooms_near')), (4, (10.0, 'rooms_near')),
                (1, (0.0, 'rooms_far')), (5, (0.0, 'rooms_far'))]:
            self.assertEqual(part(WISH, dict(UNIT, rooms=rooms), 'rooms'),
                expected, rooms)
        self.assertEqual(part({'rooms': 0}, {'rooms': 0}, 'rooms'),
            (20.0, 'rooms_match'))

    def test_district(self):
        for district, expected in [
                ('\u6d66\u4e1c', (15.0, 'district_match')),
                (' \u6d66\u4e1c\u65b0\u533a ', (15.0, 'district_match')),
                ('\u5f90\u6c47', (0.0, 'district_other'))]:
            self.assertEqual(
                part(WISH, dict(UNIT, district=district), 'district'),
                expected, district)
        self.assertEqual(part({'district': 'Pudong New Area'},
                {'district': '\uff30\uff35\uff24\uff2f\uff2e\uff27'},
                'district'), (15.0, 'district_match'))

    def test_unknown(self):
        for name, criterion in [('price', 'budget'), ('area', 'area'),
                ('rooms', 'rooms'), ('district', 'district')]:
            self.assertEqual(part(WISH, dict(UNIT, **{name: None}),
                    criterion), (0.0, 'unknown'), name)
        self.assertEqual(part(WISH, {}, 'rooms'), (0.0, 'unknown'))
        self.assertEqual(part(WISH, dict(UNIT, district=' '), 'district'),
            (0.0, 'unknown'))

    def test_unstated_left_out(self):
        total, parts = matching.score({'rooms': 3, 'district': None,
                'budget_min': None, 'area_max': None}, UNIT)
        self.assertEqual([p['criterion'] for p in parts], ['rooms'])
        self.assertEqual(total, 100.0)
        total, parts = matching.score({'rooms': 3, 'district': ' '},
            dict(UNIT, rooms=5))
        self.assertEqual((total, len(parts)), (0.0, 1))
        self.assertEqual(matching.score({}, UNIT), (0.0, []))
        self.assertEqual(matching.score({'district': None}, {}), (0.0, []))

    def test_total_share_of_stated(self):
        # budget 40 of 40, rooms 10 of 20: 50 / 60
        total, _ = matching.score(
            {'budget_max': 100, 'rooms': 2}, {'price': 90, 'rooms': 3})
        self.assertEqual(total, 83.3)

    def test_weights(self):
        weights = {'budget': 10, 'rooms': 30}
        total, parts = matching.score(
            {'budget_max': 100, 'rooms': 2}, {'price': 110, 'rooms': 2},
            weights)
        self.assertEqual([(p['points'], p['max_points']) for p in parts],
            [(5.0, 10), (30.0, 30)])
        self.assertEqual(total, 87.5)
        self.assertEqual(matching.DEFAULT_WEIGHTS,
            {'budget': 40, 'area': 25, 'rooms': 20, 'district': 15})

    def test_rank_order_and_ties(self):
        wish = {'rooms': 3}
        units = [
            {'id': 5, 'price': 300, 'rooms': 3},
            {'id': 4, 'price': None, 'rooms': 3},
            {'id': 3, 'price': 200, 'rooms': 3},
            {'id': 2, 'price': 200, 'rooms': 3},
            {'id': 1, 'price': 100, 'rooms': 2},
            {'id': 6, 'price': 50, 'rooms': 9},
            {'id': 7, 'rooms': 3},
            ]
        ranked = matching.rank(wish, units)
        self.assertEqual([(i, t) for i, t, _ in ranked],
            [(2, 100.0), (3, 100.0), (5, 100.0), (4, 100.0), (7, 100.0),
                (1, 50.0)])
        self.assertEqual(ranked[0][2], [{'criterion': 'rooms',
                    'points': 20.0, 'max_points': 20,
                    'reason': 'rooms_match'}])

    def test_rank_limit_and_min_score(self):
        wish = {'rooms': 3}
        units = [{'id': i, 'price': 100 - i, 'rooms': 2 + i % 2}
            for i in range(10)]
        ranked = matching.rank(wish, units, limit=3)
        self.assertEqual([i for i, _, _ in ranked], [9, 7, 5])
        ranked = matching.rank(wish, units, min_score=60)
        self.assertEqual([i for i, _, _ in ranked], [9, 7, 5, 3, 1])
        ranked = matching.rank(wish, units, min_score=50, limit=None)
        self.assertEqual(len(ranked), 10)
        self.assertEqual(matching.rank(wish, units, limit=0), [])
        self.assertEqual(matching.rank({}, units), [])
        self.assertEqual(matching.rank(wish, []), [])

    def test_rank_decimal_prices(self):
        units = [{'id': 1, 'price': Decimal('10.5'), 'rooms': 1},
            {'id': 2, 'price': 10, 'rooms': 1}]
        self.assertEqual([i for i, _, _ in matching.rank({'rooms': 1},
                    units)], [2, 1])


class Transient(Exception):
    pass


class Fatal(Exception):
    pass


class Flaky:
    "Fails with the given exceptions, then answers"

    def __init__(self, *failures, answer='ok'):
        self.failures = list(failures)
        self.answer = answer
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return self.answer


class BackoffTestCase(unittest.TestCase):

    def call(self, func, **kwargs):
        self.waits, self.retries = [], []
        kwargs.setdefault('is_transient',
            lambda exc: isinstance(exc, Transient))
        return backoff.call_with_retry(func, sleep=self.waits.append,
            on_retry=lambda *args: self.retries.append(args), **kwargs)

    def test_delays(self):
        self.assertEqual(backoff.delays(4), [1.0, 2.0, 4.0])
        self.assertEqual(backoff.delays(4, base=0.5, factor=3),
            [0.5, 1.5, 4.5])
        self.assertEqual(backoff.delays(10)[-3:], [60.0, 60.0, 60.0])
        self.assertEqual(backoff.delays(8, base=10, cap=45),
            [10.0, 20.0, 40.0, 45.0, 45.0, 45.0, 45.0])
        self.assertEqual(backoff.delays(1), [])
        self.assertEqual(backoff.delays(0), [])

    def test_success_first(self):
        func = Flaky()
        self.assertEqual(self.call(func), 'ok')
        self.assertEqual((func.calls, self.waits), (1, []))

    def test_retry_then_success(self):
        first, second = Transient(1), Transient(2)
        func = Flaky(first, second)
        self.assertEqual(self.call(func, base=2.0), 'ok')
        self.assertEqual(func.calls, 3)
        self.assertEqual(self.waits, [2.0, 4.0])
        self.assertEqual(self.retries, [(1, first, 2.0), (2, second, 4.0)])

    def test_gives_up(self):
        failures = [Transient(i) for i in range(4)]
        func = Flaky(*failures)
        with self.assertRaises(Transient) as cm:
            self.call(func)
        self.assertIs(cm.exception, failures[-1])
        self.assertEqual(func.calls, 4)
        self.assertEqual(self.waits, [1.0, 2.0, 4.0])
        self.assertEqual(len(self.retries), 3)

    def test_attempts(self):
        func = Flaky(Transient(), Transient())
        with self.assertRaises(Transient):
            self.call(func, attempts=2)
        self.assertEqual((func.calls, self.waits), (2, [1.0]))
        for attempts in [1, 0]:
            func = Flaky(Transient())
            with self.assertRaises(Transient):
                self.call(func, attempts=attempts)
            self.assertEqual((func.calls, self.waits), (1, []))

    def test_not_transient(self):
        fatal = Fatal()
        func = Flaky(Transient(), fatal)
        with self.assertRaises(Fatal) as cm:
            self.call(func)
        self.assertIs(cm.exception, fatal)
        self.assertEqual((func.calls, self.waits), (2, [1.0]))

    def test_default_everything_transient(self):
        waits = []
        func = Flaky(Fatal(), KeyError())
        self.assertEqual(
            backoff.call_with_retry(func, sleep=waits.append, cap=1.5),
            'ok')
        self.assertEqual(waits, [1.0, 1.5])

    def test_base_exceptions_not_retried(self):
        func = Flaky(KeyboardInterrupt())
        with self.assertRaises(KeyboardInterrupt):
            self.call(func, is_transient=lambda exc: True)
        self.assertEqual(func.calls, 1)


def load_tests(loader, tests, pattern):
    for module in [transform, validate, matching, backoff]:
        tests.addTests(doctest.DocTestSuite(module))
    return tests
