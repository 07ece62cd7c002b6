# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    tickets = fields.One2Many(
        'crm.ticket', 'party', "Service Tickets", readonly=True)


class Interaction(metaclass=PoolMeta):
    __name__ = 'crm.interaction'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['crm.ticket']


class Replace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('crm.ticket', 'party'),
            ('crm.callback.call', 'party'),
            ]
