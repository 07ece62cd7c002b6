# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('crm.ticket|escalate', "Escalate Service Tickets"),
                ])


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_cache_key(cls, model_names):
        return (*super()._get_cache_key(model_names), cls._employees())

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        context['employees'] = list(cls._employees())
        return context

    @staticmethod
    def _employees():
        "The employees of the user, for record rules on agents."
        User = Pool().get('res.user')
        user = Transaction().user
        if not user:
            return ()
        return tuple(e.id for e in User(user).employees)
