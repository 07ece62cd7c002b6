# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .common import LIFECYCLE_STAGES, SENSITIVE_FIELDS


class _ChangeMixin(ModelSQL, ModelView):
    __slots__ = ()
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE')
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.party, Index.Equality())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.__access__.add('party')

    @staticmethod
    def default_date():
        return dt.datetime.now()

    @staticmethod
    def default_user():
        return Transaction().user


class LifecycleChange(_ChangeMixin):
    __name__ = 'crm.lifecycle.change'
    __string__ = "Lifecycle Change"
    from_stage = fields.Selection(
        [(None, "")] + LIFECYCLE_STAGES, "From", readonly=True)
    to_stage = fields.Selection(LIFECYCLE_STAGES, "To", readonly=True)
    reason = fields.Text("Reason", readonly=True)


class ProfileChange(_ChangeMixin):
    __name__ = 'crm.profile.change'
    __string__ = "Profile Change"
    field = fields.Many2One(
        'ir.model.field', "Field", readonly=True, ondelete='CASCADE')
    old_value = fields.Text("Old Value", readonly=True)
    new_value = fields.Text("New Value", readonly=True)
    sensitive = fields.Boolean(
        "Sensitive", readonly=True,
        help="Changes of sensitive fields are shown only to the "
        "CRM Sensitive Data group.")

    @classmethod
    def log(cls, parties, old_values):
        """Record the changes between old_values and the parties' values.

        old_values maps a party id to {field name: old value}.
        """
        pool = Pool()
        Field = pool.get('ir.model.field')
        LifecycleChange = pool.get('crm.lifecycle.change')
        Party = pool.get('party.party')
        context = Transaction().context
        names = set().union(*old_values.values())
        field_ids = {f.name: f.id for f in Field.search([
                    ('model', '=', 'party.party'),
                    ('name', 'in', list(names)),
                    ])}
        changes, stages = [], []
        for party in parties:
            for name, old in old_values[party.id].items():
                new = getattr(party, name)
                if old == new:
                    continue
                if name == 'lifecycle_stage':
                    stages.append(LifecycleChange(
                            party=party, from_stage=old, to_stage=new,
                            reason=context.get('lifecycle_reason')))
                changes.append(cls(
                        party=party, field=field_ids[name],
                        old_value=cls._format(Party, name, old),
                        new_value=cls._format(Party, name, new),
                        sensitive=name in SENSITIVE_FIELDS))
        cls.save(changes)
        LifecycleChange.save(stages)

    @staticmethod
    def _format(Model, name, value):
        if value is None:
            return None
        field = Model._fields[name]
        if isinstance(field, fields.Many2One):
            return value.rec_name
        if isinstance(field, fields.Selection):
            return dict(field.selection).get(value, value)
        return str(value)
