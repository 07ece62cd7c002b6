# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Format checks of contact means; bad ones are flagged, never dropped.

>>> is_valid_contact('mobile', '+86 139 1234 5678')
True
>>> is_valid_contact('mobile', '12345')
False
>>> is_valid_contact('mobile', '021-6888 1234')
False
>>> is_valid_contact('email', 'li@example')
False
"""
import re

from .dedup import fold_width, phone_key

_MOBILE = re.compile(r'^1[3-9]\d{9}$')
# Landline: area code 0xx / 0xxx then 7-8 digits, optional extension.
_LANDLINE = re.compile(r'^0\d{2,3}\d{7,8}(\d{1,5})?$')
_INTERNATIONAL = re.compile(r'^\d{8,15}$')
_EMAIL = re.compile(
    r'^[A-Za-z0-9.!#$%&\'*+/=?^_`{|}~-]+@'
    r'[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?'
    r'(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$')


def is_valid_phone(value, mobile=False):
    "A mainland mobile or landline (mobile only when asked), or +foreign."
    text = fold_width(value or '').strip()
    digits = phone_key(text)
    if not digits:
        return False
    if _MOBILE.match(digits) or (
            not mobile and _LANDLINE.match(digits)):
        return True
    # Foreign numbers are accepted only when written with their '+' prefix.
    return text.startswith('+') and bool(_INTERNATIONAL.match(digits))


def is_valid_email(value):
    return bool(_EMAIL.match(fold_width(value or '').strip()))


def is_valid_contact(type_, value):
    "True for a well-formed value, and for types without a format."
    if type_ in {'phone', 'fax'}:
        return is_valid_phone(value)
    if type_ == 'mobile':
        return is_valid_phone(value, mobile=True)
    if type_ == 'email':
        return is_valid_email(value)
    return True
