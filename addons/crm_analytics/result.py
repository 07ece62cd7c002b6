# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The rows a run stores: read by the reports and the customer card.

Their tables carry no foreign-key constraints: a run writes its rows once,
in bulk, from ids read out of tables that hold their own keys, and
PostgreSQL's check of each key of each row took longer than computing
the run (1.3 s of an RFM run of 100,000 customers).  Deleting a referenced
record is still refused or cascaded: Tryton's delete applies each
Many2One's ondelete itself, as it always does on SQLite."""
from trytond import backend
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.crm_core.party import Party
from trytond.pyson import Eval

VALUE_TIERS = Party.value_tier.selection


class _TableHandler(backend.TableHandler):
    "Creates no foreign key, and drops those an earlier version made"

    def add_fk(self, columns, reference, ref_columns=None, on_delete=None):
        self.drop_fk(columns, ref_columns)


class _Result(ModelSQL, ModelView):
    run = fields.Many2One(
        'crm.analytics.run', "Run", required=True, readonly=True,
        ondelete='CASCADE')
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('run')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.run, Index.Equality())))

    @classmethod
    def __table_handler__(cls, module_name=None, history=False):
        return _TableHandler(cls, history=history)

    @classmethod
    def xlsx_columns(cls):
        "(field name, kind) of the columns of the .xlsx export"
        raise NotImplementedError


class _PartyResult(_Result):
    party = fields.Many2One(
        'party.party', "Customer", required=True, readonly=True,
        context={'company': Eval('company', -1)},
        depends={'company'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.party, Index.Equality())))


class RfmResult(_PartyResult):
    __string__ = "RFM Result"
    __name__ = 'crm.analytics.rfm'
    first_date = fields.Date("First Purchase", readonly=True)
    last_date = fields.Date("Last Purchase", readonly=True)
    recency_days = fields.Integer(
        "Recency (Days)", readonly=True,
        help="Days from the last purchase to the end of the period.")
    frequency = fields.Integer(
        "Frequency", readonly=True, help="Days with a purchase.")
    monetary = fields.Numeric("Monetary", digits=(16, 2), readonly=True)
    r_score = fields.Integer("R", readonly=True)
    f_score = fields.Integer("F", readonly=True)
    m_score = fields.Integer("M", readonly=True)
    fm_score = fields.Integer("FM", readonly=True)
    segment = fields.Many2One('crm.segment', "Segment", readonly=True)
    value_tier = fields.Selection(VALUE_TIERS, "Value Tier", readonly=True)
    relationship = fields.Float(
        "Relationship Index", digits=(6, 2), readonly=True,
        help="0-100: the sum of the four contributions.")
    satisfaction_points = fields.Float(
        "Satisfaction Points", digits=(6, 2), readonly=True)
    loyalty_points = fields.Float(
        "Loyalty Points", digits=(6, 2), readonly=True)
    stability_points = fields.Float(
        "Stability Points", digits=(6, 2), readonly=True)
    value_points = fields.Float(
        "Value Points", digits=(6, 2), readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('monetary', 'DESC'), ('id', 'ASC')]

    @classmethod
    def xlsx_columns(cls):
        return [('party', 'text'), ('segment', 'text'),
            ('value_tier', 'text'), ('recency_days', 'integer'),
            ('frequency', 'integer'), ('monetary', 'money'),
            ('r_score', 'integer'), ('f_score', 'integer'),
            ('m_score', 'integer'), ('relationship', 'number')]


class PairRule(_Result):
    __string__ = "Product Pair"
    __name__ = 'crm.analytics.pair'
    product = fields.Many2One(
        'product.product', "Product", required=True, readonly=True,
        context={'company': Eval('company', -1)},
        depends={'company'})
    associated = fields.Many2One(
        'product.product', "Bought With", required=True, readonly=True,
        context={'company': Eval('company', -1)},
        depends={'company'})
    baskets = fields.Integer(
        "Baskets", readonly=True, help="Baskets holding both products.")
    support = fields.Float(
        "Support", digits=(16, 6), readonly=True,
        help="Share of all baskets holding both products.")
    confidence = fields.Float(
        "Confidence", digits=(16, 4), readonly=True,
        help="Share of the baskets with the product that also hold the "
        "other.")
    lift = fields.Float(
        "Lift", digits=(16, 4), readonly=True,
        help="Confidence over the share of baskets holding the other "
        "product: above 1, bought together more than by chance.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('lift', 'DESC'), ('confidence', 'DESC'),
            ('id', 'ASC')]

    @classmethod
    def xlsx_columns(cls):
        return [('product', 'text'), ('associated', 'text'),
            ('baskets', 'integer'), ('support', 'ratio'),
            ('confidence', 'ratio'), ('lift', 'number')]


class Suggestion(_PartyResult):
    __string__ = "Cross-Sell Suggestion"
    __name__ = 'crm.analytics.suggestion'
    product = fields.Many2One(
        'product.product', "Product", required=True, readonly=True,
        context={'company': Eval('company', -1)},
        depends={'company'})
    because = fields.Many2One(
        'product.product', "Because of", readonly=True,
        context={'company': Eval('company', -1)},
        depends={'company'},
        help="The bought product whose strongest pair leads here.")
    confidence = fields.Float("Confidence", digits=(16, 4), readonly=True)
    lift = fields.Float("Lift", digits=(16, 4), readonly=True)
    rank = fields.Integer("Rank", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('party', 'ASC'), ('rank', 'ASC'), ('id', 'ASC')]

    @classmethod
    def xlsx_columns(cls):
        return [('party', 'text'), ('rank', 'integer'),
            ('product', 'text'), ('because', 'text'),
            ('confidence', 'ratio'), ('lift', 'number')]


class ClvResult(_PartyResult):
    __string__ = "Churn Risk and Lifetime Value"
    __name__ = 'crm.analytics.clv'
    frequency = fields.Integer(
        "Repeat Purchases", readonly=True,
        help="Days with a purchase after the first one.")
    recency = fields.Integer(
        "Age at Last Purchase (Days)", readonly=True)
    age = fields.Integer(
        "Age (Days)", readonly=True,
        help="Days from the first purchase to the end of the period.")
    monetary = fields.Numeric(
        "Mean Repeat Value", digits=(16, 2), readonly=True)
    probability_alive = fields.Float(
        "Probability Active", digits=(16, 4), readonly=True)
    expected_purchases = fields.Float(
        "Expected Purchases", digits=(16, 4), readonly=True,
        help="In the run's horizon.")
    expected_value = fields.Numeric(
        "Expected Mean Value", digits=(16, 2), readonly=True)
    lifetime_value = fields.Numeric(
        "Lifetime Value", digits=(16, 2), readonly=True)
    at_risk = fields.Boolean("At Risk", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('lifetime_value', 'DESC'), ('id', 'ASC')]

    @classmethod
    def xlsx_columns(cls):
        return [('party', 'text'), ('probability_alive', 'ratio'),
            ('expected_purchases', 'number'),
            ('lifetime_value', 'money'), ('frequency', 'integer'),
            ('recency', 'integer'), ('age', 'integer'),
            ('at_risk', 'text')]
