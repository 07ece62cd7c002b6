# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Selections and helpers shared by several CRM models."
from trytond import backend
from trytond.pool import Pool
from trytond.tools import grouped_slice

CHANNELS = [
    ('phone', "Phone"),
    ('web', "Web"),
    ('fax', "Fax"),
    ('email', "E-mail"),
    ('chat', "Chat / Instant Messaging"),
    ('social', "Social Media"),
    ('visit', "Visit"),
    ('walk_in', "Walk-in"),
    ('letter', "Letter"),
    ]

PURCHASE_CHANNELS = [
    ('store', "Store"),
    ('online', "Online"),
    ('phone', "Phone"),
    ('field_sales', "Field Sales"),
    ('wholesale', "Wholesale"),
    ('other', "Other"),
    ]

LIFECYCLE_STAGES = [
    ('prospect', "Prospect"),
    ('new', "New"),
    ('active', "Active"),
    ('loyal', "Loyal"),
    ('at_risk', "At Risk"),
    ('churned', "Churned"),
    ('won_back', "Won Back"),
    ]

SENSITIVE_FIELDS = {'birth_date', 'income_band', 'id_number'}


def id_slices(ids):
    "Lists of ids small enough for one SQL IN clause of the database."
    # Two IN clauses of the same slice may share a query (duplicate scan).
    return map(list, grouped_slice(ids, backend.MAX_QUERY_PARAMS // 4))


class OriginMixin:
    "A model whose records may come from documents of other modules."
    __slots__ = ()

    @classmethod
    def _get_origins(cls):
        "Model names of the origins; modules extend the list."
        return []

    @classmethod
    def get_origins(cls):
        IrModel = Pool().get('ir.model')
        return [(None, '')] + [
            (m, IrModel.get_name(m)) for m in cls._get_origins()]
