# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelView, Workflow
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, sales):
        super().confirm(sales)
        cls._record_crm_purchases(sales)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, sales):
        super().cancel(sales)
        cls._remove_crm_purchases(sales)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, sales):
        super().draft(sales)
        cls._remove_crm_purchases(sales)

    @classmethod
    def _record_crm_purchases(cls, sales):
        Purchase = Pool().get('crm.purchase')
        cls._remove_crm_purchases(sales)
        purchases = [
            Purchase(**values) for sale in sales
            for values in sale._crm_purchase_values()]
        with without_check_access():
            Purchase.save(purchases)

    @classmethod
    def _remove_crm_purchases(cls, sales):
        Purchase = Pool().get('crm.purchase')
        with without_check_access():
            Purchase.delete(Purchase.search([
                        ('origin.sale', 'in', [s.id for s in sales],
                            'sale.line'),
                        ]))

    def _crm_purchase_values(self):
        for line in self.lines:
            if line.type != 'line' or not line.quantity:
                continue
            yield {
                'company': self.company,
                'party': self.party,
                'date': self.sale_date,
                'product': line.product,
                'description': line.description,
                'quantity': line.quantity,
                'amount': line.amount,
                'currency': self.currency,
                'origin': line,
                'reference': self.number,
                }


class Purchase(metaclass=PoolMeta):
    __name__ = 'crm.purchase'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['sale.line']
