# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"SQL helpers shared by the computations (SQLite and PostgreSQL)."
import datetime as dt
import itertools
import re
import sqlite3

import numpy as np
from sql import Cast, Literal
from sql.functions import Function

from trytond import backend
from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .engine import pgcopy

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


def insert_columns(model_name, values):
    """Insert result rows given by column, with the ORM's create_uid /
    create_date; values maps a column name to a sequence (one value per
    row) or to one value for every row; return the number of rows.
    PostgreSQL: one binary COPY that numpy encodes (engine/pgcopy.py),
    or, when a column has no fixed-width encoding, a text COPY that numpy
    formats column by column (psycopg's per-value formatting took longer
    than the analysis); other databases: executemany in batches."""
    Model = Pool().get(model_name)
    table = Model.__table__()
    transaction = Transaction()
    now = dt.datetime.now()
    values = dict(values, create_uid=transaction.user)
    count = max((len(v) for v in values.values() if _is_column(v)),
        default=0)
    if not count:
        return 0
    cursor = transaction.connection.cursor()
    if backend.name == 'postgresql':
        values['create_date'] = now
        names = list(values)
        columns = ', '.join('"%s"' % n for n in names)
        encode = pgcopy.encoder(
            [_pg_type(Model._fields[n]) for n in names],
            list(values.values()), count)
        if encode is not None:
            with cursor.copy('COPY "%s" (%s) FROM STDIN (FORMAT binary)' % (
                        table._name, columns)) as copy:
                copy.write(pgcopy.HEADER)
                # batch by batch: the server stores one while the next is
                # encoded
                for start in range(0, count, BATCH):
                    copy.write(encode(start, min(start + BATCH, count)))
                copy.write(pgcopy.TRAILER)
            return count
        with cursor.copy('COPY "%s" (%s) FROM STDIN' % (
                    table._name, columns)) as copy:
            # batch by batch: the server stores one while the next is
            # formatted
            for start in range(0, count, BATCH):
                size = min(BATCH, count - start)
                texts = [_copy_texts(Model._fields.get(n),
                        v[start:start + size] if _is_column(v) else v, size)
                    for n, v in values.items()]
                copy.write(''.join('\t'.join(row) + '\n'
                        for row in zip(*texts)))
        return count
    # the same create_date for every row, written in the statement as
    # the connection's adapter writes it
    now = sqlite3.adapters.get((dt.datetime, sqlite3.PrepareProtocol),
        str)(now)
    names = list(values)
    sql = 'INSERT INTO "%s" (%s) VALUES (%s, \'%s\')' % (
        table._name, ', '.join('"%s"' % n for n in names + ['create_date']),
        ', '.join([_param()] * len(names)), now)
    columns = [_as_list(v) if _is_column(v) else itertools.repeat(v, count)
        for v in values.values()]
    rows = zip(*columns)
    while True:
        batch = list(itertools.islice(rows, BATCH))
        if not batch:
            break
        cursor.executemany(sql, batch)
    return count


def _pg_type(field):
    "The engine/pgcopy.py type of a field's column"
    if isinstance(field, (fields.Integer, fields.Many2One)):
        return 'int4'
    if isinstance(field, fields.Numeric):
        scale = field.digits[1] if field.digits else None
        return ('numeric', scale) if isinstance(scale, int) else None
    if isinstance(field, fields.Float):
        return 'float8'
    if isinstance(field, fields.Boolean):
        return 'bool'
    if isinstance(field, fields.Date):
        return 'date'
    if isinstance(field, fields.Timestamp):
        return 'timestamp'
    if isinstance(field, (fields.Char, fields.Selection)):
        return 'text'


def _is_column(value):
    return isinstance(value, (list, tuple, np.ndarray))


def _as_list(column):
    if isinstance(column, np.ndarray):
        if column.dtype.kind == 'M':
            # dates as the SQLite adapter writes them
            return np.datetime_as_string(column).tolist()
        return column.tolist()
    return column


def _copy_texts(field, value, count):
    "The COPY text of each row's value of a column, as a list"
    if not _is_column(value):
        return [_copy_text(value)] * count
    array = np.asarray(value)
    if isinstance(field, fields.Integer) and array.dtype.kind == 'f':
        # COPY takes no float for an integer column, as an INSERT would
        array = np.rint(array).astype(np.int64)
    if array.dtype.kind == 'M':
        return np.datetime_as_string(array).tolist()
    texts = array.tolist()
    if array.dtype.kind in 'biuf':
        # str of a float is its shortest repr: it reads back the same
        return list(map(str, texts))
    if array.dtype.kind == 'U' and not _SPECIAL.search('\0'.join(texts)):
        return texts
    return [_copy_text(v) for v in texts]


_SPECIAL = re.compile(r'[\\\t\n\r]')


def _copy_text(value):
    if value is None:
        return '\\N'
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return (str(value).replace('\\', '\\\\').replace('\t', '\\t')
        .replace('\n', '\\n').replace('\r', '\\r'))


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
