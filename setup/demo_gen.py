# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Deterministic demo-data generators (plain Python, no trytond).

Everything here takes a ``random.Random`` (or a seed) and returns plain
dicts; setup/demo_data.py turns them into Tryton records and bench/ uses
them for the load benchmarks.  The same seed gives the same data, and
customer n is the same whichever batch asks for it.

>>> gen = Generator(seed=7, end_date=dt.date(2026, 6, 30))
>>> [c['name'] for c in gen.customers(0, 3)] == [
...     c['name'] for c in Generator(7, dt.date(2026, 6, 30)).customers(0, 3)]
True
>>> gen.customers(39, 1) == gen.customers(0, 40)[39:]
True
>>> is_mobile(mobile(random.Random(1)))
True
"""
import bisect
import datetime as dt
import itertools
import random
import re
import unicodedata

try:
    from . import demo_names as N
except ImportError:
    import demo_names as N

# Spring Festival (lunar new year's day) by year
SPRING_FESTIVAL = {
    2018: dt.date(2018, 2, 16), 2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25), 2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1), 2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17), 2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26), 2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3), 2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    }
MOBILE_RE = re.compile(r'^1[3-9]\d{9}$')
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
# one customer in DUPLICATE_EVERY is a re-entry of an earlier one
DUPLICATE_EVERY = 20
DUPLICATE_KINDS = ['phone_prefix', 'phone_dashes', 'email_case',
    'name_spaces', 'name_fullwidth']
# one customer in INVALID_EVERY carries a malformed phone or e-mail
INVALID_EVERY = 30
INVALID_KINDS = ['phone_short', 'email_no_domain', 'phone_bad_prefix',
    'email_double_at']
# the codes of crm.purchase's channel selection
# cost of the goods or services sold, as a share of the list price
COST_SHARE = {'goods': 0.62, 'service': 0.35}
PURCHASE_CHANNELS = [('store', 55), ('online', 38), ('phone', 4),
    ('field_sales', 3)]
INTERACTION_CHANNELS = [('phone', 30), ('chat', 20), ('walk_in', 15),
    ('social', 10), ('web', 10), ('email', 8), ('visit', 5), ('letter', 1),
    ('fax', 1)]
# activity profile: (name, weight, min purchases, max purchases)
PROFILES = [('prospect', 22, 0, 0), ('once', 25, 1, 1),
    ('occasional', 30, 2, 5), ('regular', 17, 6, 14), ('loyal', 6, 15, 40)]
# lifecycle: days a first (or returning) buyer stays new (won back), days
# without purchase before at risk and churned, purchases to be loyal
NEW_DAYS = 120
AT_RISK_DAYS = 180
CHURN_DAYS = 365
LOYAL_PURCHASES = 10


def cumulative(weights):
    return list(itertools.accumulate(weights))


def pick(rng, items, cum):
    "Pick from items with cumulative weights cum"
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def zipf_weights(n, s=1.1):
    """Weights of ranks 1..n under Zipf's law with exponent s

    >>> [round(w, 2) for w in zipf_weights(3, 1)]
    [1.0, 0.5, 0.33]
    """
    return [1 / (rank ** s) for rank in range(1, n + 1)]


def day_weight(date):
    """Relative sales volume of a day: weekends, the weeks before the
    Spring Festival, the 618 and Double 11 shopping festivals, Double 12
    and the National Day golden week.

    >>> day_weight(dt.date(2025, 11, 11)) > 5 * day_weight(
    ...     dt.date(2025, 9, 10))
    True
    """
    weight = 1.25 if date.weekday() >= 5 else 1.0
    festival = SPRING_FESTIVAL.get(date.year)
    if festival is None or date > festival + dt.timedelta(days=15):
        festival = SPRING_FESTIVAL.get(date.year + 1, festival)
    if festival:
        offset = (date - festival).days
        if -21 <= offset < 0:
            weight *= 1.5 + 2.0 * (21 + offset) / 21
        elif 0 <= offset <= 6:
            weight *= 0.5
    month, day = date.month, date.day
    if month == 6 and day <= 18:
        weight *= 5.0 if day == 18 else 1.3 + day / 12
    elif month == 11 and day <= 11:
        weight *= {11: 9.0, 10: 3.0}.get(day, 1.5 + day / 8)
    elif month == 12 and day == 12:
        weight *= 2.5
    elif month == 10 and day <= 7:
        weight *= 1.6
    return weight


class Calendar:
    "Seasonal sampling of dates between start and end (inclusive)"

    def __init__(self, start, end):
        self.start = start
        self.days = [start + dt.timedelta(days=i)
            for i in range((end - start).days + 1)]
        self.cum = cumulative(day_weight(d) for d in self.days)

    def sample(self, rng, first=None, last=None):
        lo = (first - self.start).days if first else 0
        hi = (last - self.start).days if last else len(self.days) - 1
        lo, hi = max(lo, 0), min(hi, len(self.days) - 1)
        low = self.cum[lo - 1] if lo else 0.
        index = bisect.bisect(self.cum, low + rng.random() * (
                self.cum[hi] - low))
        return self.days[min(max(index, lo), hi)]


def mobile(rng):
    "A mainland mobile number 1[3-9]xxxxxxxxx"
    return rng.choice(N.MOBILE_PREFIXES) + '%08d' % rng.randrange(10 ** 8)


def is_mobile(value):
    return bool(MOBILE_RE.match(value))


def landline(rng, city):
    return '%s-%d%07d' % (city[3], rng.randint(2, 8), rng.randrange(10 ** 7))


def qq_number(number):
    """A QQ number of 6 to 10 digits, different for every customer number
    below 10**9 (7919 is prime to 10**9)

    >>> qq_number(0), qq_number(1)
    ('1234567', '1242486')
    """
    return str(10 ** 5 + (number * 7919 + 1134567) % 10 ** 9)


def id_number(rng, city, district, birth_date, gender):
    """An 18-digit resident ID number with a valid check digit

    >>> n = id_number(random.Random(3), N.CITIES[0], 2,
    ...     dt.date(1990, 5, 17), 'male')
    >>> n[:14], id_check(n[:17]) == n[17], int(n[16]) % 2
    ('31010319900517', True, 1)
    """
    sequence = rng.randrange(50) * 2 + (1 if gender == 'male' else 0)
    body = '%s%02d%s%03d' % (city[5], district + 1,
        birth_date.strftime('%Y%m%d'), sequence + rng.randrange(9) * 100)
    return body + id_check(body)


def id_check(body):
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS))
    return '10X98765432'[total % 11]


def fullwidth(text):
    """ASCII to full-width forms, the way some input methods type them

    >>> fullwidth('A1 (B)')
    'Ａ１\\u3000（Ｂ）'
    """
    return ''.join(
        '\u3000' if c == ' ' else chr(ord(c) + 0xFEE0)
        if '!' <= c <= '~' else c for c in text)


def normalise(text):
    "NFKC, no spaces, lower case: how the same name typed twice compares"
    return re.sub(r'\s+', '', unicodedata.normalize('NFKC', text)).lower()


def price(rng, low, high):
    "A shop price within [low, high]: ends in 9, or whole hundreds"
    value = rng.randint(low, high)
    if high >= 10000:
        return max(low, value // 100 * 100)
    return max(low, value // 10 * 10 + 9)


def is_duplicate(number):
    "Customer number is a re-entry of an earlier customer"
    return number % DUPLICATE_EVERY == DUPLICATE_EVERY - 1


def is_invalid(number):
    "Customer number carries a malformed phone or e-mail"
    return number % INVALID_EVERY == INVALID_EVERY // 2


def original_of(number):
    """The customer that duplicate number re-enters: one of the 7 before
    it, never a duplicate nor a customer with a malformed contact

    >>> original_of(19), original_of(39), original_of(79)
    (18, 37, 74)
    """
    original = number - 1 - (number // DUPLICATE_EVERY) % 7
    if is_invalid(original):
        original -= 1
    return original


class Generator:

    def __init__(self, seed=1, end_date=None, years=3):
        self.seed = seed
        self.end_date = end_date or dt.date.today()
        self.start_date = self.end_date - dt.timedelta(days=365 * years)
        self.calendar = Calendar(self.start_date, self.end_date)
        self.surname_cum = cumulative(s[2] for s in N.SURNAMES)
        self.city_cum = cumulative(N.CITY_WEIGHTS)
        self.source_cum = cumulative(s[2] for s in N.SOURCES)
        self.profile_cum = cumulative(p[1] for p in PROFILES)
        self.domain_cum = cumulative(d[1] for d in N.EMAIL_DOMAINS)
        self.form_cum = cumulative(f[1] for f in N.COMPANY_FORMS)
        self.pchannel_cum = cumulative(c[1] for c in PURCHASE_CHANNELS)
        self.ichannel_cum = cumulative(c[1] for c in INTERACTION_CHANNELS)
        self.cities = [self._city(c) for c in N.CITIES]
        self.city_regions = [N.city_region(c) for c in N.CITIES]
        self.products = self._products()
        self.goods = [p for p in self.products if p['type'] == 'goods']
        self.services = [p for p in self.products if p['type'] == 'service']
        self.goods_cum = cumulative(zipf_weights(len(self.goods)))
        self.services_cum = cumulative(zipf_weights(len(self.services)))
        self.employees = self._employees()

    def rng(self, *key):
        return random.Random(':'.join(map(str, (self.seed,) + key)))

    @staticmethod
    def _city(row):
        (province, name, pinyin, area, postal, id_prefix, region,
            districts, streets) = row
        return (province, name, pinyin, area, postal, id_prefix, region,
            districts.split(), streets.split())

    def _products(self):
        rng = self.rng('products')
        products = []
        for category, type_, noun, variants, (low, high) in N.PRODUCT_LINES:
            for series in N.SPORT_SERIES:
                for variant in variants.split():
                    products.append({
                            'name': '%s%s（%s）' % (series, noun, variant),
                            'category': category, 'type': 'goods',
                            'list_price': price(rng, low, high)})
        for category, name, (low, high) in N.SERVICES:
            products.append({'name': name, 'category': category,
                    'type': 'service', 'list_price': price(rng, low, high)})
        for i, product in enumerate(products, 1):
            product['code'] = ('P%04d' if product['type'] == 'goods'
                else 'S%03d') % i
        # popularity rank is independent of catalogue order
        ranked = products[:]
        rng.shuffle(ranked)
        for rank, product in enumerate(ranked):
            product['rank'] = rank
        return sorted(products, key=lambda p: p['rank'])

    def _employees(self):
        rng = self.rng('employees')
        employees = []
        for store in N.STORES:
            for _ in range(3 if store[2] == 'head_office' else 2):
                gender = rng.choice(['male', 'female'])
                name, _ = self.person_name(rng, gender)
                employees.append({'name': name, 'store': store[0],
                        'code': 'E%03d' % (len(employees) + 1)})
        return employees

    def person_name(self, rng, gender):
        "A Chinese name (surname + one or two characters) and its pinyin"
        surname, pinyin, _ = pick(rng, N.SURNAMES, self.surname_cum)
        chars = N.GIVEN_MALE if gender == 'male' else N.GIVEN_FEMALE
        given = [rng.choice(chars) for _ in range(rng.choice([1, 2, 2]))]
        return (surname + ''.join(c for c, _ in given),
            (pinyin, ''.join(p for _, p in given)))

    def email(self, rng, pinyin, number=None):
        """A personal e-mail address; with the customer number it differs
        from every other customer's."""
        domain = pick(rng, N.EMAIL_DOMAINS, self.domain_cum)[0]
        surname, given = pinyin
        digits = (str(number + 1) if number is not None
            else str(rng.randint(1, 99)))
        if domain == 'qq.com' and rng.random() < .6:
            local = (qq_number(number) if number is not None
                else str(rng.randint(10 ** 5, 3 * 10 ** 9)))
        else:
            local = rng.choice([
                    surname + given + digits, given + '.' + surname + digits,
                    surname[0] + given + digits])
        return '%s@%s' % (local, domain)

    @staticmethod
    def company_domain(pinyin, number):
        "The web domain of organisation number, unique to it"
        return '%s%d.com.cn' % (pinyin, number + 1)

    def address(self, rng, city, district, organisation=False):
        street = '%s%d号' % (rng.choice(city[8]), rng.randint(1, 1800))
        if organisation:
            street += '%d楼' % rng.randint(2, 32)
        else:
            street += '%s%d栋%d室' % (rng.choice(N.ESTATES),
                rng.randint(1, 24), rng.randint(1, 33) * 100
                + rng.randint(1, 6))
        return {'street': street, 'city': city[1],
            'district': city[7][district], 'province': city[0],
            'postal_code': '%s%02d0' % (city[4], rng.randrange(100))}

    def customers(self, start, count):
        """Customers numbered start .. start + count - 1.

        A customer is a dict: number, customer_type ('person' or
        'organisation'), name, pinyin, gender, birth_date, occupation,
        income_band, id_number, industry (code), city_index, region (code
        in demo_names.REGIONS), mobile, phone, email, address (dict), wish
        (dict or None), contacts (contact persons of an organisation),
        source (code), acquisition_channel, store (code), owner (employee
        code), tags, preferences, first_date, purchases, interactions,
        lifecycle_stage, lifecycle_changes [(date, from, to)], value_tier,
        segment (code), duplicate_of (number or None), duplicate_kind,
        invalid_kind.  Empty selection values are None.
        """
        done = {}
        result = []
        for number in range(start, start + count):
            if is_duplicate(number):
                original = original_of(number)
                customer = self.duplicate(number,
                    done.get(original) or self.customer(original))
            else:
                customer = self.customer(number)
            done[number] = customer
            result.append(customer)
        return result

    def customer(self, number):
        "Customer number as first entered (see customers for duplicates)"
        rng = self.rng('customer', number)
        if rng.random() < .85:
            customer = self.person(rng, number)
        else:
            customer = self.organisation(rng, number)
        customer.update(number=number, duplicate_of=None,
            duplicate_kind=None, invalid_kind=None)
        self.profile(rng, customer)
        if is_invalid(number):
            self.invalidate(customer, number)
        return customer

    def person(self, rng, number=None):
        gender = rng.choice(['male', 'female'])
        name, pinyin = self.person_name(rng, gender)
        city_index = pick(rng, range(len(self.cities)), self.city_cum)
        city = self.cities[city_index]
        district = rng.randrange(len(city[7]))
        birth_date = self.end_date - dt.timedelta(
            days=rng.randint(18 * 365, 70 * 365))
        return {
            'customer_type': 'person', 'name': name, 'pinyin': pinyin,
            'gender': gender, 'birth_date': birth_date,
            'city_index': city_index, 'region': self.city_regions[city_index],
            'occupation': rng.choice(N.OCCUPATIONS),
            'income_band': rng.choice(
                [None, 'low', 'middle', 'middle', 'upper_middle', 'high']),
            'id_number': (id_number(rng, city, district, birth_date, gender)
                if rng.random() < .4 else None),
            'industry': None,
            'mobile': mobile(rng),
            'phone': landline(rng, city) if rng.random() < .15 else None,
            'email': (self.email(rng, pinyin, number)
                if rng.random() < .7 else None),
            'address': self.address(rng, city, district),
            'wish': self.wish(rng, city) if rng.random() < .3 else None,
            'contacts': [],
            }

    def wish(self, rng, city):
        tier1 = city[2] in {'shanghai', 'beijing', 'shenzhen', 'guangzhou'}
        budget = rng.randint(300, 1500) if tier1 else rng.randint(80, 500)
        area = rng.randrange(50, 160, 10)
        return {'budget_min': budget * 10000,
            'budget_max': int(budget * rng.uniform(1.2, 1.6)) * 10000,
            'district': rng.choice(city[7]),
            'area_min': area, 'area_max': area + rng.choice([20, 30, 40]),
            'rooms': rng.choice([1, 2, 2, 3, 3, 3, 4])}

    def organisation(self, rng, number=None):
        city_index = pick(rng, range(len(self.cities)), self.city_cum)
        city = self.cities[city_index]
        first, second = rng.sample(N.BRAND_CHARS, 2)
        brand, pinyin = first[0] + second[0], first[1] + second[1]
        industry, trade = rng.choice(N.COMPANY_TRADES)
        form = pick(rng, N.COMPANY_FORMS, self.form_cum)[0]
        name = city[1].rstrip('市') + brand + trade + form
        domain = self.company_domain(pinyin,
            number if number is not None else rng.randrange(10 ** 6))
        contacts = []
        for function in rng.sample(N.CONTACT_FUNCTIONS, rng.randint(1, 3)):
            gender = rng.choice(['male', 'female'])
            cname, cpinyin = self.person_name(rng, gender)
            contacts.append({'name': cname, 'function': function,
                    'gender': gender, 'mobile': mobile(rng),
                    'email': '%s.%s%d@%s' % (cpinyin[1], cpinyin[0],
                        len(contacts) + 1, domain)})
        return {
            'customer_type': 'organisation', 'name': name,
            'pinyin': (pinyin, ''), 'city_index': city_index,
            'region': self.city_regions[city_index],
            'industry': industry, 'gender': None, 'birth_date': None,
            'occupation': None, 'income_band': None, 'id_number': None,
            'mobile': mobile(rng) if rng.random() < .5 else None,
            'phone': landline(rng, city),
            'email': 'service@' + domain,
            'address': self.address(rng, city, rng.randrange(len(city[7])),
                organisation=True),
            'wish': None, 'contacts': contacts,
            }

    def profile(self, rng, customer):
        "How the customer came, who serves them, and their history"
        customer['source'], _, _, customer['acquisition_channel'] = pick(
            rng, N.SOURCES, self.source_cum)
        stores = [s for s in N.STORES
            if s[3] == customer['city_index'] and s[2] != 'head_office']
        customer['store'] = (rng.choice(stores)[0] if stores
            and customer['acquisition_channel'] not in {'web', 'social'}
            else 'HQ')
        owners = [e for e in self.employees
            if e['store'] == customer['store']]
        customer['owner'] = rng.choice(owners)['code']
        customer['tags'] = rng.sample(N.TAGS, rng.choice([0, 0, 1, 1, 2]))
        customer['preferences'] = (rng.choice(N.PREFERENCES)
            if rng.random() < .3 else None)
        self.history(rng, customer)

    def history(self, rng, customer):
        "Purchases, interactions, lifecycle, segment and value tier"
        profile, _, low, high = pick(rng, PROFILES, self.profile_cum)
        span = (self.end_date - self.start_date).days
        first = self.start_date + dt.timedelta(
            days=int(span * rng.random() ** .7))
        last = self.end_date
        if rng.random() < .25:
            last = first + dt.timedelta(
                days=int((self.end_date - first).days * rng.random()))
        count = rng.randint(low, high)
        dates = sorted(self.calendar.sample(rng, first, last)
            for _ in range(count))
        customer['purchases'] = [self.purchase(rng, customer, d)
            for d in dates]
        for i, purchase in enumerate(customer['purchases'], 1):
            purchase['external_id'] = 'DEMO-%07d-%03d' % (
                customer['number'], i)
        customer['first_date'] = first
        customer['interactions'] = [self.interaction(rng, customer)
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 6]))]
        (customer['lifecycle_stage'],
            customer['lifecycle_changes']) = self.lifecycle(dates)
        self.classify(customer)

    def classify(self, customer):
        """Value tier by amount bought and the RFM segment (recency,
        frequency, value) at end_date; None without purchases."""
        purchases = customer['purchases']
        total = sum(p['amount'] for p in purchases)
        tier = customer['value_tier'] = (
            None if not total else 'a' if total > 20000
            else 'b' if total > 5000 else 'c' if total > 1000 else 'd')
        if not purchases:
            customer['segment'] = None
            return
        recency = (self.end_date - purchases[-1]['date']).days
        frequent = len(purchases) >= 6
        valuable = frequent or tier in {'a', 'b'}
        customer['segment'] = (
            'champions' if recency <= 90 and frequent and tier == 'a'
            else 'loyal' if recency <= 180 and frequent
            else 'new' if recency <= 90 and len(purchases) == 1
            else 'potential' if recency <= 180
            else 'at_risk' if recency <= 365 and valuable
            else 'hibernating' if recency <= 365
            else 'cant_lose' if tier == 'a' or frequent
            else 'lost')

    def purchase(self, rng, customer, date):
        organisation = customer['customer_type'] == 'organisation'
        wants_service = (customer['wish'] or organisation) and (
            rng.random() < .4)
        if wants_service:
            product = pick(rng, self.services, self.services_cum)
        else:
            product = pick(rng, self.goods, self.goods_cum)
        quantity = 1 if product['type'] == 'service' else rng.choice(
            [1, 1, 1, 1, 2, 2, 3])
        channel = pick(rng, PURCHASE_CHANNELS, self.pchannel_cum)[0]
        if organisation and product['type'] == 'goods':
            quantity *= rng.choice([5, 10, 20, 50])
            if rng.random() < .5:
                channel = 'wholesale'
        discount = rng.choice([1, 1, .95, .9, .8]) * (
            .85 if day_weight(date) > 2.5 else 1)
        return {'date': date, 'product': product['code'],
            'quantity': quantity, 'channel': channel,
            'store': customer['store'] if channel == 'store' else 'HQ',
            'amount': round(product['list_price'] * quantity * discount, 2),
            'cost': round(
                product['list_price'] * quantity * COST_SHARE[product['type']],
                2)}

    def interaction(self, rng, customer):
        channel = pick(rng, INTERACTION_CHANNELS, self.ichannel_cum)[0]
        date = self.calendar.sample(rng, customer['first_date'])
        moment = dt.datetime.combine(date, dt.time(
                rng.randint(9, 20), rng.randrange(60)))
        follow = rng.random() < .25
        return {'channel': channel, 'date': moment,
            'direction': rng.choice(['inbound', 'inbound', 'outbound']),
            'subject': rng.choice(N.INTERACTION_SUBJECTS[channel]),
            'outcome': rng.choice(N.INTERACTION_OUTCOMES),
            'employee': customer['owner'],
            'follow_up_date': (date + dt.timedelta(days=rng.randint(1, 14))
                if follow else None),
            'follow_up_done': follow and date < self.end_date
            - dt.timedelta(days=14)}

    def lifecycle(self, dates):
        """The stage reached at end_date by a customer buying on dates
        (sorted) and the moves to it as [(date, from, to)], each one a
        move crm_core allows.

        >>> gen = Generator(1, dt.date(2026, 6, 30))
        >>> gen.lifecycle([])
        ('prospect', [])
        >>> stage, moves = gen.lifecycle([dt.date(2025, 1, 1)])
        >>> stage, [(str(d), t) for d, _, t in moves]
        ... # doctest: +NORMALIZE_WHITESPACE
        ('churned', [('2025-01-01', 'new'), ('2025-05-01', 'active'),
            ('2025-06-30', 'at_risk'), ('2026-01-01', 'churned')])
        """
        moves = []
        state = {'stage': 'prospect', 'since': None}

        def move(date, stage):
            moves.append((date, state['stage'], stage))
            state.update(stage=stage, since=date)

        def idle(last, until):
            "The moves while nothing is bought from last until until"
            settled = state['since'] + dt.timedelta(days=NEW_DAYS)
            at_risk = last + dt.timedelta(days=AT_RISK_DAYS)
            churned = last + dt.timedelta(days=CHURN_DAYS)
            if state['stage'] in {'new', 'won_back'} and (
                    settled < min(until, at_risk)):
                move(settled, 'active')
            if state['stage'] not in {'at_risk', 'churned'} and (
                    at_risk < until):
                move(at_risk, 'at_risk')
            if state['stage'] == 'at_risk' and churned < until:
                move(churned, 'churned')

        for count, date in enumerate(dates, 1):
            if count > 1:
                idle(dates[count - 2], date)
            stage = state['stage']
            if stage == 'prospect':
                move(date, 'new')
            elif stage == 'churned':
                move(date, 'won_back')
            elif stage in {'active', 'at_risk'}:
                if count >= LOYAL_PURCHASES:
                    move(date, 'loyal')
                elif stage == 'at_risk':
                    move(date, 'active')
        if dates:
            idle(dates[-1], self.end_date + dt.timedelta(days=1))
        return state['stage'], moves

    def stage(self, dates):
        "The lifecycle stage at end_date of a customer buying on dates"
        return self.lifecycle(sorted(dates))[0]

    def duplicate(self, number, original):
        """The original customer entered again as customer number, with a
        variant of one key (phone, e-mail or name) and a history of its
        own."""
        rng = self.rng('duplicate', number)
        kind = DUPLICATE_KINDS[(number // DUPLICATE_EVERY)
            % len(DUPLICATE_KINDS)]
        if kind.startswith('phone') and not original['mobile']:
            kind = 'email_case'
        if kind == 'email_case' and not original['email']:
            kind = 'name_spaces'
        person = original['customer_type'] == 'person'
        if person:
            email = self.email(rng, original['pinyin'], number)
        else:
            email = 'service@' + self.company_domain(
                original['pinyin'][0], number)
        customer = dict(original, number=number,
            duplicate_of=original['number'], duplicate_kind=kind,
            invalid_kind=None, address=dict(original['address']),
            id_number=None, contacts=[], phone=None, mobile=mobile(rng),
            email=email if original['email'] else None)
        if kind == 'phone_prefix':
            customer['mobile'] = '+86' + original['mobile']
        elif kind == 'phone_dashes':
            m = original['mobile']
            customer['mobile'] = '+86 %s-%s-%s' % (m[:3], m[3:7], m[7:])
        elif kind == 'email_case':
            local, domain = original['email'].split('@')
            customer['email'] = local.capitalize() + '@' + domain.upper()
        else:
            name = original['name']
            cut = 1 if person else (
                len(self.cities[original['city_index']][1].rstrip('市')))
            space = ' ' if kind == 'name_spaces' else '\u3000'
            customer['name'] = name[:cut] + space + name[cut:]
            if person:
                # crm_core matches persons by their contacts, not names
                customer['mobile'] = original['mobile']
        self.profile(rng, customer)
        return customer

    def invalidate(self, customer, number):
        "Spoil the mobile or the e-mail (one of INVALID_KINDS)"
        kind = INVALID_KINDS[(number // INVALID_EVERY) % len(INVALID_KINDS)]
        customer['invalid_kind'] = kind
        phone = customer['mobile'] or mobile(self.rng('invalid', number))
        email = customer['email'] or qq_number(number) + '@qq.com'
        if kind == 'phone_short':
            customer['mobile'] = phone[:7]
        elif kind == 'phone_bad_prefix':
            customer['mobile'] = '12' + phone[2:]
        elif kind == 'email_no_domain':
            # the domain without its suffix: wang@163
            local, domain = email.split('@')
            customer['email'] = local + '@' + domain.split('.')[0]
        else:
            customer['email'] = email.replace('@', '@@')
