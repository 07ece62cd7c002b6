# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Stand-ins for the external systems of a Chinese real-estate group.

A real HTTP server on 127.0.0.1 answering JSON like the sales, property,
purchase-centre and office systems do, with faults that can be injected,
and a deterministic generator of realistic data for it.  Only the
standard library (and openpyxl or xlsxwriter for XLSX files) is used, so
the module can be imported by path, outside of Tryton.

    >>> data = generate(customers=3, orders_per_customer=1, seed=1)
    >>> sorted(data)  # doctest: +NORMALIZE_WHITESPACE
    ['buildings', 'customers', 'orders', 'products', 'projects', 'tasks',
     'units', 'visits']

Serving it (``python standin.py --customers 1000 --port 8123`` does the
same from a shell)::

    with StandIn(data).start() as server:
        server.inject('/api/customers', '500', times=1, page=2)
        ...  # GET server.url + '/api/customers?page=1&per_page=100'
"""
import argparse
import collections
import csv
import datetime as dt
import json
import math
import random
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ['StandIn', 'generate', 'write_customer_file', 'filter_since',
    'FAULT_KINDS', 'MALFORMED_BODY', 'main']

FAULT_KINDS = ('drop', '500', 'timeout', 'malformed', '503')
MALFORMED_BODY = b'{"data": [ {"id": '
MAX_PER_PAGE = 1000
JSON_TYPE = 'application/json; charset=utf-8'


# ---------------------------------------------------------------------------
# The server

class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # stop() must not wait for idle keep-alive connections
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if (isinstance(error, (ConnectionError, TimeoutError))
                or self.standin._stopping.is_set()):
            return  # the client went away (e.g. after its own timeout)
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'StandIn/1.0'
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections end after that

    def setup(self):
        super().setup()
        self.server.standin._opened(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.standin._closed(self.connection)

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.server.standin._handle(self, 'GET')

    def do_POST(self):
        self.server.standin._handle(self, 'POST')

    def do_PUT(self):
        self.server.standin._handle(self, 'PUT')

    def do_DELETE(self):
        self.server.standin._handle(self, 'DELETE')


def _utc_naive(value):
    "A datetime from an ISO string, aware ones brought to naive UTC"
    if isinstance(value, dt.datetime):
        result = value
    else:
        value = str(value).strip()
        if value.endswith(('Z', 'z')):
            value = value[:-1] + '+00:00'
        result = dt.datetime.fromisoformat(value)
    if result.tzinfo is not None:
        result = result.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return result


def _is_plain_iso(value):
    "YYYY-MM-DDTHH:MM:SS[.ffffff]: compares as text like as a datetime"
    return (isinstance(value, str) and len(value) in (19, 26)
        and value[10] == 'T' and value[4] == '-' and value[13] == ':'
        and (len(value) == 19 or value[19] == '.'))


def filter_since(records, since):
    """The records updated at or after since (an ISO string or datetime);
    records without a readable updated_at are always kept"""
    since = _utc_naive(since)
    key = since.isoformat()
    result = []
    append = result.append
    for record in records:
        value = record.get('updated_at') if isinstance(
            record, dict) else None
        if not value:
            append(record)
        elif _is_plain_iso(value):
            if value >= key:
                append(record)
        else:
            try:
                if _utc_naive(value) >= since:
                    append(record)
            except (TypeError, ValueError):
                append(record)
    return result


class _BadRequest(Exception):
    pass


class StandIn:
    """A JSON server on 127.0.0.1 holding collections of records.

    data: collection name -> list of dict records, served in that order
    and read live (changing a record changes the next answers).
    token: the expected bearer token (None: no authentication).
    page_size: per_page when the request does not say.
    port: 0 for a free port.
    """

    def __init__(self, data=None, token='s3cret-token', page_size=100,
            port=0):
        self.data = generate() if data is None else data
        self.token = token
        self.page_size = page_size
        self.port = port
        self.url = None
        self.timeout_delay = 5
        self.received = collections.defaultdict(list)
        self.requests = []
        self.faults = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections = set()
        self._httpd = None
        self._thread = None

    # life cycle

    def start(self):
        "Serve in a daemon thread; returns self"
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _HTTPServer(('127.0.0.1', self.port), _Handler)
        self._httpd.standin = self
        self.port = self._httpd.server_address[1]
        self.url = 'http://127.0.0.1:%s' % self.port
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={'poll_interval': 0.05},
            name='standin-%s' % self.port, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        "Stop serving and close the open connections"
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        httpd.server_close()
        self._thread.join(5)
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False

    def _opened(self, connection):
        with self._lock:
            self._connections.add(connection)

    def _closed(self, connection):
        with self._lock:
            self._connections.discard(connection)

    # faults

    def inject(self, path, kind, times=1, page=None):
        """The next times requests to path (and page when given; a request
        without page is page 1) fail the way kind says"""
        if kind not in FAULT_KINDS:
            raise ValueError('unknown fault kind %r, not one of %s'
                % (kind, ', '.join(FAULT_KINDS)))
        if times < 1:
            raise ValueError('times must be at least 1')
        fault = {'path': path.rstrip('/') or '/', 'kind': kind,
            'times': int(times), 'page': None if page is None else int(page)}
        with self._lock:
            self.faults.append(fault)
        return fault

    def _take_fault(self, path, query):
        "The kind of the first fault for this request, counted down"
        path = path.rstrip('/') or '/'
        for fault in self.faults:
            if fault['path'] != path:
                continue
            if fault['page'] is not None:
                try:
                    page = int(query.get('page', 1))
                except ValueError:
                    continue
                if page != fault['page']:
                    continue
            fault['times'] -= 1
            if fault['times'] <= 0:
                self.faults.remove(fault)
            return fault['kind']
        return None

    # requests

    def _handle(self, handler, method):
        parts = urllib.parse.urlsplit(handler.path)
        path = parts.path
        query = dict(urllib.parse.parse_qsl(parts.query,
                keep_blank_values=True))
        try:
            length = int(handler.headers.get('Content-Length') or 0)
        except ValueError:
            handler.close_connection = True
            self._reply_json(handler, 400, {'error': 'bad_request'})
            return
        body = handler.rfile.read(length) if length > 0 else b''
        with self._lock:
            self.requests.append((method, path, query))
            kind = self._take_fault(path, query)
        if kind == 'timeout':
            if self._stopping.wait(self.timeout_delay):
                kind = 'drop'
        if kind == 'drop':
            handler.close_connection = True
            try:
                handler.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        elif kind == '500':
            self._reply(handler, 500, b'Internal Server Error',
                'text/plain; charset=utf-8')
            return
        elif kind == '503':
            self._reply(handler, 503, b'Service Unavailable',
                'text/plain; charset=utf-8', [('Retry-After', '1')])
            return
        elif kind == 'malformed':
            self._reply(handler, 200, MALFORMED_BODY, JSON_TYPE)
            return
        if (self.token is not None and handler.headers.get(
                    'Authorization') != 'Bearer %s' % self.token):
            self._reply_json(handler, 401, {'error': 'unauthorized'},
                [('WWW-Authenticate', 'Bearer')])
            return
        try:
            status, payload = self._answer(method, path, query, body)
        except _BadRequest as e:
            status, payload = 400, {'error': 'bad_request',
                'detail': str(e)}
        self._reply_json(handler, status, payload)

    def _answer(self, method, path, query, body):
        path = path.rstrip('/')
        if not path.startswith('/api/'):
            return 404, {'error': 'not_found'}
        name = path[len('/api/'):]
        if not name or '/' in name:
            return 404, {'error': 'not_found'}
        if name == 'health':
            if method != 'GET':
                return 405, {'error': 'method_not_allowed'}
            return 200, {'status': 'ok'}
        if method == 'GET':
            return self._get(name, query)
        elif method == 'POST':
            return self._post(name, body)
        return 405, {'error': 'method_not_allowed'}

    def _get(self, name, query):
        records = self.data.get(name)
        if records is None:
            return 404, {'error': 'not_found'}
        page = _positive(query, 'page', 1)
        per_page = min(_positive(query, 'per_page', self.page_size),
            MAX_PER_PAGE)
        since = query.get('updated_since')
        if since:
            try:
                records = filter_since(records, since)
            except (TypeError, ValueError):
                raise _BadRequest('updated_since: %s' % since)
        total = len(records)
        start = (page - 1) * per_page
        return 200, {
            'data': list(records[start:start + per_page]),
            'page': page,
            'pages': math.ceil(total / per_page),
            'total': total,
            }

    def _post(self, name, body):
        try:
            records = json.loads(body.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            return 400, {'error': 'bad_json'}
        if isinstance(records, dict):
            records = [records]
        elif not isinstance(records, list):
            return 400, {'error': 'bad_json'}
        with self._lock:
            self.received[name].extend(records)
        return 200, {'accepted': len(records)}

    def _reply_json(self, handler, status, payload, headers=()):
        body = json.dumps(payload, ensure_ascii=False, default=str,
            separators=(',', ':')).encode('utf-8')
        self._reply(handler, status, body, JSON_TYPE, headers)

    @staticmethod
    def _reply(handler, status, body, content_type, headers=()):
        handler.send_response(status)
        handler.send_header('Content-Type', content_type)
        handler.send_header('Content-Length', str(len(body)))
        for key, value in headers:
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)


def _positive(query, key, default):
    value = query.get(key)
    if value in (None, ''):
        return default
    try:
        value = int(value)
    except ValueError:
        raise _BadRequest('%s: %s' % (key, value)) from None
    if value < 1:
        raise _BadRequest('%s: %s' % (key, value))
    return value


# ---------------------------------------------------------------------------
# The data

# (characters, pinyin, weight): the most common surnames
SURNAMES = [
    ('王', 'wang', 72), ('李', 'li', 70), ('张', 'zhang', 66),
    ('刘', 'liu', 53), ('陈', 'chen', 45), ('杨', 'yang', 31),
    ('黄', 'huang', 24), ('赵', 'zhao', 20), ('吴', 'wu', 19),
    ('周', 'zhou', 19), ('徐', 'xu', 15), ('孙', 'sun', 14),
    ('马', 'ma', 13), ('朱', 'zhu', 13), ('胡', 'hu', 12),
    ('郭', 'guo', 12), ('何', 'he', 11), ('林', 'lin', 10),
    ('高', 'gao', 10), ('罗', 'luo', 10), ('郑', 'zheng', 9),
    ('梁', 'liang', 9), ('谢', 'xie', 8), ('宋', 'song', 7),
    ('唐', 'tang', 7), ('许', 'xu', 6), ('韩', 'han', 6),
    ('冯', 'feng', 6), ('邓', 'deng', 6), ('曹', 'cao', 6),
    ('彭', 'peng', 5), ('曾', 'zeng', 5), ('肖', 'xiao', 5),
    ('田', 'tian', 5), ('董', 'dong', 5), ('袁', 'yuan', 5),
    ('潘', 'pan', 4), ('蒋', 'jiang', 4), ('蔡', 'cai', 4),
    ('余', 'yu', 4), ('杜', 'du', 4), ('叶', 'ye', 4),
    ('程', 'cheng', 4), ('魏', 'wei', 4), ('苏', 'su', 4),
    ('吕', 'lv', 4), ('丁', 'ding', 3), ('任', 'ren', 3),
    ('沈', 'shen', 3), ('姚', 'yao', 3), ('卢', 'lu', 3),
    ('钟', 'zhong', 3), ('姜', 'jiang', 3), ('崔', 'cui', 3),
    ('谭', 'tan', 3), ('陆', 'lu', 3), ('范', 'fan', 3),
    ('汪', 'wang', 3), ('廖', 'liao', 3), ('石', 'shi', 3),
    ('金', 'jin', 3), ('贾', 'jia', 2), ('夏', 'xia', 2),
    ('方', 'fang', 2), ('邹', 'zou', 2), ('熊', 'xiong', 2),
    ('白', 'bai', 2), ('孟', 'meng', 2), ('秦', 'qin', 2),
    ('邱', 'qiu', 2), ('侯', 'hou', 2), ('江', 'jiang', 2),
    ('薛', 'xue', 2), ('顾', 'gu', 2), ('邵', 'shao', 2),
    ('钱', 'qian', 2), ('戴', 'dai', 2), ('严', 'yan', 2),
    ('欧阳', 'ouyang', 1), ('司马', 'sima', 1), ('上官', 'shangguan', 1),
    ]
MALE_NAMES = [
    ('伟', 'wei'), ('强', 'qiang'), ('磊', 'lei'), ('军', 'jun'),
    ('勇', 'yong'), ('杰', 'jie'), ('涛', 'tao'), ('斌', 'bin'),
    ('超', 'chao'), ('明', 'ming'), ('刚', 'gang'), ('平', 'ping'),
    ('辉', 'hui'), ('鹏', 'peng'), ('华', 'hua'), ('飞', 'fei'),
    ('鑫', 'xin'), ('波', 'bo'), ('宇', 'yu'), ('浩', 'hao'),
    ('建国', 'jianguo'), ('志强', 'zhiqiang'), ('子轩', 'zixuan'),
    ('浩然', 'haoran'), ('宇航', 'yuhang'), ('文博', 'wenbo'),
    ('建华', 'jianhua'), ('国栋', 'guodong'), ('晓东', 'xiaodong'),
    ('海涛', 'haitao'), ('俊杰', 'junjie'), ('天宇', 'tianyu'),
    ('博文', 'bowen'), ('思远', 'siyuan'), ('家豪', 'jiahao'),
    ('明轩', 'mingxuan'),
    ]
FEMALE_NAMES = [
    ('娜', 'na'), ('芳', 'fang'), ('敏', 'min'), ('静', 'jing'),
    ('丽', 'li'), ('艳', 'yan'), ('娟', 'juan'), ('霞', 'xia'),
    ('燕', 'yan'), ('玲', 'ling'), ('婷', 'ting'), ('雪', 'xue'),
    ('颖', 'ying'), ('琳', 'lin'), ('洁', 'jie'), ('慧', 'hui'),
    ('秀英', 'xiuying'), ('桂英', 'guiying'), ('丽娟', 'lijuan'),
    ('晓红', 'xiaohong'), ('海燕', 'haiyan'), ('欣怡', 'xinyi'),
    ('梓涵', 'zihan'), ('诗涵', 'shihan'), ('雨桐', 'yutong'),
    ('佳怡', 'jiayi'), ('思琪', 'siqi'), ('婉婷', 'wanting'),
    ('晓丽', 'xiaoli'), ('美玲', 'meiling'), ('雅琴', 'yaqin'),
    ('一诺', 'yinuo'),
    ]
COMPANY_CITIES = ['上海', '北京', '深圳', '杭州', '苏州']
COMPANY_CORES = [
    ('鸿泰', 'hongtai'), ('华信', 'huaxin'), ('锦程', 'jincheng'),
    ('恒通', 'hengtong'), ('瑞丰', 'ruifeng'), ('盛达', 'shengda'),
    ('联创', 'lianchuang'), ('金桥', 'jinqiao'), ('宏远', 'hongyuan'),
    ('佳禾', 'jiahe'), ('新峰', 'xinfeng'), ('博雅', 'boya'),
    ('天成', 'tiancheng'), ('永盛', 'yongsheng'), ('荣华', 'ronghua'),
    ('广源', 'guangyuan'), ('德信', 'dexin'), ('启明', 'qiming'),
    ]
COMPANY_TRADES = ['贸易', '科技', '投资', '咨询', '建筑工程', '文化传媒',
    '餐饮管理', '物流', '电子', '医疗器械', '实业', '网络科技']
MAIL_DOMAINS = ['163.com', '126.com', 'sina.com', 'sohu.com',
    'gmail.com', 'hotmail.com', 'foxmail.com']
MOBILE_PREFIXES = [
    '130', '131', '132', '133', '135', '136', '137', '138', '139',
    '150', '151', '152', '153', '155', '156', '157', '158', '159',
    '166', '173', '176', '177', '180', '181', '182', '183', '185',
    '186', '187', '188', '189', '191', '198', '199']
CITY_DISTRICTS = {
    '上海': ['浦东新区', '徐汇区', '静安区', '黄浦区', '长宁区', '普陀区',
        '虹口区', '杨浦区', '闵行区', '宝山区', '嘉定区', '松江区',
        '青浦区'],
    '北京': ['朝阳区', '海淀区', '东城区', '西城区', '丰台区', '石景山区',
        '通州区', '昌平区', '大兴区', '顺义区'],
    }
DISTRICTS = [d for c in CITY_DISTRICTS.values() for d in c]
CITY_OF = {d: c for c, ds in CITY_DISTRICTS.items() for d in ds}
# yuan per m2 for sale, a district where it is highest
PRIME_DISTRICTS = {'黄浦区', '静安区', '徐汇区', '长宁区', '东城区',
    '西城区', '海淀区'}
STORES = ['S01', 'S02', 'S03', 'S04', 'S05']
CHANNELS = ['store'] * 6 + ['online'] * 3 + ['phone']
LEVELS = ['VIP'] * 5 + ['GOLD'] * 20 + ['NORMAL'] * 75
# name, lowest and highest price in yuan
PRODUCT_BASES = [
    ('物业管理费（月）', 200, 1200), ('停车月卡', 300, 900),
    ('车位管理费', 100, 400), ('精装修套餐', 50000, 200000),
    ('家电套餐', 20000, 80000), ('智能门锁', 1500, 4500),
    ('中央空调', 25000, 60000), ('地暖系统', 15000, 40000),
    ('全屋净水', 3000, 12000), ('橱柜定制', 8000, 30000),
    ('衣柜定制', 6000, 25000), ('保洁服务', 150, 600),
    ('搬家服务', 800, 3000), ('家具套餐', 15000, 60000),
    ('窗帘定制', 2000, 8000), ('新风系统', 10000, 30000),
    ('会所年卡', 2000, 6000), ('装修设计服务', 5000, 30000),
    ('家居软装', 10000, 50000), ('入户花园改造', 8000, 20000),
    ]
PRODUCT_TIERS = ['标准版', '高级版', '豪华版']
PROJECT_PREFIXES = ['阳光', '翠湖', '滨江', '世纪', '锦绣', '金桂', '紫薇',
    '御景', '碧水', '星河', '春江', '枫林', '海棠', '梧桐', '银杏', '玉兰',
    '云顶', '香樟', '绿地', '东方']
PROJECT_SUFFIXES = ['花园', '苑', '花园', '雅苑', '华庭', '苑']
ORIENTATIONS = ['南'] * 4 + ['南北'] * 4 + ['东南'] * 2 + [
    '西南', '东', '西', '北', '东西']
UNIT_ROOMS = [1] * 15 + [2] * 35 + [3] * 35 + [4] * 15
AREA_BY_ROOMS = {1: (3800, 6000), 2: (6000, 9500), 3: (8500, 14000),
    4: (12000, 19000)}
SALE_STATUSES = ['available'] * 55 + ['reserved'] * 15 + ['sold'] * 30
RENT_STATUSES = ['available'] * 60 + ['reserved'] * 10 + ['let'] * 30
VISIT_NOTES = [
    '首次到访，关注{rooms}房户型',
    '对{project}的{orientation}向房源比较感兴趣',
    '带家人二次到访，询问贷款政策',
    '预约周末看样板间',
    '比较周边楼盘，对价格比较敏感',
    '关注学区和地铁交通',
    '朋友推荐到访，预算有限',
    '询问车位和物业费',
    ]
RESERVATION_NOTES = [
    '已交意向金{amount}万元，等待签约',
    '锁定房源{unit_no}，下周签约',
    '已交定金{amount}万元，申请按揭',
    ]
FOLLOW_UP_SUBJECTS = [
    '回访客户{name}：确认看房时间',
    '电话跟进{name}的购房意向',
    '发送{project}最新价格单给{name}',
    '邀请{name}参加{project}开盘活动',
    '提醒{name}补交贷款资料',
    ]
APPROVAL_SUBJECTS = [
    '{name}购房折扣审批（{discount}折）',
    '{name}延期付款申请',
    '{name}更名申请审批',
    '{name}退订申请审批',
    ]
BAD_BIRTHDAYS = ['%d/13/45', '%d/02/30', '%d/00/12', '%d/04/31',
    '%d/11/31']

# The days the generated records were updated: 2025-01-01 to 2026-11-30
FIRST_DAY = dt.date(2025, 1, 1)
SPAN_DAYS = (dt.date(2026, 11, 30) - FIRST_DAY).days + 1
_DAYS = [(FIRST_DAY + dt.timedelta(days=i)).isoformat()
    for i in range(SPAN_DAYS + 60)]
_BIRTH_FIRST = dt.date(1955, 1, 1).toordinal()
_BIRTH_SPAN = dt.date(2002, 12, 31).toordinal() - _BIRTH_FIRST + 1


def _stamp(rng, day):
    "An ISO datetime in office hours of the day (an index in _DAYS)"
    return '%sT%02d:%02d:%02d' % (_DAYS[day], rng.randint(8, 20),
        rng.randrange(60), rng.randrange(60))


def _spread(total, count, index):
    "How many of total go to item index of count, spread evenly"
    return ((index + 1) * total) // count - (index * total) // count


def _scrambled(serial, modulo=10 ** 8):
    "Distinct serials give distinct, random-looking numbers below modulo"
    return (serial * 61728397 + 20240517) % modulo


class _People:
    "Names, mobiles and e-mails; a serial makes mobiles and e-mails unique"

    def __init__(self, rng):
        self.rng = rng
        self.surnames = [s[:2] for s in SURNAMES]
        self.weights = list(_accumulate(s[2] for s in SURNAMES))

    def person(self):
        "(name, pinyin of given name, pinyin of surname, gender)"
        rng = self.rng
        surname, surname_py = rng.choices(
            self.surnames, cum_weights=self.weights)[0]
        gender = 'M' if rng.random() < 0.5 else 'F'
        given, given_py = rng.choice(
            MALE_NAMES if gender == 'M' else FEMALE_NAMES)
        return surname + given, given_py, surname_py, gender

    def company(self):
        rng = self.rng
        core, core_py = rng.choice(COMPANY_CORES)
        name = '%s%s%s有限公司' % (rng.choice(COMPANY_CITIES), core,
            rng.choice(COMPANY_TRADES))
        return name, core_py

    def mobile(self, serial, plain=False):
        rng = self.rng
        prefix = rng.choice(MOBILE_PREFIXES)
        number = '%08d' % _scrambled(serial)
        choice = 0.0 if plain else rng.random()
        if choice < 0.8:
            return prefix + number
        elif choice < 0.9:
            return '%s %s %s' % (prefix, number[:4], number[4:])
        return '+86 %s%s' % (prefix, number)

    def email(self, serial, given_py, surname_py):
        rng = self.rng
        suffix = _scrambled(serial, 10 ** 6)
        choice = rng.random()
        if choice < 0.3:
            return '%d@qq.com' % (10000000 + _scrambled(serial))
        elif choice < 0.65:
            local = '%s%s%d' % (surname_py, given_py, suffix)
        else:
            local = '%s.%s%d' % (given_py, surname_py, suffix)
        return '%s@%s' % (local, rng.choice(MAIL_DOMAINS))


def _accumulate(values):
    total = 0
    for value in values:
        total += value
        yield total


def _customer(rng, people, number, serial, day):
    "The customer C<number>; serial makes its mobile and e-mail unique"
    random_ = rng.random
    if random_() < 0.1:
        name, core_py = people.company()
        kind, gender, birthday = 'O', '', ''
        email = ('%s%d@%s.com.cn' % (rng.choice(['info', 'sales', 'hr']),
                _scrambled(serial, 10 ** 6), core_py)
            if random_() < 0.7 else '')
        budget = ('%d.00' % (rng.randint(40, 400) * 50000)
            if random_() < 0.5 else '')
    else:
        name, given_py, surname_py, gender = people.person()
        kind = 'P'
        email = (people.email(serial, given_py, surname_py)
            if random_() < 0.8 else '')
        if random_() < 0.05:
            gender = ''
        if random_() < 0.85:
            born = dt.date.fromordinal(
                _BIRTH_FIRST + rng.randrange(_BIRTH_SPAN))
            birthday = '%04d/%02d/%02d' % (born.year, born.month, born.day)
        else:
            birthday = ''
        budget = ('%d.00' % (rng.randint(30, 240) * 50000)
            if random_() < 0.75 else '')
    if random_() < 0.7:
        rooms = rng.choice(UNIT_ROOMS)
        low, high = AREA_BY_ROOMS[rooms]
        area = str(rng.randrange(low // 500, high // 500 + 1) * 5)
        if random_() < 0.15:
            rooms = None
    else:
        rooms, area = None, ''
    return {
        'id': 'C%06d' % number,
        'name': name,
        'type': kind,
        'mobile': people.mobile(serial),
        'email': email,
        'gender': gender,
        'birthday': birthday,
        'district': rng.choice(DISTRICTS),
        'budget': budget,
        'area_wish': area,
        'rooms_wish': rooms,
        'level': rng.choice(LEVELS),
        'updated_at': _stamp(rng, day),
        }


def _customers(seed, count, bad_dates, duplicate_ids):
    if bad_dates + duplicate_ids > count:
        raise ValueError('%d bad dates and %d duplicate ids need as many '
            'customers, not %d' % (bad_dates, duplicate_ids, count))
    rng = random.Random('%s:customers' % seed)
    people = _People(rng)
    days = [rng.randrange(SPAN_DAYS) for _ in range(count)]
    rows = [_customer(rng, people, i + 1, i, days[i])
        for i in range(count)]
    originals = list(rows)
    # the bad rows are in the second half when it is big enough, so the
    # first customers are always clean
    first = count // 2 if count - count // 2 >= (
        bad_dates + duplicate_ids) else 0
    chosen = rng.sample(range(first, count), bad_dates + duplicate_ids)
    for index in chosen[:bad_dates]:
        year = int(rows[index]['birthday'][:4] or rng.randint(1960, 2000))
        rows[index]['birthday'] = rng.choice(BAD_BIRTHDAYS) % year
    inserts = collections.defaultdict(list)
    for serial, index in enumerate(sorted(chosen[bad_dates:]), count):
        day = rng.randint(days[index], SPAN_DAYS - 1)
        again = _customer(rng, people, index + 1, serial, day)
        if again['name'] == rows[index]['name']:
            again['name'] += '（重复）'
        inserts[rng.randint(index + 1, count)].append(again)
    if inserts:
        rows = []
        for index, row in enumerate(originals):
            rows.extend(inserts.get(index, ()))
            rows.append(row)
        rows.extend(inserts.get(count, ()))
    return rows, originals, count + duplicate_ids


def _products(seed, count):
    rng = random.Random('%s:products' % seed)
    rows, cents = [], []
    for index in range(count):
        base, low, high = PRODUCT_BASES[index % len(PRODUCT_BASES)]
        round_ = index // len(PRODUCT_BASES)
        tier = round_ % len(PRODUCT_TIERS)
        name = base + PRODUCT_TIERS[tier]
        if round_ >= len(PRODUCT_TIERS):
            name += '（%d型）' % (round_ // len(PRODUCT_TIERS) + 1)
        price = rng.randint(low, high) * (10 + 3 * tier) // 10
        price = price // 10 * 10 if price > 1000 else price
        cents.append(price * 100 - (100 if rng.random() < 0.3 else 0))
        rows.append({'code': 'P%04d' % (index + 1), 'name': name,
            'price': '%d.%02d' % divmod(cents[-1], 100)})
    return rows, cents


def _orders(seed, customers, products, cents, per_customer, per_order,
        unknown_share):
    rng = random.Random('%s:orders' % seed)
    count = len(customers)
    total = int(round(count * per_customer)) if count else 0
    owners = []
    for index in range(count):
        owners.extend([index] * _spread(total, count, index))
    rng.shuffle(owners)
    days = sorted(rng.randrange(SPAN_DAYS) for _ in range(total))
    lines_total = int(round(total * per_order))
    codes = [p['code'] for p in products]
    unknown = 'P%04d' % max(9999, len(products) + 1)
    amounts = {}
    quantities = [1] * 6 + [2] * 3 + [3, 4, 5]
    random_, randrange, choice = rng.random, rng.randrange, rng.choice
    orders = []
    for index in range(total):
        lines = []
        for number in range(1, _spread(lines_total, total, index) + 1):
            quantity = choice(quantities)
            if not codes or (unknown_share and random_() < unknown_share):
                code, price = unknown, randrange(50, 5000) * 100
            else:
                product = randrange(len(codes))
                code, price = codes[product], cents[product]
            key = price * quantity
            amount = amounts.get(key)
            if amount is None:
                amount = amounts[key] = '%d.%02d' % divmod(key, 100)
            lines.append({'line_no': number, 'product_code': code,
                    'quantity': quantity, 'amount': amount})
        orders.append({
                'order_no': 'SO%06d' % (index + 1),
                'customer_id': customers[owners[index]]['id'],
                'date': _DAYS[days[index]],
                'store': choice(STORES),
                'channel': choice(CHANNELS),
                'lines': lines,
                'updated_at': _stamp(rng, days[index]),
                })
    return orders


def _property(seed, projects, per_project, per_building):
    rng = random.Random('%s:property' % seed)
    names = [p + s for p in PROJECT_PREFIXES
        for s in dict.fromkeys(PROJECT_SUFFIXES)]
    rng.shuffle(names)
    project_rows, building_rows, unit_rows = [], [], []
    for p in range(projects):
        name = names[p % len(names)]
        if p >= len(names):
            name += '%d期' % (p // len(names) + 1)
        district = rng.choice(DISTRICTS)
        code = 'PRJ%02d' % (p + 1)
        project_rows.append({'code': code, 'name': name,
                'district': district, 'city': CITY_OF[district]})
        rate = (rng.randint(75, 120) if district in PRIME_DISTRICTS
            else rng.randint(35, 70)) * 1000
        for b in range(1, per_project + 1):
            building = '%s-B%02d' % (code, b)
            building_rows.append({'code': building, 'project': code,
                    'name': '%d号楼' % b})
            per_floor = rng.choice([2, 4])
            height = max(rng.randint(6, 33),
                math.ceil(per_building / per_floor))
            places = sorted(rng.sample(range(height * per_floor),
                    per_building))
            for place in places:
                floor, position = divmod(place, per_floor)
                unit_rows.append(_unit(rng, len(unit_rows) + 1, code,
                        building, b, floor + 1, position + 1, rate))
    return project_rows, building_rows, unit_rows


def _unit(rng, number, project, building, building_no, floor, position,
        rate):
    rooms = rng.choice(UNIT_ROOMS)
    low, high = AREA_BY_ROOMS[rooms]
    area = rng.randint(low, high)
    if rng.random() < 0.8:
        usage = 'sale'
        price = round(area * rate / 100, -4)
        status = rng.choice(SALE_STATUSES)
    else:
        usage = 'rent'
        price = area * rng.randint(70, 140) // 100
        price = min(max(price // 100 * 100, 3000), 15000)
        status = rng.choice(RENT_STATUSES)
    return {
        'id': 'U%05d' % number,
        'project': project,
        'building': building,
        'unit_no': '%d-%d%02d' % (building_no, floor, position),
        'usage': usage,
        'rooms': rooms,
        'halls': 1 if rooms == 1 else rng.choice([1, 2]),
        'baths': 1 if rooms <= 2 else (2 if rooms == 4
            else rng.choice([1, 2])),
        'area': '%d.%02d' % divmod(area, 100),
        'floor': floor,
        'orientation': rng.choice(ORIENTATIONS),
        'price': '%d.00' % price,
        'status': status,
        'updated_at': _stamp(rng, rng.randrange(SPAN_DAYS)),
        }


def _visits(seed, count, customers, serial, projects, units):
    """The purchase centre's visits; about 15 % are walk-ins, new people
    whose serials follow the customers'"""
    rng = random.Random('%s:visits' % seed)
    people = _People(rng)
    by_project = collections.defaultdict(list)
    for unit in units:
        if unit['usage'] == 'sale':
            by_project[unit['project']].append(unit)
    days = sorted(rng.randrange(SPAN_DAYS) for _ in range(count))
    rows = []
    for index in range(count):
        if not customers or rng.random() < 0.15:
            name = people.person()[0]
            mobile = people.mobile(serial, plain=True)
            serial += 1
            customer_id = ''
        else:
            customer = rng.choice(customers)
            customer_id, name = customer['id'], customer['name']
            mobile = ''.join(c for c in customer['mobile'] if c.isdigit())
            mobile = mobile[2:] if len(mobile) == 13 else mobile
        project = rng.choice(projects) if projects else None
        offer = by_project.get(project['code'], []) if project else []
        unit = rng.choice(offer) if offer else None
        if unit and unit['status'] != 'sold' and rng.random() < 0.3:
            kind = 'reservation'
            note = rng.choice(RESERVATION_NOTES).format(
                amount=rng.choice([2, 5, 10, 20]), unit_no=unit['unit_no'])
        else:
            kind = 'visit'
            note = rng.choice(VISIT_NOTES).format(
                rooms=unit['rooms'] if unit else rng.randint(2, 3),
                project=project['name'] if project else '本项目',
                orientation=unit['orientation'] if unit else '南')
            if rng.random() < 0.7:
                unit = None
        rows.append({
                'id': 'V%04d' % (index + 1),
                'customer_id': customer_id,
                'mobile': mobile,
                'name': name,
                'project': project['code'] if project else '',
                'date': _stamp(rng, days[index]),
                'kind': kind,
                'unit': unit['id'] if unit else '',
                'note': note,
                })
    return rows


def _tasks(seed, count, customers, projects):
    "The office system's follow-ups and approvals"
    rng = random.Random('%s:tasks' % seed)
    rows = []
    if not customers:
        return rows
    for index in range(count):
        customer = rng.choice(customers)
        values = {'name': customer['name'],
            'project': rng.choice(projects)['name'] if projects else '项目',
            'discount': rng.choice(['9.8', '9.5', '9.2', '9'])}
        day = rng.randrange(SPAN_DAYS)
        if rng.random() < 0.7:
            kind = 'follow_up'
            subject = rng.choice(FOLLOW_UP_SUBJECTS)
            status = 'open' if rng.random() < 0.4 else 'done'
        else:
            kind = 'approval'
            subject = rng.choice(APPROVAL_SUBJECTS)
            status = rng.choice(['open'] * 3 + ['approved'] * 5
                + ['rejected'] * 2)
        rows.append({
                'id': 'T%04d' % (index + 1),
                'customer_id': customer['id'],
                'subject': subject.format(**values),
                'kind': kind,
                'status': status,
                'due': _DAYS[day + rng.randint(1, 14)],
                'updated_at': _stamp(rng, day),
                })
    return rows


def generate(customers=100, orders_per_customer=2, lines_per_order=2,
        products=50, projects=3, buildings_per_project=2,
        units_per_building=10, seed=1, visits=20, tasks=20,
        unknown_product_share=0.0, bad_dates=0, duplicate_ids=0):
    """Deterministic data of the group's systems: the same arguments give
    the same data.

    orders_per_customer and lines_per_order may be fractions: the totals
    are round(customers * orders_per_customer) orders and round(orders *
    lines_per_order) lines, spread evenly.  unknown_product_share of the
    order lines refer to a product code not in 'products'.  bad_dates
    customers get an impossible birthday and duplicate_ids customers
    appear a second time, later, with the same id but another name and
    mobile; these rows are in the second half of the customers when it
    holds them all, and are distinct customers."""
    customer_rows, originals, serial = _customers(
        seed, customers, bad_dates, duplicate_ids)
    product_rows, cents = _products(seed, products)
    order_rows = _orders(seed, originals, product_rows, cents,
        orders_per_customer, lines_per_order, unknown_product_share)
    project_rows, building_rows, unit_rows = _property(
        seed, projects, buildings_per_project, units_per_building)
    visit_rows = _visits(seed, visits, originals, serial,
        project_rows, unit_rows)
    task_rows = _tasks(seed, tasks, originals, project_rows)
    return {
        'customers': customer_rows,
        'products': product_rows,
        'orders': order_rows,
        'projects': project_rows,
        'buildings': building_rows,
        'units': unit_rows,
        'visits': visit_rows,
        'tasks': task_rows,
        }


# ---------------------------------------------------------------------------
# The file drop

def _columns(records, columns):
    if columns is not None:
        return list(columns)
    return list(dict.fromkeys(k for r in records for k in r))


def _cell(value):
    if value is None:
        return ''
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_customer_file(path, customers, fmt='csv', columns=None):
    """Write the customers (dicts) as a CSV file (UTF-8 with BOM) or the
    first sheet of an XLSX file, a header row of the columns (by default
    the keys of the records) first; returns path"""
    columns = _columns(customers, columns)
    rows = ([_cell(c.get(k)) for k in columns] for c in customers)
    if fmt == 'csv':
        with open(path, 'w', newline='', encoding='utf-8-sig') as f:
            writer = csv.writer(f)
            writer.writerow(columns)
            writer.writerows(rows)
    elif fmt == 'xlsx':
        _write_xlsx(path, columns, rows)
    else:
        raise ValueError('unknown format %r, not csv or xlsx' % fmt)
    return path


def _write_xlsx(path, columns, rows):
    try:
        import xlsxwriter
    except ImportError:
        xlsxwriter = None
    if xlsxwriter is None:
        from openpyxl import Workbook
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet('customers')
        sheet.append(columns)
        for row in rows:
            sheet.append([None if v == '' else v for v in row])
        workbook.save(path)
        return
    workbook = xlsxwriter.Workbook(str(path), {
            'constant_memory': True, 'strings_to_numbers': False,
            'strings_to_formulas': False, 'strings_to_urls': False})
    sheet = workbook.add_worksheet('customers')
    sheet.write_row(0, 0, columns)
    for number, row in enumerate(rows, 1):
        for column, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    sheet.write_string(number, column, value)
            else:
                sheet.write(number, column, value)
    workbook.close()


# ---------------------------------------------------------------------------
# Manual trials and benchmarks

def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Serve generated data of the stand-in systems.')
    parser.add_argument('--customers', type=int, default=1000)
    parser.add_argument('--orders-per-customer', type=float, default=2)
    parser.add_argument('--lines-per-order', type=float, default=2)
    parser.add_argument('--products', type=int, default=50)
    parser.add_argument('--projects', type=int, default=3)
    parser.add_argument('--visits', type=int, default=20)
    parser.add_argument('--tasks', type=int, default=20)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--port', type=int, default=0,
        help='0 for a free port')
    parser.add_argument('--token', default='s3cret-token')
    parser.add_argument('--page-size', type=int, default=100)
    args = parser.parse_args(argv)
    data = generate(customers=args.customers,
        orders_per_customer=args.orders_per_customer,
        lines_per_order=args.lines_per_order, products=args.products,
        projects=args.projects, visits=args.visits, tasks=args.tasks,
        seed=args.seed)
    server = StandIn(data, token=args.token, page_size=args.page_size,
        port=args.port).start()
    print('Stand-in serving at %s' % server.url)
    print('Token: %s' % args.token)
    print(', '.join('%s: %d' % (k, len(v)) for k, v in data.items()))
    print('Ctrl-C to stop', flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
