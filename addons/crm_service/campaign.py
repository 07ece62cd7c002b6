# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval, PYSONDecoder
from trytond.transaction import Transaction, without_check_access

from .exceptions import CampaignError


class CallbackCampaign(Workflow, ModelSQL, ModelView):
    __name__ = 'crm.callback.campaign'
    __string__ = "Call-back Campaign"
    name = fields.Char("Name", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    centre = fields.Many2One(
        'crm.service.centre', "Centre", required=True,
        domain=[('company', '=', Eval('company', -1))])
    customer_domain = fields.Char(
        "Customers", required=True,
        help="The customers to call, as a domain on customers "
        "(e.g. segment, lifecycle stage, last purchase, tickets).")
    agents = fields.Many2Many(
        'crm.callback.campaign-crm.service.agent', 'campaign', 'agent',
        "Agents", domain=[('centre', '=', Eval('centre', -1))])
    start_date = fields.Date("Start Date", required=True)
    calls_per_day = fields.Integer(
        "Calls per Agent per Day", required=True,
        domain=[('calls_per_day', '>', 0)])
    calls = fields.One2Many('crm.callback.call', 'campaign', "Calls",
        readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('running', "Running"),
            ('done', "Done"),
            ], "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {('draft', 'running'), ('running', 'done')}
        cls._buttons.update({
                'launch': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'finish': {
                    'invisible': Eval('state') != 'running',
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
    def default_customer_domain():
        return '[]'

    @staticmethod
    def default_calls_per_day():
        return 30

    @staticmethod
    def default_start_date():
        return dt.date.today()

    def parsed_domain(self):
        try:
            domain = PYSONDecoder().decode(self.customer_domain)
            Pool().get('party.party').search(domain, limit=1)
        except Exception:
            raise CampaignError(gettext(
                    'crm_service.msg_campaign_domain',
                    campaign=self.rec_name))
        return domain

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def launch(cls, campaigns):
        "Create the call tasks, spread round-robin over agents and days."
        pool = Pool()
        Party = pool.get('party.party')
        Call = pool.get('crm.callback.call')
        calls = []
        for campaign in campaigns:
            if not campaign.agents:
                raise CampaignError(gettext(
                        'crm_service.msg_campaign_no_agent',
                        campaign=campaign.rec_name))
            parties = Party.search(campaign.parsed_domain(), order=[
                    ('id', 'ASC')])
            agents = list(campaign.agents)
            per_day = campaign.calls_per_day * len(agents)
            for i, party in enumerate(parties):
                calls.append(Call(
                        campaign=campaign, party=party,
                        agent=agents[i % len(agents)],
                        due_date=campaign.start_date
                        + dt.timedelta(days=i // per_day)))
        Call.save(calls)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def finish(cls, campaigns):
        pass


class CampaignAgent(ModelSQL):
    __name__ = 'crm.callback.campaign-crm.service.agent'
    __string__ = "Call-back Campaign - Agent"
    campaign = fields.Many2One(
        'crm.callback.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    agent = fields.Many2One(
        'crm.service.agent', "Agent", required=True, ondelete='CASCADE')


class CallbackCall(ModelSQL, ModelView):
    __name__ = 'crm.callback.call'
    __string__ = "Call-back Call"
    campaign = fields.Many2One(
        'crm.callback.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE')
    agent = fields.Many2One(
        'crm.service.agent', "Agent", ondelete='SET NULL')
    due_date = fields.Date("Due Date")
    outcome = fields.Selection([
            (None, ""),
            ('reached', "Reached"),
            ('no_answer', "No Answer"),
            ('wrong_number', "Wrong Number"),
            ('interested', "Interested"),
            ('not_interested', "Not Interested"),
            ], "Outcome")
    outcome_string = outcome.translated('outcome')
    follow_up_date = fields.Date("Follow-up Date")
    notes = fields.Text("Notes")
    call_time = fields.DateTime("Called", readonly=True)
    interaction = fields.Many2One(
        'crm.interaction', "Interaction", readonly=True, ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('campaign')
        cls._order = [('due_date', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t,
                (t.agent, Index.Equality()), (t.due_date, Index.Range()),
                where=t.outcome == None))  # noqa: E711

    @classmethod
    def on_modification(cls, mode, calls, field_names=None):
        super().on_modification(mode, calls, field_names=field_names)
        if mode == 'write' and 'outcome' in field_names:
            cls.record_outcomes([c for c in calls if c.outcome])

    @classmethod
    def record_outcomes(cls, calls):
        """Log each answered call in the customer's timeline; an interested
        customer gets a follow-up (and an opportunity when available)."""
        Interaction = Pool().get('crm.interaction')
        to_log = [c for c in calls if not c.interaction]
        now = dt.datetime.now()
        interactions = [Interaction(
                company=c.campaign.company, party=c.party, channel='phone',
                direction='outbound', date=now,
                employee=c.agent.employee if c.agent else None,
                subject=c.campaign.name, outcome=c.outcome_string,
                notes=c.notes,
                follow_up_date=c.follow_up_date or (
                    now.date() + dt.timedelta(days=3)
                    if c.outcome == 'interested' else None))
            for c in to_log]
        with without_check_access():
            Interaction.save(interactions)
        for call, interaction in zip(to_log, interactions):
            call.interaction = interaction
            call.call_time = now
        cls.save(to_log)
        cls._create_opportunities(
            [c for c in to_log if c.outcome == 'interested'])

    @classmethod
    def _create_opportunities(cls, calls):
        "Hook for sale_opportunity; nothing without it."
        pass
