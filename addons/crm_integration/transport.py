# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Reading pages of records from an external system and sending records
to it: REST-JSON over HTTP, XML-RPC, or files dropped in a directory."""
import csv
import datetime as dt
import http.client
import io
import json
import math
import socket
import urllib.error
import urllib.parse
import urllib.request
import xmlrpc.client
from pathlib import Path

# a page: {'data': [row, ...], 'pages': number of pages}


class TransportError(Exception):
    "A failed exchange; transient ones are worth retrying."

    def __init__(self, reason, detail='', transient=True):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail
        self.transient = transient

    def __str__(self):
        return '%s: %s' % (self.reason, self.detail) if self.detail \
            else self.reason


def _scrub(text, secrets):
    "Never let a credential reach a log or a job's error"
    for secret in secrets:
        if secret:
            text = text.replace(secret, '***')
    return text


class RestTransport:

    def __init__(self, endpoint, username=None, secret=None, timeout=30):
        self.endpoint = endpoint.rstrip('/')
        self.username = username
        self.secret = secret
        self.timeout = timeout

    def _headers(self):
        headers = {'Accept': 'application/json',
            'Content-Type': 'application/json; charset=utf-8'}
        if self.secret:
            headers['Authorization'] = 'Bearer %s' % self.secret
        return headers

    def _request(self, method, path, query=None, body=None):
        url = '%s/api/%s' % (self.endpoint, path)
        if query:
            url += '?' + urllib.parse.urlencode(query)
        data = (json.dumps(body, default=str).encode('utf-8')
            if body is not None else None)
        request = urllib.request.Request(
            url, data=data, method=method, headers=self._headers())
        secrets = [self.secret]
        try:
            with urllib.request.urlopen(
                    request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as e:
            transient = e.code >= 500 or e.code == 429
            raise TransportError(
                'http_%s' % e.code, _scrub(str(e.reason), secrets),
                transient=transient) from None
        except (socket.timeout, TimeoutError) as e:
            raise TransportError('timeout', _scrub(str(e), secrets)) \
                from None
        except (urllib.error.URLError, http.client.HTTPException,
                ConnectionError, OSError) as e:
            raise TransportError(
                'connection', _scrub(str(e), secrets)) from None
        try:
            return json.loads(payload.decode('utf-8'))
        except (UnicodeDecodeError, ValueError) as e:
            raise TransportError('malformed', _scrub(str(e), secrets)) \
                from None

    def fetch(self, collection, page, per_page, since=None):
        query = {'page': page, 'per_page': per_page}
        if since:
            query['updated_since'] = since.isoformat()
        result = self._request('GET', collection, query)
        if (not isinstance(result, dict)
                or not isinstance(result.get('data'), list)):
            raise TransportError('malformed', 'no data list')
        return {'data': result['data'],
            'pages': int(result.get('pages') or 0)}

    def send(self, collection, records):
        result = self._request('POST', collection, body=records)
        return int((result or {}).get('accepted', 0))


class XmlRpcTransport:
    "The system answers fetch(collection, page, per_page, since)"

    def __init__(self, endpoint, username=None, secret=None, timeout=30):
        self.endpoint = endpoint
        self.username = username
        self.secret = secret
        self.timeout = timeout

    def _proxy(self):
        url = self.endpoint
        if self.username:
            parts = urllib.parse.urlsplit(url)
            netloc = '%s:%s@%s' % (
                urllib.parse.quote(self.username),
                urllib.parse.quote(self.secret or ''), parts.netloc)
            url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        transport = _TimeoutTransport(self.timeout)
        if url.startswith('https'):
            transport = _TimeoutSafeTransport(self.timeout)
        return xmlrpc.client.ServerProxy(
            url, transport=transport, allow_none=True,
            use_builtin_types=True)

    def _call(self, method, *args):
        secrets = [self.secret]
        try:
            return getattr(self._proxy(), method)(*args)
        except xmlrpc.client.Fault as e:
            raise TransportError(
                'fault', _scrub(e.faultString, secrets),
                transient=False) from None
        except xmlrpc.client.ProtocolError as e:
            raise TransportError(
                'http_%s' % e.errcode, _scrub(e.errmsg, secrets),
                transient=e.errcode >= 500) from None
        except (socket.timeout, TimeoutError) as e:
            raise TransportError('timeout', _scrub(str(e), secrets)) \
                from None
        except (http.client.HTTPException, ConnectionError, OSError) as e:
            raise TransportError(
                'connection', _scrub(str(e), secrets)) from None
        except xmlrpc.client.ResponseError as e:
            raise TransportError('malformed', _scrub(str(e), secrets)) \
                from None

    def fetch(self, collection, page, per_page, since=None):
        result = self._call('fetch', collection, page, per_page,
            since.isoformat() if since else None)
        if (not isinstance(result, dict)
                or not isinstance(result.get('data'), list)):
            raise TransportError('malformed', 'no data list')
        return {'data': result['data'],
            'pages': int(result.get('pages') or 0)}

    def send(self, collection, records):
        return int(self._call('receive', collection, records) or 0)


class _TimeoutTransport(xmlrpc.client.Transport):

    def __init__(self, timeout):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


class _TimeoutSafeTransport(xmlrpc.client.SafeTransport):

    def __init__(self, timeout):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def read_rows(path):
    "The rows of a CSV (UTF-8, with or without BOM) or XLSX file as dicts"
    path = Path(path)
    if path.suffix.lower() == '.xlsx':
        return read_xlsx(path.read_bytes())
    return read_csv(path.read_bytes())


def read_csv(data):
    text = data.decode('utf-8-sig')
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]


def read_xlsx(data):
    from openpyxl import load_workbook
    workbook = load_workbook(io.BytesIO(data), read_only=True,
        data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return []
    header = [str(h).strip() if h is not None else '' for h in header]
    result = []
    for values in rows:
        if values is None or all(v is None or v == '' for v in values):
            continue
        result.append({h: v for h, v in zip(header, values) if h})
    workbook.close()
    return result


class FileTransport:
    """The files named <collection>*.csv or .xlsx in the directory, read in
    name order and paged; exports are written as <collection>-*.csv."""

    def __init__(self, endpoint, username=None, secret=None, timeout=30):
        self.directory = Path(endpoint)

    def _rows(self, collection):
        if not self.directory.is_dir():
            raise TransportError(
                'connection', 'no directory %s' % self.directory,
                transient=False)
        rows = []
        for path in sorted(self.directory.iterdir()):
            if (path.name.startswith(collection)
                    and path.suffix.lower() in {'.csv', '.xlsx'}):
                try:
                    rows.extend(read_rows(path))
                except Exception as e:
                    raise TransportError(
                        'malformed', '%s: %s' % (path.name, e),
                        transient=False) from None
        return rows

    def fetch(self, collection, page, per_page, since=None):
        rows = self._rows(collection)
        start = (page - 1) * per_page
        return {'data': rows[start:start + per_page],
            'pages': math.ceil(len(rows) / per_page)}

    def send(self, collection, records):
        if not records:
            return 0
        name = '%s-%s.csv' % (
            collection, dt.datetime.now().strftime('%Y%m%d%H%M%S%f'))
        columns = sorted({k for r in records for k in r})
        with open(self.directory / name, 'w', newline='',
                encoding='utf-8-sig') as f:
            writer = csv.DictWriter(f, columns)
            writer.writeheader()
            writer.writerows(records)
        return len(records)


TRANSPORTS = {
    'rest': RestTransport,
    'xmlrpc': XmlRpcTransport,
    'file': FileTransport,
    }


def transport_for(system):
    return TRANSPORTS[system.transport](
        system.endpoint, system.username, system.secret, system.timeout)
