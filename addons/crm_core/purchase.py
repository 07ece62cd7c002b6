# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import PURCHASE_CHANNELS, OriginMixin
from .exceptions import PurchaseError


class Purchase(OriginMixin, ModelSQL, ModelView):
    __name__ = 'crm.purchase'
    __string__ = "Customer Purchase"

    company = fields.Many2One('company.company', "Company", required=True)
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    date = fields.Date("Date", required=True)
    product = fields.Many2One(
        'product.product', "Product", ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    description = fields.Char("Description")
    quantity = fields.Float("Quantity", digits=(16, 4), required=True)
    amount = fields.Numeric(
        "Amount", digits=(16, Eval('currency_digits', 2)), required=True)
    cost = fields.Numeric(
        "Cost", digits=(16, Eval('currency_digits', 2)),
        domain=['OR', ('cost', '=', None), ('cost', '>=', 0)],
        help="The cost of the goods sold on the line, when the system it "
        "comes from knows it: the margin is the amount less the cost.")
    currency = fields.Many2One('currency.currency', "Currency", required=True)
    currency_digits = fields.Function(
        fields.Integer("Currency Digits"), 'on_change_with_currency_digits')
    channel = fields.Selection(
        [(None, "")] + PURCHASE_CHANNELS, "Channel")
    store = fields.Many2One('crm.store', "Store", ondelete='RESTRICT')
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True,
        help="The document the purchase was recorded from.")
    reference = fields.Char(
        "Origin Reference", help="Order number in the originating system.")
    external_id = fields.Char(
        "External ID", readonly=True,
        help="The identifier of the line in the system it was imported "
        "from; unique per company.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('external_id_unique', Unique(t, t.company, t.external_id),
                'crm_core.msg_purchase_external_id_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality()), (t.date, Index.Range())),
                Index(t, (t.date, Index.Range())),
                Index(t, (t.product, Index.Equality())),
                Index(t, (t.origin, Index.Equality())),
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        Company = Pool().get('company.company')
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            return Company(company).currency.id

    @fields.depends('currency')
    def on_change_with_currency_digits(self, name=None):
        return self.currency.digits if self.currency else 2

    @classmethod
    def validate_fields(cls, purchases, field_names):
        super().validate_fields(purchases, field_names)
        if not field_names or field_names & {'quantity', 'amount'}:
            for purchase in purchases:
                if not purchase.quantity:
                    raise PurchaseError(gettext(
                            'crm_core.msg_purchase_quantity_zero',
                            party=purchase.party.rec_name))
