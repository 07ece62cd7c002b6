# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    recommended_units = fields.One2Many(
        'crm.property.match', 'party', "Recommended Units", readonly=True,
        help="Available units ranked by how well they meet the "
        "customer's wishes.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'recommend_units': {},
                })

    @classmethod
    @ModelView.button
    def recommend_units(cls, parties):
        Pool().get('crm.property.match').refresh_parties(parties)


class Replace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    def transition_replace(self):
        "The external ids of the merged customer follow it"
        Link = Pool().get('crm.integration.link')
        link = Link.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*link.update([link.record_id],
                [self.ask.destination.id],
                where=(link.model == 'party.party')
                & (link.record_id == self.ask.source.id)))
        return super().transition_replace()


class Interaction(metaclass=PoolMeta):
    __name__ = 'crm.interaction'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        office = ('office', "Office System")
        if office not in cls.channel.selection:
            cls.channel.selection.append(office)

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['crm.property']
