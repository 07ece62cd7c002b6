# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Call-back calls open sales opportunities when sale_opportunity is active."
from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class CallbackCall(metaclass=PoolMeta):
    __name__ = 'crm.callback.call'
    opportunity = fields.Many2One(
        'sale.opportunity', "Opportunity", readonly=True,
        ondelete='SET NULL')

    @classmethod
    def _create_opportunities(cls, calls):
        pool = Pool()
        Opportunity = pool.get('sale.opportunity')
        super()._create_opportunities(calls)
        calls = [c for c in calls if not c.opportunity]
        opportunities = [Opportunity(
                company=c.campaign.company, party=c.party,
                employee=c.agent.employee if c.agent else None,
                currency=c.campaign.company.currency,
                description=c.campaign.name, comment=c.notes)
            for c in calls]
        Opportunity.save(opportunities)
        for call, opportunity in zip(calls, opportunities):
            call.opportunity = opportunity
        cls.save(calls)
