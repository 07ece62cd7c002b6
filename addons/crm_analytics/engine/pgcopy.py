# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""PostgreSQL's binary COPY format for columns of fixed width, by numpy.

The server reads binary rows without parsing text (a quarter less time
for the result rows of an analysis) and numpy writes them for every row
at once.  Only columns whose every value has the same width are encoded:
``rows`` returns None for a NULL or for text of varying length, and the
caller falls back to text.

Column types: ``'int4'``, ``'float8'``, ``('numeric', scale)`` with a
scale of 0 to 4, ``'date'``, ``'timestamp'``, ``'bool'``, ``'text'``.

>>> data = rows(['int4', ('numeric', 2), 'text'],
...     [np.array([1, 2]), np.array([12.5, -0.25]), 'a'], 2)
>>> data[:11] == SIGNATURE, data[-2:] == TRAILER
(True, True)
>>> rows(['int4'], [[1, None]], 2) is None
True
"""
import datetime as dt

import numpy as np

SIGNATURE = b'PGCOPY\n\xff\r\n\x00'
HEADER = SIGNATURE + b'\x00\x00\x00\x00' + b'\x00\x00\x00\x00'
TRAILER = b'\xff\xff'
POSTGRES_EPOCH = dt.date(2000, 1, 1)
# numeric: 4 base-10000 groups before the point (values below 1e16)
# and one after it
NUMERIC_GROUPS = 4
NUMERIC_NEGATIVE = 0x4000


def rows(types, columns, count):
    """The COPY ... (FORMAT binary) data of count rows; columns: one
    array or sequence per column, or one value for every row"""
    encode = encoder(types, columns, count)
    if encode is None:
        return None
    return HEADER + encode(0, count) + TRAILER


def encoder(types, columns, count):
    """A function of (start, stop) giving the binary rows from start to
    stop (between HEADER and TRAILER), so that the server can store some
    while the next are encoded; None when a column has no fixed-width
    encoding"""
    columns = [_array(c, count) for c in columns]
    for kind, column in zip(types, columns):
        # dates cannot fail once the first converts; the others are
        # checked whole (a width or a range)
        checked = column[:1] if kind in {'date', 'timestamp'} else column
        if kind is None or (count and _encode(kind, checked) is None):
            return None
        if kind == 'text' and count and len(set(
                    np.char.str_len(np.char.encode(column, 'utf-8')))) > 1:
            return None

    def encode(start, stop):
        encoded = [_encode(k, c[start:stop]) for k, c in zip(types, columns)]
        if any(e is None for e in encoded):
            raise ValueError("no binary encoding of rows %d to %d"
                % (start, stop))
        layout = [('fields', '>i2')]
        for i, value in enumerate(encoded):
            layout += [('length%d' % i, '>i4'),
                ('value%d' % i, value.dtype)]
        table = np.empty(stop - start, dtype=layout)
        table['fields'] = len(encoded)
        for i, value in enumerate(encoded):
            table['length%d' % i] = value.dtype.itemsize
            table['value%d' % i] = value
        return table.tobytes()
    return encode


def _array(column, count):
    "The column as an array of count values"
    if isinstance(column, (list, tuple, np.ndarray)):
        array = np.asarray(column)
        if len(array) != count:
            raise ValueError("column of %d values for %d rows"
                % (len(array), count))
        return array
    if isinstance(column, (dt.date, dt.datetime)):
        column = np.datetime64(column)
    return np.full(count, column, dtype=object if column is None else None)


def _encode(kind, array):
    "The values as an array of big-endian values, or None"
    if array.dtype == object:
        return None
    if kind == 'int4':
        if array.dtype.kind == 'f':
            array = np.rint(array)
        if array.dtype.kind not in 'iuf' or (
                np.abs(array) > np.iinfo(np.int32).max).any():
            return None
        return array.astype('>i4')
    if kind == 'float8':
        return array.astype('>f8')
    if kind == 'bool':
        return array.astype(bool).astype('u1')
    if kind == 'date':
        days = (_datetimes(array, 'D')
            - np.datetime64(POSTGRES_EPOCH, 'D')).astype(np.int64)
        return days.astype('>i4')
    if kind == 'timestamp':
        microseconds = (_datetimes(array, 'us')
            - np.datetime64(POSTGRES_EPOCH, 'us')).astype(np.int64)
        return microseconds.astype('>i8')
    if kind == 'text':
        if array.dtype.kind != 'U':
            return None
        data = np.char.encode(array, 'utf-8')
        width = data.dtype.itemsize
        if (np.char.str_len(data) != width).any():
            return None
        return data
    if isinstance(kind, tuple) and kind[0] == 'numeric':
        return _numeric(array, kind[1])
    raise ValueError("unknown column type %r" % (kind,))


def _datetimes(array, unit):
    if array.dtype.kind == 'M':
        return array.astype('datetime64[%s]' % unit)
    return np.array(array.tolist(), dtype='datetime64[%s]' % unit)


def _numeric(array, scale):
    """PostgreSQL's numeric: count of groups, weight, sign, scale, then
    the base-10000 groups (the server strips the zero ones)"""
    if not 0 <= scale <= 4 or array.dtype.kind not in 'iuf':
        return None
    scaled = np.rint(np.asarray(array, dtype=float) * 10 ** scale)
    if (np.abs(scaled) >= 10 ** (4 * NUMERIC_GROUPS + scale)).any():
        return None
    scaled = scaled.astype(np.int64)
    magnitude = np.abs(scaled)
    whole, fraction = magnitude // 10 ** scale, magnitude % 10 ** scale
    groups = NUMERIC_GROUPS + 1
    layout = [('ndigits', '>i2'), ('weight', '>i2'), ('sign', '>u2'),
        ('dscale', '>i2'), ('digits', '>i2', (groups,))]
    value = np.empty(len(array), dtype=layout)
    value['ndigits'] = groups
    value['weight'] = NUMERIC_GROUPS - 1
    value['sign'] = np.where(scaled < 0, NUMERIC_NEGATIVE, 0)
    value['dscale'] = scale
    for i in range(NUMERIC_GROUPS):
        value['digits'][:, i] = (
            whole // 10000 ** (NUMERIC_GROUPS - 1 - i) % 10000)
    value['digits'][:, NUMERIC_GROUPS] = fraction * 10 ** (4 - scale)
    return value
