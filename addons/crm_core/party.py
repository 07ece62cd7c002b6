# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null
from sql.aggregate import Count, Max, Sum
from sql.conditionals import Case
from sql.operators import Exists

from trytond.i18n import gettext
from trytond.model import Index, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .common import CHANNELS, LIFECYCLE_STAGES, id_slices
from .engine import dedup, lifecycle, quality
from .exceptions import BudgetRangeError, LifecycleError

# Profile fields whose every change is logged (who, when, old -> new).
TRACKED_FIELDS = [
    'name', 'code', 'customer_type', 'industry', 'region', 'source',
    'acquisition_channel', 'referred_by', 'store', 'owner', 'gender',
    'birth_date', 'occupation', 'income_band', 'id_number', 'preferences',
    'wish_budget_min', 'wish_budget_max', 'wish_district', 'wish_area_min',
    'wish_area_max', 'wish_rooms', 'lifecycle_stage', 'segment',
    'segment_manual', 'value_tier', 'value_tier_manual', 'active',
    ]
CONTACT_TYPES = ['phone', 'mobile', 'fax', 'email']
_person = Eval('customer_type') == 'person'


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    customer_type = fields.Selection([
            ('person', "Person"),
            ('organisation', "Organisation"),
            ], "Customer Type", required=True)
    industry = fields.Many2One(
        'crm.industry', "Industry", ondelete='RESTRICT')
    region = fields.Many2One('crm.region', "Region", ondelete='RESTRICT')
    source = fields.Many2One(
        'crm.source', "Acquisition Source", ondelete='RESTRICT',
        help="How the customer came to the company.")
    acquisition_channel = fields.Selection(
        [(None, "")] + CHANNELS, "Acquisition Channel")
    referred_by = fields.Many2One(
        'party.party', "Referred By", ondelete='SET NULL',
        domain=[('id', '!=', Eval('id', -1))],
        help="The customer who recommended the company to this one.")
    referrals = fields.One2Many(
        'party.party', 'referred_by', "Referrals", readonly=True,
        help="The customers this one recommended the company to.")
    store = fields.Many2One(
        'crm.store', "Store", ondelete='RESTRICT',
        help="The store or branch that serves the customer; "
        "head office and direct stores share customers.")
    owner = fields.Many2One(
        'company.employee', "Owner", ondelete='RESTRICT',
        help="The salesperson responsible for the customer. "
        "The customer belongs to the company: every CRM user can find "
        "and serve them.")

    gender = fields.Selection([
            (None, ""),
            ('male', "Male"),
            ('female', "Female"),
            ], "Gender", states={'invisible': ~_person})
    birth_date = fields.Date("Birth Date", states={'invisible': ~_person})
    occupation = fields.Char("Occupation", states={'invisible': ~_person})
    income_band = fields.Selection([
            (None, ""),
            ('low', "Low"),
            ('middle', "Middle"),
            ('upper_middle', "Upper Middle"),
            ('high', "High"),
            ], "Income Band", states={'invisible': ~_person})
    id_number = fields.Char(
        "ID Number", strip=True, states={'invisible': ~_person})

    preferences = fields.Text(
        "Needs and Preferences",
        help="Free text on what the customer needs and likes.")
    wish_budget_min = fields.Numeric("Budget From", digits=(16, 2))
    wish_budget_max = fields.Numeric("Budget To", digits=(16, 2))
    wish_district = fields.Char(
        "Preferred Area", help="District or area the customer prefers.")
    wish_area_min = fields.Float("Floor Area From", digits=(16, 1),
        help="In square metres.")
    wish_area_max = fields.Float("Floor Area To", digits=(16, 1),
        help="In square metres.")
    wish_rooms = fields.Integer("Preferred Rooms",
        help="Number of bedrooms of the preferred layout.")

    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, "Lifecycle Stage", required=True, sort=False)
    lifecycle_stage_string = lifecycle_stage.translated('lifecycle_stage')
    lifecycle_changes = fields.One2Many(
        'crm.lifecycle.change', 'party', "Lifecycle History", readonly=True)
    segment = fields.Many2One(
        'crm.segment', "Segment", ondelete='RESTRICT',
        help="Filled by analytics; setting it by hand overrides them.")
    segment_manual = fields.Boolean(
        "Manual Segment",
        help="Analytics leave a manually set segment alone.")
    value_tier = fields.Selection([
            (None, ""),
            ('a', "A - Key"),
            ('b', "B - High"),
            ('c', "C - Medium"),
            ('d', "D - Low"),
            ], "Value Tier",
        help="Filled by analytics; setting it by hand overrides them.")
    value_tier_manual = fields.Boolean("Manual Value Tier")
    profile_changes = fields.One2Many(
        'crm.profile.change', 'party', "Profile Changes", readonly=True)

    data_quality = fields.Selection([
            ('ok', "OK"),
            ('invalid', "Invalid Contact"),
            ('incomplete', "No Contact Means"),
            ], "Data Quality", readonly=True,
        help="Invalid phone or e-mail formats and customers without any "
        "phone, fax or e-mail are flagged here.")
    name_key = fields.Char("Name Key", readonly=True)

    contact_persons = fields.One2Many(
        'crm.contact_person', 'organisation', "Contact Persons",
        states={'invisible': Eval('customer_type') != 'organisation'})
    interactions = fields.One2Many(
        'crm.interaction', 'party', "Interactions", order=[('date', 'DESC')])
    purchases = fields.One2Many(
        'crm.purchase', 'party', "Purchases", readonly=True,
        order=[('date', 'DESC')])
    purchase_amount = fields.Function(
        fields.Numeric("Purchased Amount", digits=(16, 2)),
        'get_purchase_figures')
    purchase_count = fields.Function(
        fields.Integer("Purchases Count"), 'get_purchase_figures')
    last_purchase_date = fields.Function(
        fields.Date("Last Purchase"), 'get_purchase_figures')
    last_interaction = fields.Function(
        fields.DateTime("Last Interaction"), 'get_last_interaction')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.name_key, Index.Equality())),
                Index(t, (t.lifecycle_stage, Index.Equality())),
                Index(t, (t.owner, Index.Equality())),
                Index(t, (t.referred_by, Index.Equality()),
                    where=t.referred_by != Null),
                })
        cls._buttons.update({
                'change_lifecycle': {
                    'readonly': Eval('id', -1) < 0,
                    'depends': ['id'],
                    },
                })

    @staticmethod
    def default_customer_type():
        return 'person'

    @staticmethod
    def default_lifecycle_stage():
        return 'prospect'

    @staticmethod
    def default_data_quality():
        return 'incomplete'

    @staticmethod
    def default_segment_manual():
        return False

    @staticmethod
    def default_value_tier_manual():
        return False

    @classmethod
    def get_purchase_figures(cls, parties, names):
        pool = Pool()
        Purchase = pool.get('crm.purchase')
        purchase = Purchase.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {p.id: None for p in parties} for n in names}
        for sub_ids in id_slices([p.id for p in parties]):
            cursor.execute(*purchase.select(
                    purchase.party, Sum(purchase.amount),
                    Count(purchase.id), Max(purchase.date),
                    where=purchase.party.in_(sub_ids),
                    group_by=[purchase.party]))
            for party_id, amount, count, last in cursor:
                # SQLite returns aggregates untyped.
                if isinstance(last, str):
                    last = dt.date.fromisoformat(last)
                figures = {
                    'purchase_amount': round(Decimal(str(amount)), 2),
                    'purchase_count': count,
                    'last_purchase_date': last,
                    }
                for name in names:
                    result[name][party_id] = figures[name]
        return result

    @classmethod
    def get_last_interaction(cls, parties, name):
        pool = Pool()
        Interaction = pool.get('crm.interaction')
        interaction = Interaction.__table__()
        cursor = Transaction().connection.cursor()
        result = {p.id: None for p in parties}
        for sub_ids in id_slices([p.id for p in parties]):
            cursor.execute(*interaction.select(
                    interaction.party, Max(interaction.date),
                    where=interaction.party.in_(sub_ids),
                    group_by=[interaction.party]))
            for party_id, date in cursor:
                if isinstance(date, str):
                    date = dt.datetime.fromisoformat(date)
                result[party_id] = date
        return result

    @classmethod
    def set_contact_mechanism(cls, parties, name, value):
        # sao sends '' for the phone, mobile and email columns of the
        # customer list with every new customer: only a value is a new
        # contact mechanism (party refuses '' once the customer has one).
        if value:
            super().set_contact_mechanism(parties, name, value)

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = super().search_rec_name(name, clause)
        _, operator, operand, *extra = clause
        if (domain[0] == 'OR' and isinstance(operand, str)
                and operator in {'ilike', 'like', '='}):
            # Find "138 0013 8000", "+86-13800138000"... by one phone key.
            key = dedup.phone_key(operand.strip('%'))
            if key and len(key) >= 5:
                domain.append(
                    ('contact_mechanisms.dedup_key', '=', 'p:' + key))
        return domain

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if not field_names or field_names & {
                'wish_budget_min', 'wish_budget_max',
                'wish_area_min', 'wish_area_max'}:
            for party in parties:
                party.check_wish_ranges()

    def check_wish_ranges(self):
        for low, high in [
                ('wish_budget_min', 'wish_budget_max'),
                ('wish_area_min', 'wish_area_max')]:
            low_value, high_value = getattr(self, low), getattr(self, high)
            if (low_value is not None and high_value is not None
                    and low_value > high_value):
                raise BudgetRangeError(gettext(
                        'crm_core.msg_wish_range',
                        party=self.rec_name,
                        low=low_value, high=high_value))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'name' in values:
            values['name_key'] = dedup.name_key(values['name'])
        if mode == 'write' and not Transaction().context.get(
                '_crm_computed'):
            if 'segment' in values:
                values.setdefault('segment_manual', True)
            if 'value_tier' in values:
                values.setdefault('value_tier_manual', True)
        return values

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        super().check_modification(
            mode, parties, values=values, external=external)
        if mode == 'write' and 'lifecycle_stage' in values:
            stage = values['lifecycle_stage']
            for party in parties:
                if not lifecycle.is_allowed(party.lifecycle_stage, stage):
                    raise LifecycleError(gettext(
                            'crm_core.msg_lifecycle_transition',
                            party=party.rec_name,
                            from_=party.lifecycle_stage_string,
                            to=dict(cls.fields_get(['lifecycle_stage'])[
                                    'lifecycle_stage']['selection'])[stage]))

    @classmethod
    def on_write(cls, parties, values):
        callbacks = super().on_write(parties, values)
        tracked = [f for f in TRACKED_FIELDS if f in values]
        if not tracked:
            return callbacks
        with without_check_access():
            old = {p.id: {f: getattr(p, f) for f in tracked} for p in parties}
        ids = list(old)

        def log_changes():
            ProfileChange = Pool().get('crm.profile.change')
            with without_check_access():
                ProfileChange.log(cls.browse(ids), old)
        return callbacks + [log_changes]

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        pool = Pool()
        Duplicate = pool.get('crm.duplicate')
        super().on_modification(mode, parties, field_names=field_names)
        if mode == 'create':
            cls.update_data_quality(parties)
        if mode == 'create' or (mode == 'write' and 'name' in field_names):
            Duplicate.detect(parties)

    @classmethod
    def update_data_quality(cls, parties):
        "Flag the parties' contact data in one UPDATE per slice."
        pool = Pool()
        ContactMechanism = pool.get('party.contact_mechanism')
        party = cls.__table__()
        mechanism = ContactMechanism.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()

        def mechanisms(where):
            return Exists(mechanism.select(
                    mechanism.id,
                    where=(mechanism.party == party.id)
                    & (mechanism.active == Literal(True))
                    & where))
        has_contact = mechanisms(mechanism.type.in_(CONTACT_TYPES))
        has_invalid = mechanisms(mechanism.quality == 'invalid')
        state = Case(
            (~has_contact, 'incomplete'),
            (has_invalid, 'invalid'),
            else_='ok')
        ids = list(map(int, parties))
        for sub_ids in id_slices(ids):
            cursor.execute(*party.update(
                    [party.data_quality], [state],
                    where=party.id.in_(sub_ids)))
        # The UPDATE bypasses the ORM: drop the records it made stale.
        for cache in transaction.cache.values():
            if cls.__name__ in cache:
                for id_ in ids:
                    cache[cls.__name__].pop(id_, None)

    @classmethod
    def set_computed(cls, values):
        """Set segment / value tier computed by other modules.

        values maps party id to a dict of {'segment': id, 'value_tier': x};
        customers with a manual override keep theirs.
        """
        # one write per distinct change: analytics give few distinct
        # values to many customers
        groups = defaultdict(list)
        for party in cls.browse(list(values)):
            vals = dict(values[party.id])
            if party.segment_manual:
                vals.pop('segment', None)
            if party.value_tier_manual:
                vals.pop('value_tier', None)
            for name in list(vals):
                current = getattr(party, name)
                if getattr(current, 'id', current) == vals[name]:
                    del vals[name]
            if vals:
                groups[tuple(sorted(vals.items()))].append(party)
        to_write = []
        for vals, parties in groups.items():
            to_write.extend((parties, dict(vals)))
        if to_write:
            with Transaction().set_context(_crm_computed=True):
                cls.write(*to_write)

    @classmethod
    def find_duplicates(cls, parties=None):
        return Pool().get('crm.duplicate').detect(parties)

    @classmethod
    @ModelView.button_action('crm_core.wizard_lifecycle_change')
    def change_lifecycle(cls, parties):
        pass


class ContactMechanism(metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'

    dedup_key = fields.Char("Duplicate Key", readonly=True)
    quality = fields.Selection([
            ('valid', "Valid"),
            ('invalid', "Invalid"),
            ], "Format", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.dedup_key, Index.Equality())))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'value' in values or 'type' in values:
            # A write may change only one of the two: the other is kept.
            if mode == 'create' or {'value', 'type'} <= set(values):
                cls._set_keys(values, values.get('type'), values.get('value'))
        return values

    @staticmethod
    def _set_keys(values, type_, value):
        values['dedup_key'] = dedup.contact_key(type_, value)
        values['quality'] = (
            'valid' if quality.is_valid_contact(type_, value) else 'invalid')

    @classmethod
    def on_write(cls, mechanisms, values):
        callbacks = super().on_write(mechanisms, values)
        if ('value' in values) != ('type' in values):
            ids = [m.id for m in mechanisms]

            def rekey():
                for mechanism in cls.browse(ids):
                    keys = {}
                    cls._set_keys(keys, mechanism.type, mechanism.value)
                    if (keys['dedup_key'] != mechanism.dedup_key
                            or keys['quality'] != mechanism.quality):
                        cls.write([mechanism], keys)
            callbacks.append(rekey)
        return callbacks

    @classmethod
    def on_modification(cls, mode, mechanisms, field_names=None):
        pool = Pool()
        Party = pool.get('party.party')
        Duplicate = pool.get('crm.duplicate')
        super().on_modification(mode, mechanisms, field_names=field_names)
        if mode in {'create', 'write'}:
            parties = Party.browse({m.party.id for m in mechanisms})
            Party.update_data_quality(parties)
            if mode == 'create' or field_names & {
                    'dedup_key', 'party', 'active'}:
                Duplicate.detect(parties)

    @classmethod
    def on_delete(cls, mechanisms):
        callbacks = super().on_delete(mechanisms)
        party_ids = {m.party.id for m in mechanisms}

        def update():
            Party = Pool().get('party.party')
            Party.update_data_quality(Party.browse(party_ids))
        return callbacks + [update]


class Replace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('crm.interaction', 'party'),
            ('crm.purchase', 'party'),
            ('crm.contact_person', 'organisation'),
            ('crm.contact_person', 'person'),
            ('crm.lifecycle.change', 'party'),
            ('crm.profile.change', 'party'),
            ('party.party', 'referred_by'),
            ]

    def transition_replace(self):
        pool = Pool()
        Duplicate = pool.get('crm.duplicate')
        Party = pool.get('party.party')
        source, destination = self.ask.source, self.ask.destination
        state = super().transition_replace()
        Duplicate.mark_merged(source, destination)
        Party.update_data_quality([destination])
        return state


class ReplaceAsk(metaclass=PoolMeta):
    __name__ = 'party.replace.ask'

    @classmethod
    def default_source(cls):
        duplicate = cls._active_duplicate()
        if duplicate:
            return duplicate.other.id
        return super().default_source()

    @classmethod
    def default_destination(cls):
        duplicate = cls._active_duplicate()
        if duplicate:
            return duplicate.party.id

    @staticmethod
    def _active_duplicate():
        context = Transaction().context
        if context.get('active_model') == 'crm.duplicate' and context.get(
                'active_id'):
            return Pool().get('crm.duplicate')(context['active_id'])


class Erase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def to_erase(self, party_id):
        pool = Pool()
        Party = pool.get('party.party')
        Interaction = pool.get('crm.interaction')
        ContactPerson = pool.get('crm.contact_person')
        LifecycleChange = pool.get('crm.lifecycle.change')
        ProfileChange = pool.get('crm.profile.change')
        personal = [
            'name_key', 'gender', 'birth_date', 'occupation', 'income_band',
            'id_number', 'preferences', 'wish_district']
        return super().to_erase(party_id) + [
            (Party, [('id', '=', party_id)], False,
                personal, [None] * len(personal)),
            (Interaction, [('party', '=', party_id)], True,
                ['subject', 'notes', 'outcome'], ['****', None, None]),
            (ContactPerson, [
                    ['OR',
                        ('organisation', '=', party_id),
                        ('person', '=', party_id)]], False,
                ['role'], [None]),
            (LifecycleChange, [('party', '=', party_id)], False,
                ['reason'], [None]),
            (ProfileChange, [('party', '=', party_id)], False,
                ['old_value', 'new_value'], ['****', '****']),
            ]
