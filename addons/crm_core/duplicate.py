# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from collections import defaultdict

from sql import Literal, Null, Union

from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import StateAction, StateTransition, Wizard

from .common import id_slices
from .engine.dedup import match_score


class Duplicate(Workflow, ModelSQL, ModelView):
    __name__ = 'crm.duplicate'
    __string__ = "Possible Duplicate"
    party = fields.Many2One(
        'party.party', "Customer", required=True, readonly=True,
        ondelete='CASCADE', help="The older record, kept on merge.")
    other = fields.Many2One(
        'party.party', "Possible Duplicate", required=True, readonly=True,
        ondelete='CASCADE', help="The newer record, merged into the older.")
    reasons = fields.MultiSelection([
            ('phone', "Same Phone"),
            ('email', "Same E-mail"),
            ('name', "Same Name"),
            ], "Reasons", readonly=True)
    score = fields.Float("Score", digits=(3, 2), readonly=True,
        help="How likely the two records are the same customer (0 to 1).")
    state = fields.Selection([
            ('open', "Open"),
            ('merged', "Merged"),
            ('dismissed', "Not a Duplicate"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('pair_unique', Unique(t, t.party, t.other),
                'crm_core.msg_duplicate_pair_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.other, Index.Equality())),
                Index(t, (t.state, Index.Equality()),
                    where=t.state == 'open'),
                })
        cls._order = [('score', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'dismissed'),
            ('dismissed', 'open'),
            ('open', 'merged'),
            }
        cls._buttons.update({
                'merge': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'dismiss': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'dismissed',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'open'

    def get_rec_name(self, name):
        return f'{self.party.rec_name} ~ {self.other.rec_name}'

    @classmethod
    @ModelView.button_action('crm_core.wizard_duplicate_merge')
    def merge(cls, duplicates):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('dismissed')
    def dismiss(cls, duplicates):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, duplicates):
        pass

    @classmethod
    def _candidate_pairs(cls, party_ids=None):
        """Yield (party, other, reason) for every pair sharing a key.

        Pairs are found by self-joins on indexed keys in the database;
        party < other.
        """
        pool = Pool()
        Party = pool.get('party.party')
        ContactMechanism = pool.get('party.contact_mechanism')
        cursor = Transaction().connection.cursor()

        def queries(sub_ids):
            a = ContactMechanism.__table__()
            b = ContactMechanism.__table__()
            pa = Party.__table__()
            pb = Party.__table__()
            key_where = ((a.active == Literal(True))
                & (b.active == Literal(True))
                & (pa.active == Literal(True))
                & (pb.active == Literal(True))
                & (a.dedup_key != Null))
            name_where = ((pa.active == Literal(True))
                & (pb.active == Literal(True))
                & (pa.customer_type == 'organisation')
                & (pb.customer_type == 'organisation')
                & (pa.name_key != Null))
            if sub_ids is None:
                key_join = a.party < b.party
                name_join = pa.id < pb.id
            else:
                # start from the given parties, by the party and key
                # indexes: a condition on either side would read every key
                key_join = a.party != b.party
                name_join = pa.id != pb.id
                key_where &= a.party.in_(sub_ids)
                name_where &= pa.id.in_(sub_ids)
            by_key = (a
                .join(b, condition=(a.dedup_key == b.dedup_key) & key_join)
                .join(pa, condition=pa.id == a.party)
                .join(pb, condition=pb.id == b.party)
                .select(a.party, b.party, a.dedup_key,
                    where=key_where))
            by_name = (pa
                .join(pb, condition=(pa.name_key == pb.name_key)
                    & name_join)
                .select(pa.id, pb.id, Literal('n:'), where=name_where))
            return Union(by_key, by_name, all_=True)

        slices = ([None] if party_ids is None
            else id_slices(party_ids))
        for sub_ids in slices:
            cursor.execute(*queries(sub_ids))
            for party, other, key in cursor:
                reason = {'p': 'phone', 'e': 'email', 'n': 'name'}[key[0]]
                yield min(party, other), max(party, other), reason

    @classmethod
    def detect(cls, parties=None):
        """Record every new pair of likely duplicates among parties
        (all active parties when None); returns the new records."""
        party_ids = (None if parties is None
            else sorted({int(p) for p in parties}))
        if party_ids == []:
            return []
        reasons = defaultdict(set)
        for party, other, reason in cls._candidate_pairs(party_ids):
            reasons[party, other].add(reason)
        if not reasons:
            return []
        known = cls._known_pairs(
            {p for p, _ in reasons} | {o for _, o in reasons})
        duplicates = [
            cls(party=party, other=other, reasons=sorted(found),
                score=round(match_score(found), 2))
            for (party, other), found in sorted(reasons.items())
            if (party, other) not in known]
        with without_check_access():
            cls.save(duplicates)
        return duplicates

    @classmethod
    def _known_pairs(cls, party_ids):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        known = set()
        for sub_ids in id_slices(list(party_ids)):
            cursor.execute(*table.select(
                    table.party, table.other,
                    where=table.party.in_(sub_ids)))
            known.update(cursor)
        return known

    @classmethod
    def mark_merged(cls, source, destination):
        "Close the pairs resolved by merging source into destination."
        with without_check_access():
            duplicates = cls.search([
                    ('state', '=', 'open'),
                    ['OR',
                        ('party', '=', source.id),
                        ('other', '=', source.id),
                        ],
                    ])
            cls.write(duplicates, {'state': 'merged'})

    @classmethod
    def scan_all(cls):
        "Cron entry point: scan every active customer."
        cls.detect()


class DuplicateScan(Wizard):
    __name__ = 'crm.duplicate.scan'
    start_state = 'scan'
    scan = StateTransition()
    open_ = StateAction('crm_core.act_duplicate_form')

    def transition_scan(self):
        Pool().get('crm.duplicate').detect()
        return 'open_'

    def do_open_(self, action):
        return action, {}
