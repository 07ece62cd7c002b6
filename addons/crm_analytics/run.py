# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""An analytics run: one computation (RFM, product pairs or churn and
lifetime value) over a company's purchases of a period, with the
parameters it used and the results it stored."""
import datetime as dt
import time

from sql.aggregate import Count

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from . import clv, pairs, rfm_compute
from .common import purchase_where
from .exceptions import EmptyPeriodError, RunParameterError

COMPUTATIONS = {
    'rfm': rfm_compute.compute,
    'pairs': pairs.compute,
    'clv': clv.compute,
    }
RESULTS = {
    'rfm': 'crm.analytics.rfm',
    'pairs': 'crm.analytics.pair',
    'clv': 'crm.analytics.clv',
    }
RESULT_MODELS = list(RESULTS.values()) + ['crm.analytics.suggestion']
_DRAFT = {'readonly': Eval('state') != 'draft'}


def _parameter(kind, required=False):
    "States of a parameter of the analyses of kind"
    states = dict(_DRAFT, invisible=Eval('kind') != kind)
    if required:
        states['required'] = Eval('kind') == kind
    return states


class Run(Workflow, ModelSQL, ModelView):
    __string__ = "Analytics Run"
    __name__ = 'crm.analytics.run'

    name = fields.Char("Name", help="Optional: a label for the run.")
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_DRAFT)
    kind = fields.Selection([
            ('rfm', "RFM and Relationship Index"),
            ('pairs', "Product Pairs"),
            ('clv', "Churn Risk and Lifetime Value"),
            ], "Analysis", required=True, states=_DRAFT)
    start_date = fields.Date(
        "Start Date", required=True, states=_DRAFT,
        domain=[If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date(
        "End Date", required=True, states=_DRAFT,
        help="The purchases up to this date are read; recency and age are "
        "counted to it.")
    write_back = fields.Boolean(
        "Update Customers", states=_DRAFT,
        help="RFM: set the customers' segment and value tier (manual ones "
        "are kept); churn: mark customers at risk in their lifecycle.")
    satisfaction_weight = fields.Float(
        "Satisfaction Weight", required=True, states=_parameter('rfm'))
    loyalty_weight = fields.Float(
        "Loyalty Weight", required=True, states=_parameter('rfm'))
    stability_weight = fields.Float(
        "Stability Weight", required=True, states=_parameter('rfm'))
    value_weight = fields.Float(
        "Value Weight", required=True, states=_parameter('rfm'))
    min_support = fields.Float(
        "Minimum Support", digits=(16, 6),
        states=_parameter('pairs', required=True),
        help="Share of baskets holding both products, in (0, 1].")
    min_confidence = fields.Float(
        "Minimum Confidence", digits=(16, 4),
        states=_parameter('pairs', required=True),
        help="Share of the baskets with the first product that also hold "
        "the second, in (0, 1].")
    min_lift = fields.Float(
        "Minimum Lift", digits=(16, 4), states=_parameter('pairs'))
    suggestions_per_customer = fields.Integer(
        "Suggestions per Customer", states=_parameter('pairs', required=True))
    horizon_days = fields.Integer(
        "Horizon (Days)", states=_parameter('clv', required=True),
        help="Expected purchases are counted over the next days.")
    clv_months = fields.Integer(
        "Lifetime Value Months", states=_parameter('clv', required=True))
    monthly_discount_rate = fields.Float(
        "Monthly Discount Rate", digits=(16, 4), states=_parameter('clv'))
    risk_threshold = fields.Float(
        "At-Risk Threshold", digits=(16, 4),
        states=_parameter('clv', required=True),
        help="Customers whose probability of being still active is below "
        "this share are at risk.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('queued', "Queued"),
            ('done', "Done"),
            ('failed', "Failed"),
            ], "State", readonly=True, required=True, sort=False)
    started = fields.DateTime("Started", readonly=True)
    finished = fields.DateTime("Finished", readonly=True)
    duration = fields.Float(
        "Duration (s)", digits=(16, 2), readonly=True)
    customers = fields.Integer("Customers", readonly=True)
    results = fields.Integer(
        "Results", readonly=True, help="Rows stored by the run.")
    message = fields.Text("Message", readonly=True)
    rfm_results = fields.One2Many(
        'crm.analytics.rfm', 'run', "RFM", readonly=True,
        states={'invisible': Eval('kind') != 'rfm'})
    pair_rules = fields.One2Many(
        'crm.analytics.pair', 'run', "Product Pairs", readonly=True,
        states={'invisible': Eval('kind') != 'pairs'})
    clv_results = fields.One2Many(
        'crm.analytics.clv', 'run', "Churn and Lifetime Value",
        readonly=True, states={'invisible': Eval('kind') != 'clv'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('end_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'queued'),
            ('queued', 'done'),
            ('queued', 'failed'),
            ('failed', 'draft'),
            }
        cls._buttons.update({
                'run': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'failed',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_kind():
        return 'rfm'

    @staticmethod
    def default_end_date():
        return Pool().get('ir.date').today()

    @classmethod
    def default_start_date(cls):
        end = cls.default_end_date()
        return end.replace(year=end.year - 1) + dt.timedelta(days=1)

    @staticmethod
    def default_write_back():
        return True

    @staticmethod
    def default_satisfaction_weight():
        return 1.0

    default_loyalty_weight = default_satisfaction_weight
    default_stability_weight = default_satisfaction_weight
    default_value_weight = default_satisfaction_weight

    @staticmethod
    def default_min_support():
        return 0.001

    @staticmethod
    def default_min_confidence():
        return 0.05

    @staticmethod
    def default_min_lift():
        return 1.0

    @staticmethod
    def default_suggestions_per_customer():
        return 5

    @staticmethod
    def default_horizon_days():
        return 90

    @staticmethod
    def default_clv_months():
        return 12

    @staticmethod
    def default_monthly_discount_rate():
        return 0.01

    @staticmethod
    def default_risk_threshold():
        return 0.3

    def get_rec_name(self, name):
        if self.name:
            return self.name
        kind = dict(self.fields_get(['kind'])['kind']['selection'])[
            self.kind]
        return '%s %s - %s' % (kind, self.start_date, self.end_date)

    @property
    def weights(self):
        return {
            'satisfaction': self.satisfaction_weight,
            'loyalty': self.loyalty_weight,
            'stability': self.stability_weight,
            'value': self.value_weight,
            }

    @classmethod
    def validate_fields(cls, runs, field_names):
        super().validate_fields(runs, field_names)
        for run in runs:
            run.check_parameters()

    def check_parameters(self):
        for name in ['min_support', 'min_confidence', 'risk_threshold']:
            value = getattr(self, name)
            if value is not None and not (0 < value <= 1):
                self._parameter_error('msg_run_threshold', name, value)
        for name in ['horizon_days', 'clv_months',
                'suggestions_per_customer']:
            value = getattr(self, name)
            if value is not None and value <= 0:
                self._parameter_error('msg_run_positive', name, value)
        for name in ['min_lift', 'monthly_discount_rate',
                'satisfaction_weight', 'loyalty_weight',
                'stability_weight', 'value_weight']:
            value = getattr(self, name)
            if value is not None and value < 0:
                self._parameter_error('msg_run_negative', name, value)
        if self.kind == 'rfm' and not any(self.weights.values()):
            raise RunParameterError(gettext('crm_analytics.msg_run_weights'))

    def _parameter_error(self, message, name, value):
        raise RunParameterError(gettext(
                'crm_analytics.' + message,
                field=self.fields_get([name])[name]['string'],
                value=value))

    @classmethod
    def check_purchases(cls, runs):
        "Refuse a run over a period without any purchase"
        purchase = Pool().get('crm.purchase').__table__()
        cursor = Transaction().connection.cursor()
        for run in runs:
            cursor.execute(*purchase.select(Count(purchase.id),
                    where=purchase_where(purchase, run,
                        with_product=run.kind == 'pairs')))
            count, = cursor.fetchone()
            if not count:
                raise EmptyPeriodError(gettext(
                        'crm_analytics.msg_run_empty_period',
                        company=run.company.rec_name,
                        start=run.start_date, end=run.end_date))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, runs):
        cls.write(runs, {'message': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('queued')
    def run(cls, runs):
        if any(r.kind == 'rfm' for r in runs):
            Pool().get('crm.analytics.rfm.rule').check_mapping()
        cls.check_purchases(runs)
        cls.write(runs, {'started': None, 'finished': None,
                'message': None})
        cls.__queue__.process(runs)

    @classmethod
    def process(cls, runs):
        """Compute each queued run; a run whose data cannot be analysed
        fails with the reason and stores no result."""
        for run in cls.browse(runs):
            if run.state != 'queued':
                continue
            run.process_one()

    def process_one(self):
        started, clock = dt.datetime.now(), time.perf_counter()
        try:
            with Transaction().set_context(_check_access=False):
                summary = COMPUTATIONS[self.kind](self)
        except UserError as exception:
            self._clear_results()
            self._fail(started, exception.message)
            return
        except ValueError as exception:
            # the engine refuses data it cannot fit (no repeat purchase,
            # a fit that does not converge): report, keep older results
            self._clear_results()
            self._fail(started, gettext(
                    'crm_analytics.msg_run_cannot_compute',
                    reason=str(exception)))
            return
        self.write([self], dict(summary, state='done', started=started,
                finished=dt.datetime.now(),
                duration=round(time.perf_counter() - clock, 2)))

    def _clear_results(self):
        pool = Pool()
        cursor = Transaction().connection.cursor()
        for model in RESULT_MODELS:
            table = pool.get(model).__table__()
            cursor.execute(*table.delete(where=table.run == self.id))

    def _fail(self, started, message):
        self.write([self], {'state': 'failed', 'started': started,
                'finished': dt.datetime.now(), 'message': message})

    @classmethod
    def latest(cls, kind, company):
        "The last done run of kind for company, or None"
        runs = cls.search([
                ('kind', '=', kind), ('company', '=', company),
                ('state', '=', 'done'),
                ], order=[('finished', 'DESC'), ('id', 'DESC')], limit=1)
        return runs[0] if runs else None

    @classmethod
    def copy(cls, runs, default=None):
        default = dict(default or {})
        for name in ['started', 'finished', 'duration', 'customers',
                'results', 'message', 'rfm_results', 'pair_rules',
                'clv_results']:
            default.setdefault(name, None)
        return super().copy(runs, default=default)

    @classmethod
    def refresh(cls):
        """Run again the latest done analysis of each kind and company
        over a period of the same length ending today (cron)."""
        today = Pool().get('ir.date').today()
        latest = {}
        for run in cls.search([('state', '=', 'done')],
                order=[('finished', 'ASC'), ('id', 'ASC')]):
            latest[run.company, run.kind] = run
        runs = [r for r in latest.values() if r.end_date < today]
        for run in runs:
            length = run.end_date - run.start_date
            new, = cls.copy([run], default={
                    'start_date': today - length, 'end_date': today,
                    'state': 'draft'})
            with Transaction().set_context(company=run.company.id):
                try:
                    cls.run([new])
                except UserError:
                    # nothing bought in the period: nothing to refresh
                    cls.delete([new])

    @classmethod
    def customer_satisfaction(cls, run, party_ids):
        """Mean satisfaction score (1-5) per customer id over the run's
        period; modules that survey customers extend it"""
        return {}
