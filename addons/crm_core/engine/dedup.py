# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Normalised keys that make the same customer look the same.

>>> phone_key('+86 138-0013-8000')
'13800138000'
>>> email_key('  Wang.Wei@Example.COM ')
'wang.wei@example.com'
>>> name_key('Ｗａｎｇ　Ｗｅｉ，Ltd.')
'wangweiltd'
"""
import re
import unicodedata

_NON_DIGIT = re.compile(r'\D')
# Mainland China: +86 / 0086 / 86 before an 11-digit mobile.
_CN_PREFIX = re.compile(r'^(?:0086|86)(?=1\d{10}$)')


def fold_width(text):
    "Fold full-width letters, digits and punctuation to half-width."
    return unicodedata.normalize('NFKC', text)


def phone_key(value):
    "Digits only, without the Chinese country prefix; None when empty."
    if not value:
        return None
    digits = _NON_DIGIT.sub('', fold_width(value))
    digits = _CN_PREFIX.sub('', digits)
    return digits or None


def email_key(value):
    if not value:
        return None
    return fold_width(value).strip().lower() or None


def name_key(value):
    "Letters and digits only, lower-cased, width-folded; None when empty."
    if not value:
        return None
    text = fold_width(value).lower()
    key = ''.join(
        c for c in text
        if unicodedata.category(c)[0] in {'L', 'N'})
    return key or None


PHONE_TYPES = {'phone', 'mobile', 'fax'}
EMAIL_TYPES = {'email'}


def contact_key(type_, value):
    """The dedup key of a contact mechanism, prefixed by its kind.

    >>> contact_key('mobile', '138 0013 8000')
    'p:13800138000'
    >>> contact_key('website', 'example.com') is None
    True
    """
    if type_ in PHONE_TYPES:
        key = phone_key(value)
        return 'p:' + key if key else None
    if type_ in EMAIL_TYPES:
        key = email_key(value)
        return 'e:' + key if key else None
    return None


# How much one matching key says about two records being the same customer.
KEY_WEIGHTS = {'phone': 0.9, 'email': 0.8, 'name': 0.4}


def match_score(reasons):
    """Combine independent evidence: 1 - product of (1 - weight).

    >>> round(match_score({'phone', 'name'}), 2)
    0.94
    """
    remaining = 1.0
    for reason in reasons:
        remaining *= 1 - KEY_WEIGHTS[reason]
    return 1 - remaining
