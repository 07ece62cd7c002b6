# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields, tree)
from trytond.transaction import Transaction


class _CodedMixin(DeactivableMixin, ModelSQL, ModelView):
    __slots__ = ()
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", strip=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code), 'crm_core.msg_code_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.code, Index.Equality())))
        cls._order.insert(0, ('name', 'ASC'))


class Industry(_CodedMixin):
    __name__ = 'crm.industry'
    __string__ = "Industry"


class Source(_CodedMixin):
    __name__ = 'crm.source'
    __string__ = "Acquisition Source"


class Segment(_CodedMixin):
    __name__ = 'crm.segment'
    __string__ = "Customer Segment"
    description = fields.Text("Description", translate=True)


class Region(tree(separator=' / '), _CodedMixin):
    __name__ = 'crm.region'
    __string__ = "Region"
    parent = fields.Many2One('crm.region', "Parent", ondelete='RESTRICT')
    children = fields.One2Many('crm.region', 'parent', "Children")


class Store(_CodedMixin):
    __name__ = 'crm.store'
    __string__ = "Store"
    kind = fields.Selection([
            ('head_office', "Head Office"),
            ('direct', "Direct Store"),
            ('franchise', "Franchise Store"),
            ], "Kind", required=True,
        help="Head office and direct stores share their customers.")
    company = fields.Many2One('company.company', "Company", required=True)
    region = fields.Many2One('crm.region', "Region", ondelete='RESTRICT')
    address = fields.Text("Address")

    @staticmethod
    def default_kind():
        return 'direct'

    @staticmethod
    def default_company():
        return Transaction().context.get('company')
