# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Marketing campaigns: who was targeted, what it cost, and the
interactions it made (for last-touch attribution)."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields, sequence_ordered)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import CampaignError

CHANNELS = [
    ('email', "E-mail"),
    ('sms', "SMS"),
    ('phone', "Phone"),
    ('social', "Social Media"),
    ('online', "Online Advertising"),
    ('event', "Event"),
    ('print', "Print and Mail"),
    ('store', "In-Store Promotion"),
    ('other', "Other"),
    ]
_DRAFT = {'readonly': Eval('state') != 'draft'}


class Campaign(Workflow, ModelSQL, ModelView):
    __string__ = "Marketing Campaign"
    __name__ = 'crm.marketing.campaign'
    name = fields.Char("Name", required=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_DRAFT)
    channel = fields.Selection(CHANNELS, "Channel", required=True,
        states=_DRAFT)
    start_date = fields.Date(
        "Start Date", required=True, states=_DRAFT,
        domain=[If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date("End Date", required=True, states=_DRAFT)
    attribution = fields.Selection([
            ('window', "Any Purchase in the Window"),
            ('last_touch', "Last Touch by Interaction"),
            ], "Attribution", required=True, states=_DRAFT,
        help="Window: every purchase of a targeted customer from the start "
        "to the end of the window counts.  Last touch: only the purchases "
        "whose customer's last campaign interaction before them is one of "
        "this campaign.")
    attribution_days = fields.Integer(
        "Attribution Days", required=True, states=_DRAFT,
        domain=[('attribution_days', '>=', 0)],
        help="Days after the end of the campaign that its purchases still "
        "count.")
    attribution_end = fields.Date("Window End", readonly=True)
    target_segment = fields.Many2One(
        'crm.segment', "Target Segment", states=_DRAFT,
        help="Select Targets takes the customers of this segment; the "
        "segment's customers left untargeted are the control group.")
    targets = fields.Many2Many(
        'crm.marketing.campaign-party.party', 'campaign', 'party',
        "Targeted Customers", states=_DRAFT,
        context={'company': Eval('company', -1)}, depends={'company'})
    costs = fields.One2Many(
        'crm.marketing.campaign.cost', 'campaign', "Costs", states=_DRAFT)
    cost = fields.Function(
        fields.Numeric("Cost", digits=(16, 2)), 'get_cost')
    state = fields.Selection([
            ('draft', "Draft"),
            ('running', "Running"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'running'),
            ('running', 'closed'),
            ('running', 'draft'),
            ('closed', 'running'),
            }
        cls._buttons.update({
                'select_targets': {
                    'invisible': Eval('state') != 'draft',
                    'readonly': ~Eval('target_segment'),
                    'depends': ['state', 'target_segment'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'running',
                    'depends': ['state'],
                    },
                'start': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'running',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'closed',
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
    def default_attribution():
        return 'window'

    @staticmethod
    def default_attribution_days():
        return 30

    @staticmethod
    def default_channel():
        return 'email'

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if (field_names is None
                or {'end_date', 'attribution_days'} & field_names):
            if self.end_date and self.attribution_days is not None:
                end = self.end_date + dt.timedelta(
                    days=self.attribution_days)
                if getattr(self, 'attribution_end', None) != end:
                    values['attribution_end'] = end
        return values

    @classmethod
    def get_cost(cls, campaigns, name):
        return {c.id: sum((l.amount for l in c.costs), 0) for c in campaigns}

    @classmethod
    @ModelView.button
    def select_targets(cls, campaigns):
        Party = Pool().get('party.party')
        for campaign in campaigns:
            if campaign.target_segment:
                parties = Party.search([
                        ('segment', '=', campaign.target_segment.id)])
                campaign.targets = parties
        cls.save(campaigns)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, campaigns):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def start(cls, campaigns):
        for campaign in campaigns:
            if not campaign.costs or campaign.cost <= 0:
                raise CampaignError(gettext(
                        'crm_analytics.msg_campaign_no_cost',
                        campaign=campaign.rec_name))
            if not campaign.targets:
                raise CampaignError(gettext(
                        'crm_analytics.msg_campaign_no_targets',
                        campaign=campaign.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, campaigns):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def reopen(cls, campaigns):
        pass


class CampaignTarget(ModelSQL):
    __string__ = "Marketing Campaign Target"
    __name__ = 'crm.marketing.campaign-party.party'
    campaign = fields.Many2One(
        'crm.marketing.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('campaign')
        cls._sql_indexes.update({
                Index(t, (t.campaign, Index.Equality()),
                    (t.party, Index.Equality())),
                Index(t, (t.party, Index.Equality())),
                })


class CampaignCost(sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Marketing Campaign Cost"
    __name__ = 'crm.marketing.campaign.cost'
    campaign = fields.Many2One(
        'crm.marketing.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    description = fields.Char("Description", required=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True,
        domain=[('amount', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('campaign')


class Interaction(metaclass=PoolMeta):
    __name__ = 'crm.interaction'
    marketing_campaign = fields.Many2One(
        'crm.marketing.campaign', "Marketing Campaign", ondelete='SET NULL',
        help="The campaign this contact was made for: last-touch "
        "attribution credits it with the customer's next purchases.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.party, Index.Equality()),
                (t.marketing_campaign, Index.Equality()),
                (t.date, Index.Range())))
