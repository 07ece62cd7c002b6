# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, tree)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction


class Department(tree(separator=' / '), DeactivableMixin, ModelSQL, ModelView):
    __string__ = "HR Department"
    __name__ = 'crm.hr.department'
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code")
    company = fields.Many2One('company.company', "Company", required=True)
    parent = fields.Many2One(
        'crm.hr.department', "Parent",
        domain=[('company', '=', Eval('company', -1))],
        help="The department this one belongs to.")
    children = fields.One2Many('crm.hr.department', 'parent', "Children")
    manager = fields.Many2One(
        'company.employee', "Manager",
        domain=[('company', '=', Eval('company', -1))],
        help="Assesses the employees of the department and of its "
        "sub-departments.")
    employees = fields.One2Many('company.employee', 'department', "Employees")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))
        table = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(table, table.company, table.code),
                'crm_hr.msg_department_code_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class Skill(DeactivableMixin, ModelSQL, ModelView):
    __string__ = "HR Skill"
    __name__ = 'crm.hr.skill'
    name = fields.Char("Name", required=True, translate=True)
    category = fields.Selection([
            (None, ""),
            ('crm', "CRM Concepts"),
            ('system', "System Operation"),
            ('service', "Service Skills"),
            ('sales', "Sales"),
            ('management', "Management"),
            ('technical', "Technical"),
            ('language', "Language"),
            ], "Category")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))


class Position(DeactivableMixin, ModelSQL, ModelView):
    __string__ = "HR Position"
    __name__ = 'crm.hr.position'
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code")
    company = fields.Many2One('company.company', "Company", required=True)
    department = fields.Many2One(
        'crm.hr.department', "Department",
        domain=[('company', '=', Eval('company', -1))])
    key_position = fields.Boolean(
        "Key Position",
        help="A position whose succession is planned in the talent pool.")
    skills = fields.One2Many(
        'crm.hr.position.skill', 'position', "Required Skills")
    courses = fields.Many2Many(
        'crm.hr.position-crm.hr.course', 'position', 'course',
        "Required Courses",
        help="Courses every holder of the position must have passed.")
    successors = fields.One2Many(
        'crm.hr.succession', 'position', "Successors",
        states={'invisible': ~Eval('key_position')})
    employees = fields.One2Many('company.employee', 'position', "Holders")
    kpi_template = fields.Many2One(
        'crm.hr.kpi.template', "KPI Template",
        domain=[('company', '=', Eval('company', -1))],
        help="The template the holders of the position are assessed with.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))
        cls._buttons.update({
                'rank_successors': {
                    'invisible': ~Eval('key_position'),
                    'depends': ['key_position']},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_key_position():
        return False

    @classmethod
    @ModelView.button
    def rank_successors(cls, positions):
        Pool().get('crm.hr.succession').rank(positions)

    def required_levels(self):
        return {s.skill.id: s.level for s in self.skills}


class PositionSkill(ModelSQL, ModelView):
    __string__ = "HR Position Required Skill"
    __name__ = 'crm.hr.position.skill'
    position = fields.Many2One(
        'crm.hr.position', "Position", required=True, ondelete='CASCADE')
    skill = fields.Many2One('crm.hr.skill', "Skill", required=True)
    level = fields.Integer(
        "Level", required=True,
        domain=[('level', '>=', 1), ('level', '<=', 5)],
        help="The level the position needs, from 1 to 5.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('position')
        table = cls.__table__()
        cls._sql_constraints = [
            ('skill_unique', Unique(table, table.position, table.skill),
                'crm_hr.msg_position_skill_unique'),
            ]

    @staticmethod
    def default_level():
        return 3


class PositionCourse(ModelSQL):
    __string__ = "HR Position Required Course"
    __name__ = 'crm.hr.position-crm.hr.course'
    position = fields.Many2One(
        'crm.hr.position', "Position", required=True, ondelete='CASCADE')
    course = fields.Many2One(
        'crm.hr.course', "Course", required=True, ondelete='CASCADE')
