# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The stand-in systems themselves: real HTTP on 127.0.0.1 seen by a
urllib client, the faults, the data generator and the file drop."""
import csv
import datetime as dt
import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import openpyxl

try:
    from . import standin
except ImportError:
    import standin

TOKEN = 's3cret-token'


def request(server, path, token=TOKEN, body=None, timeout=5,
        raw=False):
    "The decoded JSON answer (or the bytes when raw) of the server"
    headers = {'Accept': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer %s' % token
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(
            body, ensure_ascii=False).encode('utf-8')
        headers['Content-Type'] = 'application/json'
    req = urllib.request.Request(server.url + path, data=data,
        headers=headers, method='POST' if data is not None else 'GET')
    with urllib.request.urlopen(req, timeout=timeout) as response:
        payload = response.read()
    return payload if raw else json.loads(payload.decode('utf-8'))


def http_error(test, server, path, **kwargs):
    with test.assertRaises(urllib.error.HTTPError) as context:
        request(server, path, **kwargs)
    error = context.exception
    body = error.read()
    error.close()
    return error.code, body, error.headers


class ServerTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.data = standin.generate(customers=25, orders_per_customer=1,
            lines_per_order=2, products=5, visits=5, tasks=5, seed=2)
        cls.server = standin.StandIn(cls.data, page_size=10).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.server.faults.clear()
        self.server.received.clear()
        self.server.timeout_delay = 5

    def test_url_and_health(self):
        self.assertRegex(self.server.url, r'^http://127\.0\.0\.1:\d+$')
        self.assertEqual(request(self.server, '/api/health'),
            {'status': 'ok'})

    def test_pagination(self):
        "Pages of page_size from page 1; beyond the last, no data"
        pages = [request(self.server, '/api/customers?page=%d' % n)
            for n in range(1, 5)]
        self.assertEqual([len(p['data']) for p in pages], [10, 10, 5, 0])
        self.assertEqual({(p['pages'], p['total']) for p in pages},
            {(3, 25)})
        self.assertEqual([p['page'] for p in pages], [1, 2, 3, 4])
        self.assertEqual([r for p in pages for r in p['data']],
            self.data['customers'])
        answer = request(self.server, '/api/customers?per_page=7&page=4')
        self.assertEqual((answer['pages'], len(answer['data'])), (4, 4))
        self.assertEqual(answer['data'], self.data['customers'][21:])
        # per_page is at most 1000
        answer = request(self.server, '/api/orders?per_page=5000')
        self.assertEqual((answer['pages'], answer['total']), (1, 25))
        self.assertEqual(answer['data'], self.data['orders'])

    def test_pages_read_live_data(self):
        record = self.data['customers'][0]
        old = record['name']
        record['name'] = '新名字'
        try:
            answer = request(self.server, '/api/customers?per_page=1')
        finally:
            record['name'] = old
        self.assertEqual(answer['data'][0]['name'], '新名字')

    def test_auth_refused(self):
        for token in [None, 'wrong']:
            code, body, _ = http_error(
                self, self.server, '/api/customers', token=token)
            self.assertEqual(code, 401)
            self.assertEqual(json.loads(body), {'error': 'unauthorized'})
        code, _, _ = http_error(self, self.server, '/api/customers',
            token=None, body=[{'id': 'X'}])
        self.assertEqual(code, 401)
        self.assertEqual(self.server.received.get('customers'), None)

    def test_unknown_collection_and_bad_query(self):
        code, body, _ = http_error(self, self.server, '/api/nothing')
        self.assertEqual((code, json.loads(body)),
            (404, {'error': 'not_found'}))
        for query in ['page=0', 'page=x', 'per_page=-1',
                'updated_since=yesterday']:
            code, _, _ = http_error(
                self, self.server, '/api/customers?' + query)
            self.assertEqual(code, 400, query)

    def test_updated_since(self):
        stamps = sorted(c['updated_at'] for c in self.data['customers'])
        since = stamps[10]
        expected = [c for c in self.data['customers']
            if c['updated_at'] >= since]
        answer = request(self.server,
            '/api/customers?per_page=100&updated_since=' + since)
        self.assertEqual(answer['data'], expected)
        self.assertEqual(answer['total'], 15)
        # an aware time is compared in UTC
        aware = (dt.datetime.fromisoformat(since)
            .replace(tzinfo=dt.timezone.utc)
            .astimezone(dt.timezone(dt.timedelta(hours=8))))
        answer = request(self.server, '/api/customers?per_page=100&'
            + urllib.parse.urlencode({'updated_since': aware.isoformat()}))
        self.assertEqual(answer['data'], expected)
        # records without updated_at are always there
        answer = request(self.server,
            '/api/projects?updated_since=2100-01-01T00:00:00')
        self.assertEqual(answer['data'], self.data['projects'])

    def test_post_received(self):
        records = [{'id': 'C1', 'name': '王伟'}, {'id': 'C2', 'name': '李娜'}]
        self.assertEqual(request(self.server, '/api/customers',
                body=records), {'accepted': 2})
        self.assertEqual(request(self.server, '/api/tickets',
                body={'id': 'K1'}), {'accepted': 1})
        self.assertEqual(self.server.received['customers'], records)
        self.assertEqual(self.server.received['tickets'], [{'id': 'K1'}])
        code, body, _ = http_error(self, self.server, '/api/customers',
            body=b'{"id": ')
        self.assertEqual((code, json.loads(body)),
            (400, {'error': 'bad_json'}))
        self.assertEqual(len(self.server.received['customers']), 2)

    def test_requests_recorded(self):
        before = len(self.server.requests)
        request(self.server, '/api/products?page=2&per_page=3')
        self.assertEqual(self.server.requests[before],
            ('GET', '/api/products', {'page': '2', 'per_page': '3'}))

    def test_fault_drop(self):
        self.server.inject('/api/customers', 'drop')
        with self.assertRaises((urllib.error.URLError, ConnectionError,
                    http.client.HTTPException)):
            request(self.server, '/api/customers')
        self.assertEqual(len(request(self.server,
                    '/api/customers')['data']), 10)

    def test_fault_500_expires_after_times(self):
        self.server.inject('/api/customers', '500', times=2)
        for _ in range(2):
            code, body, _ = http_error(self, self.server, '/api/customers')
            self.assertEqual((code, body), (500, b'Internal Server Error'))
        self.assertEqual(request(self.server, '/api/customers')['total'],
            25)
        self.assertEqual(self.server.faults, [])

    def test_fault_503(self):
        self.server.inject('/api/orders', '503')
        code, _, headers = http_error(self, self.server, '/api/orders')
        self.assertEqual((code, headers['Retry-After']), (503, '1'))
        self.assertEqual(request(self.server, '/api/orders')['total'], 25)

    def test_fault_timeout(self):
        self.server.timeout_delay = 2
        self.server.inject('/api/customers', 'timeout')
        start = time.monotonic()
        with self.assertRaises((socket.timeout, TimeoutError,
                    urllib.error.URLError)) as context:
            request(self.server, '/api/customers', timeout=0.5)
        if isinstance(context.exception, urllib.error.URLError):
            self.assertIsInstance(context.exception.reason, TimeoutError)
        self.assertLess(time.monotonic() - start, 1.5)
        self.assertEqual(request(self.server, '/api/customers',
                timeout=0.5)['total'], 25)

    def test_fault_timeout_answers_a_patient_client(self):
        self.server.timeout_delay = 0.2
        self.server.inject('/api/health', 'timeout')
        self.assertEqual(request(self.server, '/api/health', timeout=2),
            {'status': 'ok'})

    def test_fault_malformed(self):
        self.server.inject('/api/customers', 'malformed')
        payload = request(self.server, '/api/customers', raw=True)
        with self.assertRaises(ValueError):
            json.loads(payload.decode('utf-8'))
        request(self.server, '/api/customers')

    def test_fault_on_one_page(self):
        "A fault for page 2 leaves page 1 (also when not given) alone"
        self.server.inject('/api/customers', '500', page=2)
        self.server.inject('/api/customers', 'malformed', page=1)
        request(self.server, '/api/customers?page=3')
        with self.assertRaises(ValueError):
            request(self.server, '/api/customers')
        request(self.server, '/api/customers?page=1')
        code, _, _ = http_error(self, self.server, '/api/customers?page=2')
        self.assertEqual(code, 500)
        request(self.server, '/api/customers?page=2')

    def test_unknown_fault_kind(self):
        with self.assertRaises(ValueError):
            self.server.inject('/api/customers', '404')


class ConcurrencyTestCase(unittest.TestCase):

    def test_four_keep_alive_clients_large_pages(self):
        data = standin.generate(customers=3000, orders_per_customer=0,
            visits=0, tasks=0, seed=3)
        expected = data['customers']
        results, errors = {}, []

        def client(number):
            try:
                connection = http.client.HTTPConnection(
                    '127.0.0.1', server.port, timeout=10)
                rows = []
                for page in range(1, 4):
                    connection.request('GET',
                        '/api/customers?per_page=1000&page=%d' % page,
                        headers={'Authorization': 'Bearer ' + TOKEN})
                    response = connection.getresponse()
                    self.assertEqual(response.status, 200)
                    rows.extend(json.loads(response.read())['data'])
                connection.close()
                results[number] = rows
            except Exception as e:
                errors.append(e)

        with standin.StandIn(data) as server:
            threads = [threading.Thread(target=client, args=(n,))
                for n in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(20)
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 4)
        for rows in results.values():
            self.assertEqual(rows, expected)

    def test_stop_with_idle_keep_alive_connection(self):
        server = standin.StandIn({'a': [{'id': 1}]}).start()
        connection = http.client.HTTPConnection(
            '127.0.0.1', server.port, timeout=5)
        connection.request('GET', '/api/a',
            headers={'Authorization': 'Bearer ' + TOKEN})
        self.assertEqual(json.loads(connection.getresponse().read()),
            {'data': [{'id': 1}], 'page': 1, 'pages': 1, 'total': 1})
        start = time.monotonic()
        server.stop()
        server.stop()
        self.assertLess(time.monotonic() - start, 2)
        connection.close()

    def test_cli_serves_until_interrupted(self):
        process = subprocess.Popen([sys.executable, standin.__file__,
                '--customers', '5', '--port', '0', '--token', 'tok'],
            stdout=subprocess.PIPE, text=True)
        try:
            url = process.stdout.readline().split()[-1]
            token = process.stdout.readline().split()[-1]
            self.assertEqual(token, 'tok')
            req = urllib.request.Request(url + '/api/customers',
                headers={'Authorization': 'Bearer tok'})
            with urllib.request.urlopen(req, timeout=5) as response:
                self.assertEqual(json.loads(response.read())['total'], 5)
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=10)
        self.assertEqual(process.returncode, 0)


MOBILE = re.compile(r'^(\+86 )?1\d{2} ?\d{4} ?\d{4}$')


class GenerateTestCase(unittest.TestCase):

    def test_deterministic(self):
        self.assertEqual(standin.generate(seed=4), standin.generate(seed=4))
        self.assertNotEqual(standin.generate(seed=4)['customers'],
            standin.generate(seed=5)['customers'])

    def test_sizes(self):
        data = standin.generate(customers=30, orders_per_customer=2,
            lines_per_order=3, products=7, projects=2,
            buildings_per_project=3, units_per_building=4, visits=6,
            tasks=9)
        self.assertEqual({k: len(v) for k, v in data.items()}, {
                'customers': 30, 'products': 7, 'orders': 60,
                'projects': 2, 'buildings': 6, 'units': 24, 'visits': 6,
                'tasks': 9})
        self.assertEqual({len(o['lines']) for o in data['orders']}, {3})
        data = standin.generate(customers=10, orders_per_customer=2.5,
            lines_per_order=1.5)
        self.assertEqual(len(data['orders']), 25)
        self.assertEqual(sum(len(o['lines']) for o in data['orders']),
            round(25 * 1.5))

    def test_customers(self):
        data = standin.generate(customers=400, seed=6)
        customers = data['customers']
        self.assertEqual([c['id'] for c in customers],
            ['C%06d' % n for n in range(1, 401)])
        digits = [re.sub(r'\D', '', c['mobile'])[-11:] for c in customers]
        self.assertEqual(len(set(digits)), 400)
        emails = [c['email'] for c in customers if c['email']]
        self.assertEqual(len(set(emails)), len(emails))
        self.assertTrue(any(' ' in c['mobile'] for c in customers))
        for customer in customers:
            self.assertRegex(customer['mobile'], MOBILE)
            self.assertRegex(customer['name'], r'^[\u4e00-\u9fff（）]+$')
            self.assertEqual(customer['type'] == 'O',
                customer['name'].endswith('有限公司'))
            self.assertIn(customer['gender'], {'M', 'F', ''})
            if customer['birthday']:
                dt.datetime.strptime(customer['birthday'], '%Y/%m/%d')
            self.assertIn(customer['district'], standin.DISTRICTS)
            self.assertRegex(customer['budget'], r'^(\d+\.00)?$')
            self.assertRegex(customer['area_wish'], r'^(\d+)?$')
            self.assertIn(customer['rooms_wish'], {None, 1, 2, 3, 4})
            self.assertIn(customer['level'], {'VIP', 'GOLD', 'NORMAL'})
            dt.datetime.fromisoformat(customer['updated_at'])
            if customer['email']:
                self.assertRegex(customer['email'],
                    r'^[a-z0-9.]+@[a-z0-9.]+$')
        companies = sum(c['type'] == 'O' for c in customers)
        self.assertTrue(20 <= companies <= 60, companies)
        self.assertTrue(any(not c['birthday'] for c in customers))

    def test_references(self):
        data = standin.generate(customers=50, products=10, visits=40,
            tasks=20, seed=7)
        ids = {c['id'] for c in data['customers']}
        codes = {p['code'] for p in data['products']}
        units = {u['id']: u for u in data['units']}
        projects = {p['code']: p for p in data['projects']}
        for order in data['orders']:
            self.assertIn(order['customer_id'], ids)
            self.assertIn(order['store'], standin.STORES)
            self.assertIn(order['channel'], {'store', 'online', 'phone'})
            for line in order['lines']:
                self.assertIn(line['product_code'], codes)
        for project in data['projects']:
            self.assertEqual(standin.CITY_OF[project['district']],
                project['city'])
            self.assertRegex(project['name'], '(花园|苑|华庭)$')
        buildings = {b['code']: b for b in data['buildings']}
        for unit in units.values():
            self.assertEqual(buildings[unit['building']]['project'],
                unit['project'])
            price = float(unit['price'])
            if unit['usage'] == 'rent':
                self.assertTrue(3000 <= price <= 15000, unit)
                self.assertIn(unit['status'], {'available', 'reserved',
                        'let'})
            else:
                self.assertTrue(1000000 <= price <= 30000000, unit)
                self.assertIn(unit['status'], {'available', 'reserved',
                        'sold'})
        self.assertEqual(len({(u['building'], u['unit_no'])
                    for u in units.values()}), len(units))
        for visit in data['visits']:
            self.assertTrue(not visit['customer_id']
                or visit['customer_id'] in ids)
            self.assertIn(visit['project'], projects)
            if visit['unit']:
                self.assertEqual(units[visit['unit']]['project'],
                    visit['project'])
            self.assertIn(visit['kind'], {'visit', 'reservation'})
        self.assertTrue(any(not v['customer_id'] for v in data['visits']))
        for task in data['tasks']:
            self.assertIn(task['customer_id'], ids)
            self.assertTrue(task['due'] > task['updated_at'][:10])

    def test_unknown_product_share(self):
        data = standin.generate(customers=100, products=5,
            unknown_product_share=0.5, seed=8)
        codes = {p['code'] for p in data['products']}
        lines = [l for o in data['orders'] for l in o['lines']]
        unknown = [l for l in lines if l['product_code'] not in codes]
        self.assertTrue(0.35 < len(unknown) / len(lines) < 0.65)
        self.assertEqual({l['product_code'] for l in unknown}, {'P9999'})
        lines = [l for o in standin.generate(seed=8)['orders']
            for l in o['lines']]
        self.assertTrue(all(l['product_code'] != 'P9999' for l in lines))

    def test_bad_dates_and_duplicate_ids(self):
        data = standin.generate(customers=40, orders_per_customer=0,
            bad_dates=3, duplicate_ids=2, seed=11)
        customers = data['customers']
        self.assertEqual(len(customers), 42)
        bad = []
        for customer in customers:
            try:
                if customer['birthday']:
                    dt.datetime.strptime(customer['birthday'], '%Y/%m/%d')
            except ValueError:
                bad.append(customer['id'])
        self.assertEqual(len(bad), 3)
        seen, again = {}, []
        for customer in customers:
            if customer['id'] in seen:
                first = seen[customer['id']]
                self.assertNotEqual(first['name'], customer['name'])
                self.assertNotEqual(first['mobile'], customer['mobile'])
                self.assertGreaterEqual(
                    customer['updated_at'][:10], first['updated_at'][:10])
                again.append(customer['id'])
            else:
                seen[customer['id']] = customer
        self.assertEqual(len(again), 2)
        self.assertFalse(set(bad) & set(again))
        # the first half is clean
        self.assertEqual([c['id'] for c in customers[:20]],
            ['C%06d' % n for n in range(1, 21)])
        self.assertTrue(all(c['id'] not in bad for c in customers[:20]))
        with self.assertRaises(ValueError):
            standin.generate(customers=3, bad_dates=2, duplicate_ids=2)


class FileDropTestCase(unittest.TestCase):

    def setUp(self):
        self.customers = standin.generate(customers=30,
            orders_per_customer=0, bad_dates=2, duplicate_ids=1,
            seed=9)['customers']
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def test_csv(self):
        path = self.directory / 'customers.csv'
        standin.write_customer_file(path, self.customers, fmt='csv')
        content = path.read_bytes()
        self.assertTrue(content.startswith(b'\xef\xbb\xbf'))
        with open(path, newline='', encoding='utf-8-sig') as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(rows, [
                {k: '' if v is None else str(v) for k, v in c.items()}
                for c in self.customers])
        self.assertEqual(list(rows[0]), list(self.customers[0]))

    def test_xlsx(self):
        path = self.directory / 'customers.xlsx'
        standin.write_customer_file(path, self.customers, fmt='xlsx')
        book = openpyxl.load_workbook(path, read_only=True)
        values = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
        header = list(values[0])
        self.assertEqual(header, list(self.customers[0]))
        rows = [{k: '' if v is None else v for k, v in zip(header, row)}
            for row in values[1:]]
        self.assertEqual(rows, [
                {k: '' if v is None else v for k, v in c.items()}
                for c in self.customers])
        # mobile numbers stay text
        self.assertTrue(all(isinstance(r['mobile'], str) for r in rows))

    def test_columns(self):
        path = self.directory / 'some.csv'
        standin.write_customer_file(path, self.customers,
            columns=['mobile', 'id', 'nothing'])
        with open(path, newline='', encoding='utf-8-sig') as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ['mobile', 'id', 'nothing'])
        self.assertEqual(rows[1], [self.customers[0]['mobile'],
                self.customers[0]['id'], ''])
        with self.assertRaises(ValueError):
            standin.write_customer_file(
                self.directory / 'x.txt', self.customers, fmt='txt')


if __name__ == '__main__':
    unittest.main()
