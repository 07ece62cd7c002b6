# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The latest analytics of a customer, on the customer card."
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    relationship_index = fields.Function(fields.Float(
            "Relationship Index", digits=(6, 2),
            help="0-100, from satisfaction, loyalty, stability and value "
            "(latest RFM run)."), 'get_analytics')
    rfm_scores = fields.Function(fields.Char(
            "RFM Scores", help="Recency, frequency and monetary scores, "
            "1-5 each (latest RFM run)."), 'get_analytics')
    probability_active = fields.Function(fields.Float(
            "Probability Active", digits=(16, 4),
            help="Latest churn run."), 'get_analytics')
    lifetime_value = fields.Function(fields.Numeric(
            "Lifetime Value", digits=(16, 2),
            help="Expected value of the coming months (latest churn run)."),
        'get_analytics')
    cross_sell_suggestions = fields.Function(fields.Many2Many(
            'crm.analytics.suggestion', None, None, "Cross-Sell Suggestions",
            help="Latest product pairs run."), 'get_analytics')

    @classmethod
    def get_analytics(cls, parties, names):
        pool = Pool()
        Run = pool.get('crm.analytics.run')
        company = Transaction().context.get('company')
        result = {n: {p.id: None for p in parties} for n in names}
        if 'cross_sell_suggestions' in result:
            result['cross_sell_suggestions'] = {p.id: [] for p in parties}
        ids = [p.id for p in parties]
        for kind, model, fields_ in [
                ('rfm', 'crm.analytics.rfm', {'relationship_index',
                        'rfm_scores'}),
                ('clv', 'crm.analytics.clv', {'probability_active',
                        'lifetime_value'}),
                ('pairs', 'crm.analytics.suggestion',
                    {'cross_sell_suggestions'})]:
            if not fields_ & set(names) or company is None:
                continue
            run = Run.latest(kind, company)
            if run is None:
                continue
            for row in pool.get(model).search([
                        ('run', '=', run.id), ('party', 'in', ids)]):
                cls._set_analytics(result, kind, row)
        return result

    @classmethod
    def _set_analytics(cls, result, kind, row):
        party = row.party.id
        values = {}
        if kind == 'rfm':
            values = {
                'relationship_index': row.relationship,
                'rfm_scores': '%s-%s-%s' % (
                    row.r_score, row.f_score, row.m_score),
                }
        elif kind == 'clv':
            values = {
                'probability_active': row.probability_alive,
                'lifetime_value': row.lifetime_value,
                }
        for name, value in values.items():
            if name in result:
                result[name][party] = value
        if kind == 'pairs' and 'cross_sell_suggestions' in result:
            result['cross_sell_suggestions'][party].append(row.id)
