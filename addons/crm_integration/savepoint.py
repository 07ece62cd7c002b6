# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Rows applied together, and one by one when the group fails."
from collections import Counter
from contextlib import contextmanager
from itertools import count

from trytond import backend
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError
from trytond.transaction import Transaction

_names = count()


@contextmanager
def savepoint():
    "Undo everything done inside when it raises"
    name = 'crm_integration_%s' % next(_names)
    cursor = Transaction().connection.cursor()
    cursor.execute('SAVEPOINT %s' % name)
    try:
        yield
    except BaseException:
        cursor.execute('ROLLBACK TO SAVEPOINT %s' % name)
        cursor.execute('RELEASE SAVEPOINT %s' % name)
        raise
    cursor.execute('RELEASE SAVEPOINT %s' % name)


def message_of(exception):
    "What a clerk reads of a refused row"
    if isinstance(exception, (UserError, ValidationError)):
        return exception.message
    return '%s: %s' % (exception.__class__.__name__, exception)


def apply_isolated(rows, apply):
    """Apply rows in one go; when that fails, each row alone, so a bad row
    is refused without its neighbours.  apply returns a Counter of what it
    did; returns the Counter of what was kept and [(row, message)] of the
    refused rows."""
    if not rows:
        return Counter(), []
    try:
        with savepoint():
            return apply(rows), []
    except backend.DatabaseOperationalError:
        # a lock or serialization failure: the whole request is retried
        raise
    except Exception as e:
        if len(rows) == 1:
            return Counter(), [(rows[0], message_of(e))]
    done, refused = Counter(), []
    for row in rows:
        try:
            with savepoint():
                done += apply([row])
        except backend.DatabaseOperationalError:
            raise
        except Exception as e:
            refused.append((row, message_of(e)))
    return done, refused


# records per ORM create: trytond checks the created records against the
# whole list once per record, so large creates grow with the square
CREATE_SLICE = 50


def create_sliced(Model, vlist):
    records = []
    for start in range(0, len(vlist), CREATE_SLICE):
        records.extend(Model.create(vlist[start:start + CREATE_SLICE]))
    return records
