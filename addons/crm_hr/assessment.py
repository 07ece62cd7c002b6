# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, PYSONEncoder
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import StateAction, Wizard

from .engine import kpi, talent
from .exceptions import AssessmentError, CampaignError, WeightError

PERIODS = [
    ('month', "Month"),
    ('quarter', "Quarter"),
    ('year', "Year"),
    ]
FROZEN = {'approved', 'closed'}
CENT = Decimal('0.01')
# what an approved assessment may still have written: its closing
WORKFLOW_FIELDS = {'state', 'closed_by', 'closed_date'}
# lines created per create by a campaign's generate
CREATE_LINES = 500


class Campaign(Workflow, ModelSQL, ModelView):
    __string__ = "HR Assessment Campaign"
    __name__ = 'crm.hr.campaign'
    _states = {'readonly': Eval('state') != 'draft'}
    name = fields.Char("Name", required=True, states=_states)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    period = fields.Selection(
        PERIODS, "Period", required=True, states=_states)
    start_date = fields.Date("Start Date", required=True, states=_states)
    end_date = fields.Date(
        "End Date", required=True, states=_states,
        domain=[('end_date', '>=', Eval('start_date', None))])
    departments = fields.Many2Many(
        'crm.hr.campaign-crm.hr.department', 'campaign', 'department',
        "Departments", states=_states,
        domain=[('company', '=', Eval('company', -1))],
        help="Their employees, and those of their sub-departments, whose "
        "position has a KPI template are assessed.")
    assessments = fields.One2Many(
        'crm.hr.assessment', 'campaign', "Assessments", readonly=True)
    bonus_rules = fields.One2Many(
        'crm.hr.bonus.rule', 'campaign', "Bonus Rules",
        states={'readonly': Eval('state') == 'closed'})
    state = fields.Selection([
            ('draft', "Draft"),
            ('open', "Open"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('start_date', 'DESC'))
        cls._transitions |= {('draft', 'open'), ('open', 'closed')}
        cls._buttons.update({
                'generate': {'invisible': Eval('state') != 'draft',
                    'depends': ['state']},
                'compute': {'invisible': Eval('state') != 'open',
                    'depends': ['state']},
                'close': {'invisible': Eval('state') != 'open',
                    'depends': ['state']},
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_period():
        return 'quarter'

    @classmethod
    def default_start_date(cls):
        "The first day of the current quarter"
        today = Pool().get('ir.date').today()
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)

    @classmethod
    def default_end_date(cls):
        return kpi.period_end(cls.default_period(), cls.default_start_date())

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @fields.depends('period', 'start_date')
    def on_change_with_end_date(self):
        if self.period and self.start_date:
            return kpi.period_end(self.period, self.start_date)

    @property
    def metric_bounds(self):
        "[start, end) of the period for the metrics' compute methods."
        return self.start_date, self.end_date + dt.timedelta(days=1)

    def _employee_domain(self):
        return [
            ('company', '=', self.company.id),
            ('department', 'child_of',
                [d.id for d in self.departments], 'parent'),
            ('position.kpi_template', '!=', None),
            ['OR', ('start_date', '=', None),
                ('start_date', '<=', self.end_date)],
            ['OR', ('end_date', '=', None),
                ('end_date', '>=', self.start_date)],
            ]

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def generate(cls, campaigns):
        pool = Pool()
        Employee = pool.get('company.employee')
        Assessment = pool.get('crm.hr.assessment')
        AssessmentLine = pool.get('crm.hr.assessment.line')
        now = dt.datetime.now()
        to_create, most = [], 1
        for campaign in campaigns:
            employees = Employee.search(campaign._employee_domain())
            if not employees:
                raise CampaignError(gettext(
                        'crm_hr.msg_campaign_no_employee',
                        campaign=campaign.rec_name))
            campaign.check_overlap(employees)
            # each template's indicators and bands are read once, not
            # through every employee: in a transaction that writes,
            # reading a One2Many of a record reads it for its whole batch
            indicators = {}
            for employee in employees:
                template = employee.position.kpi_template
                if template.id not in indicators:
                    indicators[template.id] = template.indicators
                    wrong = kpi.weights_error(
                        [i.weight for i in indicators[template.id]])
                    if wrong is not None:
                        raise WeightError(gettext(
                                'crm_hr.msg_template_weights',
                                template=template.rec_name, total=wrong))
            bands = AssessmentLine.indicator_bands(
                [i for t in indicators.values() for i in t])
            # the automatic indicators are computed for all the employees
            # at once and created with their figures
            values = campaign.metric_values(
                {i.source for t in indicators.values() for i in t
                    if i.automatic}, employees)
            to_create.extend(campaign._assessment_values(
                    e, indicators[e.position.kpi_template.id], values,
                    bands, now) for e in employees)
            most = max([most] + [len(t) for t in indicators.values()])
        # in slices of about CREATE_LINES lines: creating thousands at
        # once costs more (trytond's browse of n records takes time in n
        # squared) than the few queries of each create
        for sub_create in grouped_slice(to_create,
                max(1, CREATE_LINES // most)):
            # their totals and grades: by the lines' on_modification
            Assessment.create(list(sub_create))

    def check_overlap(self, employees):
        "Refuse employees already assessed over a day of the period."
        Assessment = Pool().get('crm.hr.assessment')
        for sub_employees in grouped_slice(
                employees, backend.MAX_QUERY_PARAMS):
            clashes = Assessment.search([
                    ('employee', 'in', [e.id for e in sub_employees]),
                    ('campaign', '!=', self.id),
                    ('campaign.start_date', '<=', self.end_date),
                    ('campaign.end_date', '>=', self.start_date),
                    ], limit=5)
            if clashes:
                raise CampaignError(gettext(
                        'crm_hr.msg_campaign_overlap',
                        campaign=self.rec_name,
                        employees=', '.join(
                            a.employee.rec_name for a in clashes),
                        other=clashes[0].campaign.rec_name))

    def metric_values(self, sources, employees):
        """{source: {employee id: figure}} over the campaign's period, one
        call of each metric for all the employees; the figures with the
        digits of a line's actual."""
        Employee = Pool().get('company.employee')
        start, end = self.metric_bounds
        return {source: {
                employee: _decimal(value)
                for employee, value in Employee.crm_metric_values(
                    source, employees, start, end).items()}
            for source in sources}

    def _assessment_values(self, employee, indicators, values, bands,
            computed):
        """The assessment of employee with a line per indicator, the
        automatic ones with their figure from values and its score."""
        template = employee.position.kpi_template
        department = employee.department
        lines = []
        for indicator in indicators:
            line = {
                'indicator': indicator.id,
                'sequence': indicator.sequence,
                'name': indicator.name,
                'weight': indicator.weight,
                'target': indicator.target,
                'direction': indicator.direction,
                'source': indicator.source,
                # the same columns for every line: one INSERT for many
                'actual': None,
                'score': None,
                }
            if indicator.automatic:
                actual = values[indicator.source].get(employee.id)
                line['actual'] = actual
                line['score'] = _score(actual, indicator.target,
                    indicator.direction, bands[indicator.id])
            lines.append(line)
        return {
            'campaign': self.id,
            'company': self.company.id,
            'employee': employee.id,
            'department': department.id,
            'position': employee.position.id,
            'template': template.id,
            'manager': department.manager.id if department.manager else None,
            'computed': computed,
            'lines': [('create', lines)],
            }

    @classmethod
    @ModelView.button
    def compute(cls, campaigns):
        Assessment = Pool().get('crm.hr.assessment')
        Assessment.compute([a for c in campaigns for a in c.assessments])

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, campaigns):
        Assessment = Pool().get('crm.hr.assessment')
        assessments = [a for c in campaigns for a in c.assessments]
        pending = [a for a in assessments if a.state != 'approved']
        if pending:
            raise CampaignError(gettext(
                    'crm_hr.msg_campaign_close_pending',
                    campaign=pending[0].campaign.rec_name,
                    count=len(pending),
                    employee=pending[0].employee.rec_name))
        Assessment.close(assessments)


def _decimal(value):
    return Decimal(str(value)).quantize(CENT) if value is not None else None


def _score(actual, target, direction, bands):
    return _decimal(kpi.score(actual, target, direction, bands))


class CampaignDepartment(ModelSQL):
    __string__ = "HR Campaign Department"
    __name__ = 'crm.hr.campaign-crm.hr.department'
    campaign = fields.Many2One(
        'crm.hr.campaign', "Campaign", required=True, ondelete='CASCADE')
    department = fields.Many2One(
        'crm.hr.department', "Department", required=True,
        ondelete='CASCADE')


def _done_by(name, state):
    return fields.Many2One(
        'res.user', name, readonly=True,
        states={'invisible': ~Eval(state)})


class Assessment(Workflow, ModelSQL, ModelView):
    __string__ = "HR KPI Assessment"
    __name__ = 'crm.hr.assessment'
    campaign = fields.Many2One(
        'crm.hr.campaign', "Campaign", required=True, readonly=True,
        ondelete='CASCADE')
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, readonly=True)
    department = fields.Many2One(
        'crm.hr.department', "Department", required=True, readonly=True)
    position = fields.Many2One('crm.hr.position', "Position", readonly=True)
    template = fields.Many2One(
        'crm.hr.kpi.template', "KPI Template", readonly=True)
    manager = fields.Many2One('company.employee', "Manager", readonly=True)
    start_date = fields.Function(
        fields.Date("Start Date"), 'get_campaign_field',
        searcher='search_campaign_field')
    end_date = fields.Function(
        fields.Date("End Date"), 'get_campaign_field',
        searcher='search_campaign_field')
    lines = fields.One2Many(
        'crm.hr.assessment.line', 'assessment', "Indicators",
        states={'readonly': Eval('state').in_(list(FROZEN))})
    self_comment = fields.Text(
        "Self-Assessment",
        states={'readonly': Eval('state') != 'draft'})
    manager_comment = fields.Text(
        "Manager's Comment",
        states={'readonly': ~Eval('state').in_(['draft', 'self_assessed'])})
    total = fields.Numeric(
        "Weighted Total", digits=(6, 2), readonly=True,
        help="Sum of each indicator's score times its weight.")
    grade = fields.Char("Grade", readonly=True)
    computed = fields.DateTime(
        "Live Data Read", readonly=True,
        help="When the automatic indicators were last computed.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('self_assessed', "Self-Assessed"),
            ('reviewed', "Manager-Reviewed"),
            ('approved', "HR-Approved"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)
    self_assessed_by = _done_by("Self-Assessed By", 'self_assessed_date')
    self_assessed_date = fields.DateTime("Self-Assessed On", readonly=True)
    reviewed_by = _done_by("Reviewed By", 'reviewed_date')
    reviewed_date = fields.DateTime("Reviewed On", readonly=True)
    approved_by = _done_by("Approved By", 'approved_date')
    approved_date = fields.DateTime("Approved On", readonly=True)
    closed_by = _done_by("Closed By", 'closed_date')
    closed_date = fields.DateTime("Closed On", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('campaign', 'DESC'), ('employee', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'self_assessed'),
            ('draft', 'reviewed'),
            ('self_assessed', 'reviewed'),
            ('self_assessed', 'draft'),
            ('reviewed', 'draft'),
            ('reviewed', 'approved'),
            ('approved', 'closed'),
            }
        cls._buttons.update({
                'reset': {
                    'invisible': ~Eval('state').in_(
                        ['self_assessed', 'reviewed']),
                    'icon': 'tryton-back', 'depends': ['state']},
                'self_assess': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state']},
                'review': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'self_assessed']),
                    'depends': ['state']},
                'approve': {
                    'invisible': Eval('state') != 'reviewed',
                    'depends': ['state']},
                'recompute': {
                    'invisible': Eval('state').in_(list(FROZEN)),
                    'depends': ['state']},
                })

    @staticmethod
    def default_state():
        return 'draft'

    def get_rec_name(self, name):
        return f'{self.employee.rec_name} - {self.campaign.rec_name}'

    def get_campaign_field(self, name):
        return getattr(self.campaign, name)

    @classmethod
    def search_campaign_field(cls, name, clause):
        return [('campaign.' + clause[0],) + tuple(clause[1:])]

    @classmethod
    def check_modification(cls, mode, assessments, values=None,
            external=False):
        super().check_modification(
            mode, assessments, values=values, external=external)
        if (mode == 'write' and set(values or {}) <= WORKFLOW_FIELDS
                and values.get('state', 'closed') == 'closed'):
            return
        for assessment in assessments:
            if assessment.state in FROZEN:
                raise AccessError(gettext(
                        'crm_hr.msg_assessment_frozen',
                        assessment=assessment.rec_name))

    @classmethod
    def _stamp(cls, assessments, prefix):
        cls.write(assessments, {
                prefix + '_by': Transaction().user,
                prefix + '_date': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def reset(cls, assessments):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('self_assessed')
    def self_assess(cls, assessments):
        cls._stamp(assessments, 'self_assessed')

    @classmethod
    @ModelView.button
    @Workflow.transition('reviewed')
    def review(cls, assessments):
        cls._stamp(assessments, 'reviewed')

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, assessments):
        pool = Pool()
        Employee = pool.get('company.employee')
        for assessment in assessments:
            unscored = [l for l in assessment.lines if l.score is None]
            if unscored:
                raise AssessmentError(gettext(
                        'crm_hr.msg_assessment_unscored',
                        assessment=assessment.rec_name,
                        indicators=', '.join(l.name for l in unscored)))
        cls._stamp(assessments, 'approved')
        to_write = []
        for assessment in assessments:
            to_write.extend([[assessment.employee], {
                        'performance': talent.performance_level(
                            assessment.total),
                        'performance_score': assessment.total,
                        }])
        if to_write:
            Employee.write(*to_write)

    @classmethod
    @Workflow.transition('closed')
    def close(cls, assessments):
        cls._stamp(assessments, 'closed')

    @classmethod
    @ModelView.button
    def recompute(cls, assessments):
        cls.compute(assessments)

    @classmethod
    def compute(cls, assessments):
        """Read the automatic indicators from live data, in one call of
        each metric per campaign, and score every open assessment; the
        lines whose figure or score changed are written, in one write per
        distinct pair."""
        pool = Pool()
        Line = pool.get('crm.hr.assessment.line')
        assessments = [a for a in assessments if a.state not in FROZEN]
        by_campaign = defaultdict(list)
        for assessment in assessments:
            by_campaign[assessment.campaign].append(assessment)
        changed = defaultdict(list)
        for campaign, c_assessments in by_campaign.items():
            employees = {a.id: a.employee for a in c_assessments}
            lines = [l for l in cls.read_lines(c_assessments, [
                        'assessment', 'indicator', 'source', 'target',
                        'direction', 'actual', 'score'])
                if l['source'] != 'manual']
            values = campaign.metric_values(
                {l['source'] for l in lines}, list(set(employees.values())))
            bands = Line.indicator_bands({l['indicator'] for l in lines})
            for line in lines:
                actual = values[line['source']].get(
                    employees[line['assessment']].id)
                # as score_of, with the bands read once
                score = _score(actual, line['target'], line['direction'],
                    bands[line['indicator']]
                    if line['indicator'] is not None else None)
                if actual != line['actual'] or score != line['score']:
                    changed[actual, score].append(line['id'])
        if changed:
            Line.write(*[x for (actual, score), ids in changed.items()
                    for x in [Line.browse(ids),
                        {'actual': actual, 'score': score}]])
        if assessments:
            cls.write(assessments, {'computed': dt.datetime.now()})
            cls.update_totals(assessments)

    @classmethod
    def read_lines(cls, assessments, names):
        """The values of names (and id) of the lines of assessments, as
        reading their lines gives them (without access check), as dicts:
        reading the lines record by record costs, for thousands, more
        than the queries (in a transaction that writes, the One2Many of
        each record is read again for its whole batch, and trytond's
        browse of n records takes time in n squared)."""
        Line = Pool().get('crm.hr.assessment.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        result = []
        with without_check_access():
            for sub_ids in grouped_slice(
                    [a.id for a in assessments], backend.MAX_QUERY_PARAMS):
                cursor.execute(*line.select(line.id,
                        where=line.assessment.in_(list(sub_ids))))
                result.extend(Line.read([i for i, in cursor], names))
        return result

    @classmethod
    def update_totals(cls, assessments):
        Grade = Pool().get('crm.hr.grade')
        bands = Grade.bands()
        assessments = [a for a in cls.browse(assessments)
            if a.state not in FROZEN]
        scores = defaultdict(list)
        for line in cls.read_lines(assessments, ['assessment', 'score',
                    'weight']):
            scores[line['assessment']].append((line['score'], line['weight']))
        to_write = []
        for assessment in assessments:
            total = _decimal(kpi.total(scores[assessment.id]))
            grade = kpi.grade(total, bands)
            if (total != assessment.total) or grade != assessment.grade:
                to_write.extend([[assessment], {
                            'total': total, 'grade': grade}])
        if to_write:
            cls.write(*to_write)


class AssessmentLine(ModelSQL, ModelView):
    __string__ = "HR KPI Assessment Line"
    __name__ = 'crm.hr.assessment.line'
    assessment = fields.Many2One(
        'crm.hr.assessment', "Assessment", required=True, ondelete='CASCADE')
    indicator = fields.Many2One(
        'crm.hr.kpi.indicator', "Indicator", readonly=True,
        ondelete='SET NULL')
    sequence = fields.Integer("Sequence", readonly=True)
    name = fields.Char("Indicator", required=True, readonly=True)
    weight = fields.Numeric("Weight (%)", digits=(5, 2), readonly=True)
    target = fields.Numeric("Target", digits=(16, 2), readonly=True)
    direction = fields.Selection(
        'get_directions', "Direction", readonly=True)
    source = fields.Selection('get_sources', "Source", readonly=True)
    actual = fields.Numeric(
        "Actual", digits=(16, 2),
        states={'readonly': Eval('source') != 'manual'},
        help="Automatic: read from live data; manual: entered by the "
        "manager.")
    score = fields.Numeric("Score", digits=(6, 2), readonly=True)
    assessment_state = fields.Function(
        fields.Selection('get_assessment_states', "Assessment State"),
        'on_change_with_assessment_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('assessment')
        cls._order = [('assessment', 'ASC'), ('sequence', 'ASC'),
            ('id', 'ASC')]
        cls._buttons.update({
                'drill_down': {
                    'invisible': Eval('source') == 'manual',
                    'depends': ['source']},
                })

    @classmethod
    def get_directions(cls):
        return Pool().get('crm.hr.kpi.indicator').fields_get(
            ['direction'])['direction']['selection']

    @classmethod
    def get_sources(cls):
        Indicator = Pool().get('crm.hr.kpi.indicator')
        return Indicator.get_sources()

    @classmethod
    def get_assessment_states(cls):
        return Pool().get('crm.hr.assessment').fields_get(
            ['state'])['state']['selection']

    @fields.depends('assessment', '_parent_assessment.state')
    def on_change_with_assessment_state(self, name=None):
        return self.assessment.state if self.assessment else None

    @classmethod
    def indicator_bands(cls, indicators):
        """{indicator id: [(minimum, score)]} of indicators (records or
        ids), read at once for the lines of many assessments."""
        Band = Pool().get('crm.hr.kpi.band')
        ids = {int(i) for i in indicators if i is not None}
        result = {i: [] for i in ids}
        with without_check_access():
            for sub_ids in grouped_slice(
                    list(ids), backend.MAX_QUERY_PARAMS):
                for band in Band.search(
                        [('indicator', 'in', list(sub_ids))]):
                    result[band.indicator.id].append(
                        (band.minimum, band.score))
        return result

    def score_of(self, actual):
        bands = [(b.minimum, b.score) for b in self.indicator.bands] if (
            self.indicator) else None
        return _score(actual, self.target, self.direction, bands)

    @fields.depends('actual', 'target', 'direction', 'indicator')
    def on_change_actual(self):
        self.score = self.score_of(self.actual)

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            if line.assessment.state in FROZEN:
                raise AccessError(gettext(
                        'crm_hr.msg_assessment_frozen',
                        assessment=line.assessment.rec_name))
            if (external and mode == 'write' and 'actual' in values
                    and line.source != 'manual'):
                raise AccessError(gettext(
                        'crm_hr.msg_assessment_line_automatic',
                        indicator=line.name))

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if field_names is None or 'actual' in field_names:
            score = self.score_of(self.actual)
            if score != self.score:
                values['score'] = score
        return values

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        super().on_modification(mode, lines, field_names=field_names)
        if mode != 'delete' and (
                field_names is None or {'actual', 'score'} & field_names):
            Assessment = Pool().get('crm.hr.assessment')
            Assessment.update_totals(list({l.assessment for l in lines}))

    @classmethod
    @ModelView.button_action('crm_hr.wizard_assessment_drill_down')
    def drill_down(cls, lines):
        pass


class DrillDown(Wizard):
    __string__ = "HR KPI Drill Down"
    __name__ = 'crm.hr.assessment.drill_down'
    start_state = 'open_'
    open_ = StateAction('crm_hr.act_drill_down')

    def do_open_(self, action):
        Employee = Pool().get('company.employee')
        line = self.record
        start, end = line.assessment.campaign.metric_bounds
        found = Employee.crm_metric_records(
            line.source, line.assessment.employee, start, end)
        if not found:
            raise AssessmentError(gettext(
                    'crm_hr.msg_drill_down_none', indicator=line.name))
        model, domain = found
        action['res_model'] = model
        action['pyson_domain'] = PYSONEncoder().encode(domain)
        action['name'] += f' - {line.name}'
        return action, {}
