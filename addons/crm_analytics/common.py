# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"SQL helpers shared by the computations (SQLite and PostgreSQL)."
import datetime as dt
import itertools
import sqlite3

import numpy as np
from sql import Cast, Literal
from sql.functions import Function, Power, Round

from trytond import backend
from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction

EPOCH = dt.date(1970, 1, 1)
BATCH = 10000


class _JulianDay(Function):
    __slots__ = ()
    _function = 'JULIANDAY'


def day_number(column):
    "Days since 1970-01-01 of a date column, as an SQL integer expression"
    if backend.name == 'sqlite':
        return Cast(_JulianDay(column) - Literal(2440587.5), 'INTEGER')
    return column - Literal(EPOCH)


class _Pow(Function):
    __slots__ = ()
    _function = 'POW'


def power(base, exponent):
    """base ** exponent in SQL; on SQLite the built-in POW, as trytond
    replaces POWER and SQRT there by Python functions called per row"""
    if backend.name == 'sqlite':
        return _Pow(base, exponent)
    return Power(base, exponent)


def rounded(value, digits=2):
    "value (a float expression) rounded as a float column keeps it"
    return Round(Cast(value, 'NUMERIC'), digits)


class _Date(Function):
    __slots__ = ()
    _function = 'DATE'


def as_date(column):
    "The date of a timestamp column, comparable with a date column"
    if backend.name == 'sqlite':
        return _Date(column)
    return Cast(column, 'DATE')


def to_day(date):
    return (date - EPOCH).days


def purchase_where(purchase, run, with_product=False):
    "The purchase lines of the run's company and period"
    where = ((purchase.company == run.company.id)
        & (purchase.date >= run.start_date)
        & (purchase.date <= run.end_date))
    if with_product:
        where &= purchase.product != None  # noqa: E711
    return where


def fetch_columns(query, dtypes):
    """Run query and return its columns as numpy arrays, read in batches
    so that no list of a million tuples is built."""
    cursor = Transaction().connection.cursor()
    cursor.execute(*query)
    if len(set(dtypes)) == 1 and dtypes[0] is not object:
        # one array per batch: numpy reads the tuples in C
        dtype, = set(dtypes)
        chunks = []
        while True:
            rows = cursor.fetchmany(BATCH)
            if not rows:
                break
            chunks.append(np.array(rows, dtype=dtype))
        table = (np.concatenate(chunks) if chunks
            else np.empty((0, len(dtypes)), dtype=dtype))
        return [table[:, i].copy() for i in range(len(dtypes))]
    chunks = [[] for _ in dtypes]
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            break
        for chunk, column, dtype in zip(chunks, zip(*rows), dtypes):
            chunk.append(np.array(column, dtype=dtype))
    return [np.concatenate(c) if c else np.empty(0, dtype=d)
        for c, d in zip(chunks, dtypes)]


def insert_rows(model_name, columns, rows):
    """Insert result rows with the ORM's create_uid / create_date; rows
    are sequences in the order of columns.  PostgreSQL: one COPY, other
    databases: executemany in batches."""
    Model = Pool().get(model_name)
    table = Model.__table__()
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    now = dt.datetime.now()
    user = transaction.user
    names = list(columns) + ['create_uid', 'create_date']
    count = 0
    if backend.name == 'postgresql':
        # COPY takes no float for an integer column, as an INSERT would
        whole = [i for i, n in enumerate(columns)
            if isinstance(Model._fields.get(n), fields.Integer)]
        with cursor.copy('COPY "%s" (%s) FROM STDIN' % (
                    table._name, ', '.join('"%s"' % n for n in names))
                ) as copy:
            for row in rows:
                row = list(row)
                for i in whole:
                    if isinstance(row[i], float):
                        row[i] = round(row[i])
                copy.write_row(row + [user, now])
                count += 1
        return count
    # the same create_uid / create_date for every row, written in the
    # statement (the date as the connection's adapter writes it)
    now = sqlite3.adapters.get((dt.datetime, sqlite3.PrepareProtocol),
        str)(now)
    sql = 'INSERT INTO "%s" (%s) VALUES (%s, %d, \'%s\')' % (
        table._name, ', '.join('"%s"' % n for n in names),
        ', '.join([_param()] * len(columns)), int(user), now)
    rows = iter(rows)
    while True:
        batch = list(itertools.islice(rows, BATCH))
        if not batch:
            break
        cursor.executemany(sql, batch)
        count += len(batch)
    return count


def update_rows(model_name, values, ids):
    """Set columns of rows by id with executemany, in batches; values maps
    a column name to a numpy array (rounded to 2 decimals) aligned with
    ids."""
    table = Pool().get(model_name).__table__()
    cursor = Transaction().connection.cursor()
    sql = 'UPDATE "%s" SET %s WHERE "id" = %s' % (
        table._name,
        ', '.join('"%s" = %s' % (n, _param()) for n in values), _param())
    rows = list(zip(*(np.round(np.asarray(v, dtype=float), 2).tolist()
                for v in values.values()), np.asarray(ids).tolist()))
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start:start + BATCH])


def _param():
    return '?' if backend.name == 'sqlite' else '%s'


class ReportContextMixin:
    "A report context that lists its filters for the Excel exports"
    __slots__ = ()
    _filter_fields = ()

    @classmethod
    def filters(cls):
        "(label, text) of the context's values in use"
        pool = Pool()
        context = Transaction().context
        definitions = cls.fields_get(list(cls._filter_fields))
        result = []
        for name in cls._filter_fields:
            value = context.get(name)
            if value is None:
                continue
            field = cls._fields[name]
            if isinstance(field, fields.Many2One):
                value = pool.get(field.model_name)(value).rec_name
            elif isinstance(field, fields.Selection):
                value = dict(definitions[name]['selection'])[value]
            result.append((definitions[name]['string'], str(value)))
        return result
