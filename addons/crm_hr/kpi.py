# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .engine import kpi
from .exceptions import IndicatorSourceError, TargetError, WeightError

DIRECTIONS = [
    ('higher', "Higher Is Better"),
    ('lower', "Lower Is Better"),
    ]


class Template(DeactivableMixin, ModelSQL, ModelView):
    __string__ = "HR KPI Template"
    __name__ = 'crm.hr.kpi.template'
    name = fields.Char("Name", required=True, translate=True)
    company = fields.Many2One('company.company', "Company", required=True)
    positions = fields.One2Many(
        'crm.hr.position', 'kpi_template', "Positions",
        add_remove=[('company', '=', Eval('company', -1))],
        domain=[('company', '=', Eval('company', -1))],
        help="The employees of these positions are assessed with it.")
    indicators = fields.One2Many(
        'crm.hr.kpi.indicator', 'template', "Indicators")
    total_weight = fields.Function(
        fields.Numeric("Total Weight", digits=(5, 2)), 'get_total_weight')

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_total_weight(self, name):
        return sum((i.weight or 0) for i in self.indicators)

    @classmethod
    def validate(cls, templates):
        super().validate(templates)
        for template in templates:
            wrong = kpi.weights_error([i.weight for i in template.indicators])
            if wrong is not None:
                raise WeightError(gettext(
                        'crm_hr.msg_template_weights',
                        template=template.rec_name, total=wrong))


class Indicator(sequence_ordered(), ModelSQL, ModelView):
    __string__ = "HR KPI Indicator"
    __name__ = 'crm.hr.kpi.indicator'
    template = fields.Many2One(
        'crm.hr.kpi.template', "Template", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=True)
    weight = fields.Numeric(
        "Weight (%)", digits=(5, 2), required=True,
        help="The weights of a template's indicators sum to 100.")
    target = fields.Numeric("Target", digits=(16, 2), required=True)
    direction = fields.Selection(DIRECTIONS, "Direction", required=True)
    source = fields.Selection(
        'get_sources', "Source", required=True,
        help="Manual: the manager scores it; otherwise the figure is "
        "computed from the data of the module that offers the metric.")
    bands = fields.One2Many(
        'crm.hr.kpi.band', 'indicator', "Scoring Bands",
        help="Achievement (% of target) to score; empty: the score is the "
        "achievement, capped at 150.")
    unit = fields.Char("Unit")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('template')

    @staticmethod
    def default_direction():
        return 'higher'

    @staticmethod
    def default_source():
        return 'manual'

    @classmethod
    def get_sources(cls):
        Employee = Pool().get('company.employee')
        return [('manual', gettext('crm_hr.msg_source_manual'))] + [
            (code, label) for code, label in Employee.crm_metrics()]

    @property
    def automatic(self):
        return self.source != 'manual'

    def score(self, actual):
        return kpi.score(actual, self.target, self.direction,
            [(b.minimum, b.score) for b in self.bands])

    @classmethod
    def _validate(cls, indicators, field_names=None):
        # before the generic selection check, to name the cause: a source
        # offered by a module that is not active
        if field_names is None or 'source' in field_names:
            cls.check_sources(indicators)
        super()._validate(indicators, field_names)

    @classmethod
    def check_sources(cls, indicators):
        offered = {code for code, _ in cls.get_sources()}
        for indicator in indicators:
            if indicator.source not in offered:
                raise IndicatorSourceError(gettext(
                        'crm_hr.msg_indicator_source_inactive',
                        indicator=indicator.rec_name,
                        source=indicator.source))

    @classmethod
    def validate_fields(cls, indicators, field_names):
        super().validate_fields(indicators, field_names)
        for indicator in indicators:
            wrong = kpi.target_error(indicator.target, indicator.direction)
            if wrong:
                raise TargetError(gettext(
                        'crm_hr.msg_indicator_target_' + wrong,
                        indicator=indicator.rec_name,
                        target=indicator.target))


class Band(ModelSQL, ModelView):
    __string__ = "HR KPI Scoring Band"
    __name__ = 'crm.hr.kpi.band'
    indicator = fields.Many2One(
        'crm.hr.kpi.indicator', "Indicator", required=True,
        ondelete='CASCADE')
    minimum = fields.Numeric(
        "From Achievement (%)", digits=(6, 2), required=True,
        domain=[('minimum', '>=', 0)])
    score = fields.Numeric(
        "Score", digits=(6, 2), required=True, domain=[('score', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('indicator')
        cls._order.insert(0, ('minimum', 'ASC'))


class Grade(ModelSQL, ModelView):
    __string__ = "HR Grade"
    __name__ = 'crm.hr.grade'
    code = fields.Char("Code", required=True, size=8)
    name = fields.Char("Name", translate=True)
    minimum = fields.Numeric(
        "Minimum Total", digits=(5, 2), required=True,
        help="An assessment whose weighted total reaches it, and not the "
        "minimum of a better grade, gets this grade.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('minimum', 'DESC'), ('id', 'DESC')]
        table = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(table, table.code),
                'crm_hr.msg_grade_code_unique'),
            ]

    def get_rec_name(self, name):
        return self.code

    @classmethod
    def bands(cls):
        return [(g.code, g.minimum) for g in cls.search([])]
