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
                ('crm.hr.employee.certificate|warn_expiring',
                    "Warn of Expiring Certificates"),
                ])


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_cache_key(cls, model_names):
        return (*super()._get_cache_key(model_names), cls._hr_scope())

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        employees, departments = cls._hr_scope()
        context['employees'] = list(employees)
        context['hr_departments'] = list(departments)
        return context

    @staticmethod
    def _hr_scope():
        """The user's employees and the departments they manage, for the
        record rules of employees and department managers."""
        pool = Pool()
        User = pool.get('res.user')
        Department = pool.get('crm.hr.department')
        user = Transaction().user
        if not user:
            return (), ()
        employees = tuple(e.id for e in User(user).employees)
        if not employees:
            return employees, ()
        # SQL: a search would apply this very rule to departments
        department = Department.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*department.select(department.id,
                where=department.manager.in_(list(employees)),
                order_by=[department.id]))
        return employees, tuple(i for i, in cursor)
