# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql import Literal, Null
from sql.conditionals import Case
from sql.functions import CurrentDate

from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.pool import Pool

from .employee import LEVELS, NINE_BOX
from .engine import talent


class Succession(sequence_ordered(), ModelSQL, ModelView):
    __string__ = "HR Successor Candidate"
    __name__ = 'crm.hr.succession'
    position = fields.Many2One(
        'crm.hr.position', "Key Position", required=True, ondelete='CASCADE',
        domain=[('key_position', '=', True)])
    employee = fields.Many2One(
        'company.employee', "Candidate", required=True, ondelete='CASCADE')
    readiness = fields.Selection([
            ('now', "Ready Now"),
            ('1_2_years', "Ready in 1-2 Years"),
            ('3_years', "Ready in 3+ Years"),
            ], "Readiness", required=True)
    gaps = fields.Function(fields.Text(
            "Gaps", help="Required skills of the position the candidate "
            "does not reach, with the levels missing."), 'get_gaps')
    gap_count = fields.Function(fields.Integer("Gap Count"), 'get_gaps')
    performance = fields.Function(
        fields.Selection(LEVELS, "Performance"), 'get_employee_field')
    potential = fields.Function(
        fields.Selection(LEVELS, "Potential"), 'get_employee_field')
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('position')

    @staticmethod
    def default_readiness():
        return '1_2_years'

    @classmethod
    def get_gaps(cls, successions, names):
        result = {n: {} for n in names}
        for succession in successions:
            levels = {s.skill.id: s.level for s in succession.employee.skills}
            skills = {s.skill.id: s.skill for s in succession.position.skills}
            missing = talent.gaps(
                levels, succession.position.required_levels())
            if 'gaps' in names:
                result['gaps'][succession.id] = '\n'.join(
                    f'{skills[s].rec_name}: -{n}'
                    for s, n in sorted(missing.items()))
            if 'gap_count' in names:
                result['gap_count'][succession.id] = len(missing)
        return result

    def get_employee_field(self, name):
        return getattr(self.employee, name)

    @classmethod
    def rank(cls, positions):
        "Order the candidates of each position (readiness, gaps, total)."
        to_save = []
        for position in positions:
            candidates = {s.id: s for s in position.successors}
            order = talent.rank_successors([
                    (s.id, s.readiness, s.gap_count,
                        s.employee.performance_score)
                    for s in candidates.values()])
            for sequence, succession_id in enumerate(order, 1):
                succession = candidates[succession_id]
                succession.sequence = sequence
                to_save.append(succession)
        cls.save(to_save)


class NineBox(ModelSQL, ModelView):
    __string__ = "HR 9-Box"
    __name__ = 'crm.hr.nine_box'
    employee = fields.Many2One('company.employee', "Employee")
    company = fields.Many2One('company.company', "Company")
    department = fields.Many2One('crm.hr.department', "Department")
    position = fields.Many2One('crm.hr.position', "Position")
    performance = fields.Selection(LEVELS, "Performance")
    potential = fields.Selection(LEVELS, "Potential")
    box = fields.Selection([(None, "")] + NINE_BOX, "Box")
    score = fields.Numeric("Last KPI Total", digits=(5, 2))
    employees = fields.Integer("Employees")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('box', 'ASC'), ('score', 'DESC NULLS LAST'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        employee = Pool().get('company.employee').__table__()
        whens = [((employee.performance == p) & (employee.potential == q), b)
            for (p, q), b in talent.BOXES.items()]
        return employee.select(
            employee.id, employee.create_uid, employee.create_date,
            employee.write_uid, employee.write_date,
            employee.id.as_('employee'), employee.company,
            employee.department, employee.position, employee.performance,
            employee.potential, employee.performance_score.as_('score'),
            Case(*whens, else_=Null).as_('box'),
            Literal(1).as_('employees'),
            where=(employee.end_date == Null)
            | (employee.end_date >= CurrentDate()))
