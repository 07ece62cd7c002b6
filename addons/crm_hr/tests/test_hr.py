# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import io
from decimal import Decimal

import openpyxl

from trytond.model.exceptions import AccessError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..exceptions import (
    AssessmentError, CampaignError, IndicatorSourceError, TargetError,
    WeightError)
from .tools import (
    DBTestCase, create_campaign, create_department, create_position,
    create_template, create_user, hire)

MANUAL = [
    ("Customer focus", 60, 100, 'higher', 'manual'),
    ("Complaints", 40, 4, 'lower', 'manual'),
    ]


def score_manual(assessment, actuals):
    Line = Pool().get('crm.hr.assessment.line')
    lines = {l.name: l for l in assessment.lines}
    Line.write(*[x for name, actual in actuals.items()
            for x in ([lines[name]], {'actual': Decimal(actual)})])


class HrTestCase(DBTestCase):
    "Talent records, training and KPI assessments with crm_hr alone"

    def setup_company(self):
        company = create_company()
        boss = hire(company, "Boss", create_department(company, "Head"),
            None)
        service = create_department(company, "Service", manager=boss)
        hotline = create_department(
            company, "Hotline", parent=service)
        sales = create_department(company, "Sales")
        template = create_template(company, "Agent KPI", MANUAL)
        agent = create_position(company, "Agent", template, service)
        return company, boss, service, hotline, sales, agent

    @with_transaction()
    def test_template_weights_must_make_100(self):
        company = create_company()
        with set_company(company):
            with self.assertRaises(WeightError) as cm:
                create_template(company, "Bad", [
                        ("A", 60, 10, 'higher', 'manual'),
                        ("B", 30, 10, 'higher', 'manual')])
            self.assertIn("90", cm.exception.message)
            template = create_template(company, "Good", MANUAL)
            self.assertEqual(template.total_weight, 100)

    @with_transaction()
    def test_target_sign_and_inactive_source_refused(self):
        company = create_company()
        with set_company(company):
            with self.assertRaises(TargetError):
                create_template(company, "Negative", [
                        ("A", 100, -5, 'higher', 'manual')])
            with self.assertRaises(TargetError):
                create_template(company, "Zero", [
                        ("A", 100, 0, 'lower', 'manual')])
            # crm_service is not active here: its metrics are not offered
            Indicator = Pool().get('crm.hr.kpi.indicator')
            self.assertEqual(
                [c for c, _ in Indicator.get_sources()], ['manual'])
            with self.assertRaises(IndicatorSourceError) as cm:
                create_template(company, "Service", [
                        ("Tickets", 100, 50, 'higher',
                            'service_tickets_handled')])
            self.assertIn('service_tickets_handled', cm.exception.message)

    @with_transaction()
    def test_campaign_generates_one_assessment_per_employee(self):
        pool = Pool()
        Campaign = pool.get('crm.hr.campaign')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            wang = hire(company, "Wang", service, agent)
            li = hire(company, "Li", hotline, agent)
            hire(company, "Left", service, agent,
                end_date=dt.date(2025, 12, 31))
            hire(company, "No template", service,
                create_position(company, "Clerk"))
            hire(company, "Seller", sales, agent)
            campaign = create_campaign(company, [service])
            Campaign.generate([campaign])
            self.assertEqual(campaign.state, 'open')
            self.assertEqual(
                {a.employee for a in campaign.assessments}, {wang, li})
            assessment = next(
                a for a in campaign.assessments if a.employee == li)
            self.assertEqual(assessment.department, hotline)
            self.assertEqual(assessment.manager, None)
            self.assertEqual(
                [(l.name, l.weight, l.actual, l.score)
                    for l in assessment.lines],
                [("Customer focus", 60, None, None),
                    ("Complaints", 40, None, None)])
            self.assertIsNone(assessment.total)

            # the same employees over an overlapping period
            overlap = create_campaign(company, [hotline],
                start=dt.date(2026, 3, 1), period='month', name="March")
            with self.assertRaises(CampaignError) as cm:
                Campaign.generate([overlap])
            self.assertIn("Li", cm.exception.message)
            self.assertEqual(overlap.state, 'draft')
            later = create_campaign(company, [hotline],
                start=dt.date(2026, 4, 1), period='month', name="April")
            Campaign.generate([later])
            self.assertEqual(len(later.assessments), 1)

    @with_transaction()
    def test_scoring_workflow_and_freezing(self):
        pool = Pool()
        Campaign = pool.get('crm.hr.campaign')
        Assessment = pool.get('crm.hr.assessment')
        Line = pool.get('crm.hr.assessment.line')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            wang = hire(company, "Wang", service, agent)
            campaign = create_campaign(company, [service])
            Campaign.generate([campaign])
            assessment, = campaign.assessments
            Assessment.write([assessment], {'self_comment': "Good year"})
            Assessment.self_assess([assessment])
            Assessment.review([assessment])
            with self.assertRaises(AssessmentError) as cm:
                Assessment.approve([assessment])
            self.assertIn("Customer focus", cm.exception.message)

            # 90 / 100 -> 90; 5 complaints against 4 -> 80
            score_manual(assessment, {
                    "Customer focus": 90, "Complaints": 5})
            assessment = Assessment(assessment.id)
            self.assertEqual(
                [l.score for l in assessment.lines],
                [Decimal('90.00'), Decimal('80.00')])
            self.assertEqual(assessment.total, Decimal('86.00'))
            self.assertEqual(assessment.grade, 'B')
            Assessment.approve([assessment])
            self.assertEqual(assessment.approved_by.id, Transaction().user)
            self.assertIsNotNone(assessment.reviewed_date)
            self.assertEqual(
                (wang.performance, wang.performance_score),
                ('high', Decimal('86.00')))
            self.assertEqual(wang.nine_box, None)

            with self.assertRaises(AccessError):
                Line.write([assessment.lines[0]], {'actual': Decimal(10)})
            with self.assertRaises(AccessError):
                Assessment.write([assessment], {'manager_comment': "x"})
            Assessment.compute([assessment])
            self.assertEqual(
                Assessment(assessment.id).total, Decimal('86.00'))
            Campaign.close([campaign])
            self.assertEqual(Assessment(assessment.id).state, 'closed')

    @with_transaction()
    def test_campaign_close_needs_every_approval(self):
        Campaign = Pool().get('crm.hr.campaign')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            hire(company, "Wang", service, agent)
            campaign = create_campaign(company, [service])
            Campaign.generate([campaign])
            with self.assertRaises(CampaignError):
                Campaign.close([campaign])
            self.assertEqual(campaign.state, 'open')

    def approved_campaign(self, company, service, agent, people):
        "A generated campaign whose assessments are scored and approved."
        pool = Pool()
        Campaign = pool.get('crm.hr.campaign')
        Assessment = pool.get('crm.hr.assessment')
        employees = [hire(company, name, service, agent, salary=salary)
            for name, salary, _ in people]
        campaign = create_campaign(company, [service])
        Campaign.generate([campaign])
        by_employee = {a.employee: a for a in campaign.assessments}
        for employee, (_, _, actuals) in zip(employees, people):
            score_manual(by_employee[employee], actuals)
        Assessment.review(campaign.assessments)
        Assessment.approve(campaign.assessments)
        return campaign, employees

    @with_transaction()
    def test_bonus_list_and_excel_export(self):
        pool = Pool()
        Grade = pool.get('crm.hr.grade')
        Bonus = pool.get('crm.hr.bonus')
        Rule = pool.get('crm.hr.bonus.rule')
        Report = pool.get('crm.hr.campaign.bonus.xlsx', type='report')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            campaign, (wang, li, zhao) = self.approved_campaign(
                company, service, agent, [
                    # 100, 100 -> 100 (A); 90, 80 -> 86 (B); 50, 0 -> 30 (E)
                    ("Wang", Decimal(8000), {
                            "Customer focus": 100, "Complaints": 4}),
                    ("Li", Decimal(6000), {
                            "Customer focus": 90, "Complaints": 5}),
                    ("Zhao", None, {
                            "Customer focus": 50, "Complaints": 1000}),
                    ])
            grades = {g.code: g for g in Grade.search([])}
            Rule.create([
                    {'campaign': campaign.id, 'grade': grades['A'].id,
                        'kind': 'percentage', 'percentage': Decimal(20)},
                    {'campaign': campaign.id, 'grade': grades['B'].id,
                        'kind': 'fixed', 'amount': Decimal(500)},
                    ])
            bonuses = {b.employee: b for b in Bonus.search([])}
            self.assertEqual(set(bonuses), {wang, li})
            self.assertEqual(bonuses[wang].amount, Decimal('1600.00'))
            self.assertEqual(bonuses[li].amount, Decimal('500.00'))
            self.assertEqual(bonuses[li].grade, 'B')

            oext, content, _, name = Report.execute([campaign.id], {})
            self.assertEqual(oext, 'xlsx')
            sheet = openpyxl.load_workbook(io.BytesIO(content)).active
            self.assertEqual(sheet['A1'].value, "Bonus List (Excel)")
            self.assertEqual(
                (sheet['A2'].value, sheet['B2'].value), ("Name", "Q1"))
            header = [c.value for c in sheet[4]]
            self.assertEqual(header, [
                    "Employee", "Department", "Position", "Weighted Total",
                    "Grade", "Base Salary", "Bonus"])
            rows = {r[0]: r[1:] for r in sheet.iter_rows(
                    min_row=5, values_only=True)}
            self.assertEqual(rows, {
                    "Li": ("Service", "Agent", 86, 'B', 6000, 500),
                    "Wang": ("Service", "Agent", 100, 'A', 8000, 1600),
                    })
            self.assertEqual(sheet['G5'].number_format, '#,##0.00')
            self.assertEqual(len(sheet._charts), 1)

    @with_transaction()
    def test_department_manager_and_employee_see_their_own(self):
        pool = Pool()
        Assessment = pool.get('crm.hr.assessment')
        Employee = pool.get('company.employee')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            chen = hire(company, "Chen", sales, agent)
            Pool().get('crm.hr.department').write(
                [sales], {'manager': chen.id})
            wang = hire(company, "Wang", hotline, agent, salary=Decimal(9))
            seller = hire(company, "Seller", sales, agent)
            campaign = create_campaign(company, [service, sales])
            pool.get('crm.hr.campaign').generate([campaign])
            assessments = {a.employee: a for a in campaign.assessments}
            manager = create_user('boss', [
                    'crm_hr.group_hr_department_manager'], company, boss)
            employee = create_user('wang', [
                    'crm_hr.group_hr_employee'], company, wang)
            officer = create_user('hr', [
                    'crm_hr.group_hr_officer'], company)
            hr_manager = create_user('hrm', [
                    'crm_hr.group_hr_manager'], company)

        def visible(user):
            with Transaction().set_user(user.id), \
                    Transaction().set_context(_check_access=True,
                        company=company.id):
                return {a.employee for a in Assessment.search([])}
        self.assertEqual(visible(manager), {wang})
        self.assertEqual(visible(employee), {wang})
        self.assertEqual(visible(officer), {wang, chen, seller})

        with Transaction().set_user(manager.id), \
                Transaction().set_context(_check_access=True,
                    company=company.id):
            with self.assertRaises(AccessError):
                Assessment.read([assessments[seller].id], ['total'])
            Assessment.review([Assessment(assessments[wang].id)])
        with Transaction().set_user(employee.id), \
                Transaction().set_context(_check_access=True,
                    company=company.id):
            with self.assertRaises(AccessButtonError):
                Assessment.approve([Assessment(assessments[wang].id)])
            with self.assertRaises(AccessError):
                Assessment.read([assessments[chen].id], ['total'])

        def salary(user):
            with Transaction().set_user(user.id), \
                    Transaction().set_context(_check_access=True,
                        company=company.id):
                return Employee.read([wang.id], ['salary'])[0]['salary']
        with self.assertRaises(AccessError):
            salary(officer)
        self.assertEqual(salary(hr_manager), Decimal(9))

    @with_transaction()
    def test_training_missing_and_statistics(self):
        pool = Pool()
        Course = pool.get('crm.hr.course')
        Session = pool.get('crm.hr.training.session')
        Missing = pool.get('crm.hr.training.missing')
        Completion = pool.get('crm.hr.statistics.training')
        Headcount = pool.get('crm.hr.statistics.headcount')
        Position = pool.get('crm.hr.position')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            crm, complaints = Course.create([
                    {'name': "CRM", 'topic': 'crm_concepts',
                        'pass_score': Decimal(60)},
                    {'name': "Complaints", 'topic': 'complaint_handling'}])
            Position.write([agent], {'courses': [
                        ('add', [crm.id, complaints.id])]})
            wang = hire(company, "Wang", service, agent,
                start_date=dt.date(2026, 2, 1))
            li = hire(company, "Li", service, agent)
            hire(company, "Gone", service, agent,
                end_date=dt.date(2026, 3, 1))
            session, = Session.create([{
                        'course': crm.id, 'date': dt.date(2026, 1, 10),
                        'company': company.id,
                        'attendances': [('create', [
                                    {'employee': wang.id,
                                        'score': Decimal(75)},
                                    {'employee': li.id,
                                        'score': Decimal(40)}])]}])
            Session.do([session])
            self.assertEqual(
                {a.employee: a.result for a in session.attendances},
                {wang: 'pass', li: 'fail'})
            self.assertEqual(
                {(m.employee, m.course) for m in Missing.search([])},
                {(wang, complaints), (li, crm), (li, complaints)})
            completion, = Completion.search(
                [('department', '=', service.id)])
            self.assertEqual(
                (completion.required, completion.completed), (4, 1))
            self.assertEqual(completion.completion, 25.0)

            with Transaction().set_context(company=company.id,
                    from_date=dt.date(2026, 1, 1),
                    to_date=dt.date(2026, 12, 31)):
                headcount, = Headcount.search(
                    [('department', '=', service.id)])
            # at start: Li and Gone; at end: Wang and Li
            self.assertEqual(
                (headcount.start_headcount, headcount.end_headcount,
                    headcount.hires, headcount.leavers),
                (2, 2, 1, 1))
            self.assertEqual(headcount.turnover, 50.0)

    @with_transaction()
    def test_succession_gaps_and_ranking(self):
        pool = Pool()
        Skill = pool.get('crm.hr.skill')
        Position = pool.get('crm.hr.position')
        Succession = pool.get('crm.hr.succession')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            crm, lead = Skill.create([{'name': "CRM"}, {'name': "Lead"}])
            head, = Position.create([{
                        'name': "Head of Service", 'company': company.id,
                        'key_position': True,
                        'skills': [('create', [
                                    {'skill': crm.id, 'level': 4},
                                    {'skill': lead.id, 'level': 3}])]}])
            ready = hire(company, "Ready", service, agent, skills=[
                    ('create', [{'skill': crm.id, 'level': 4},
                            {'skill': lead.id, 'level': 3}])])
            junior = hire(company, "Junior", service, agent, skills=[
                    ('create', [{'skill': crm.id, 'level': 2}])])
            Succession.create([
                    {'position': head.id, 'employee': junior.id,
                        'readiness': 'now', 'sequence': 1},
                    {'position': head.id, 'employee': ready.id,
                        'readiness': 'now', 'sequence': 2}])
            Position.rank_successors([head])
            first, second = Position(head.id).successors
            self.assertEqual((first.employee, first.gap_count),
                (ready, 0))
            self.assertEqual((second.employee, second.gap_count),
                (junior, 2))
            self.assertEqual(second.gaps, "CRM: -2\nLead: -3")

    @with_transaction()
    def test_statistics_export_reads_back(self):
        pool = Pool()
        Report = pool.get('crm.hr.xlsx', type='report')
        Grades = pool.get('crm.hr.statistics.grade')
        ActionReport = pool.get('ir.action.report')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            self.approved_campaign(company, service, agent, [
                    ("A1", None, {"Customer focus": 100, "Complaints": 4}),
                    ("A2", None, {"Customer focus": 100, "Complaints": 4}),
                    ("B1", None, {"Customer focus": 90, "Complaints": 5}),
                    ])
            rows = Grades.search([])
            self.assertEqual(
                [(r.grade, r.employees, round(r.share, 2)) for r in rows],
                [('A', 2, 66.67), ('B', 1, 33.33)])
            action, = ActionReport.search([
                    ('report_name', '=', 'crm.hr.xlsx'),
                    ('model', '=', 'crm.hr.statistics.grade')])
            _, content, _, _ = Report.execute([r.id for r in rows], {
                    'action_id': action.id,
                    'model': 'crm.hr.statistics.grade'})
            sheet = openpyxl.load_workbook(io.BytesIO(content)).active
            rows = [tuple(round(v, 6) if isinstance(v, float) else v
                    for v in r)
                for r in sheet.iter_rows(min_row=3, values_only=True)]
            self.assertEqual(rows, [
                    ("Campaign", "Grade", "Employees", "Share (%)"),
                    ("Q1", 'A', 2, 66.666667), ("Q1", 'B', 1, 33.333333)])

    @with_transaction()
    def test_certificate_status_and_warning(self):
        pool = Pool()
        Certificate = pool.get('crm.hr.employee.certificate')
        Notification = pool.get('res.notification')
        Date = pool.get('ir.date')
        company, boss, service, hotline, sales, agent = self.setup_company()
        with set_company(company):
            today = Date.today()
            officer = create_user('hr', ['crm_hr.group_hr_officer'], company)
            Certificate.create([
                    {'employee': boss.id, 'name': name,
                        'expiry_date': today + dt.timedelta(days=days)}
                    for name, days in [("Old", -1), ("Soon", 30),
                        ("Later", 31)]])
            status = {c.name: c.status for c in Certificate.search([])}
            self.assertEqual(status, {
                    "Old": 'expired', "Soon": 'expiring', "Later": 'valid'})
            self.assertEqual(
                {c.name for c in Certificate.search(
                        [('status', 'in', ['expiring', 'expired'])])},
                {"Old", "Soon"})
            Certificate.warn_expiring()
            notes = Notification.search([('user', '=', officer.id)])
            self.assertEqual([n.label for n in notes], ["Soon"])
