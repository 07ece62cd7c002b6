# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import copy
import dataclasses
import datetime as dt
import doctest
import pickle
import random
import time
import unittest

from ..engine import kb_match, routing, sla

H = dt.timedelta(hours=1)
FRIDAY = dt.date(2024, 5, 10)
SATURDAY = dt.date(2024, 5, 11)
MONDAY = dt.date(2024, 5, 13)


def at(date, hour, minute=0):
    return dt.datetime.combine(date, dt.time(hour, minute))


def office(holidays=(), extra=(), lunch=False):
    "Monday to Friday, 9:00-18:00, with a lunch break 12:00-13:00."
    if lunch:
        hours = [(dt.time(13), dt.time(18)), (dt.time(9), dt.time(12))]
    else:
        hours = [(dt.time(9), dt.time(18))]
    return sla.Calendar({d: hours for d in range(5)},
        holidays=set(holidays), extra_working_days=set(extra))


class CalendarTestCase(unittest.TestCase):

    def test_add_over_weekend(self):
        self.assertEqual(
            office().add(at(FRIDAY, 17), 2 * H), at(MONDAY, 10))

    def test_add_over_weekend_and_holiday(self):
        self.assertEqual(office(holidays={MONDAY}).add(at(FRIDAY, 17), 2 * H),
            at(MONDAY + dt.timedelta(days=1), 10))

    def test_add_on_make_up_saturday(self):
        calendar = office(holidays={MONDAY}, extra={SATURDAY})
        self.assertEqual(calendar.add(at(FRIDAY, 17), 2 * H),
            at(SATURDAY, 10))
        self.assertTrue(calendar.is_working(at(SATURDAY, 9)))
        self.assertFalse(calendar.is_working(at(MONDAY, 10)))

    def test_make_up_day_takes_first_weekday_hours(self):
        calendar = sla.Calendar({
                1: [(dt.time(10), dt.time(16))],
                2: [(dt.time(8), dt.time(20))],
                }, extra_working_days={SATURDAY})
        self.assertEqual(
            calendar.working_time(at(SATURDAY, 0), at(SATURDAY, 23)), 6 * H)
        self.assertFalse(calendar.is_working(at(SATURDAY, 9)))
        self.assertTrue(calendar.is_working(at(SATURDAY, 10)))

    def test_holiday_wins_over_make_up_day(self):
        calendar = office(holidays={SATURDAY}, extra={SATURDAY})
        self.assertFalse(calendar.is_working(at(SATURDAY, 10)))
        self.assertEqual(calendar.add(at(FRIDAY, 17), 2 * H), at(MONDAY, 10))

    def test_add_ends_at_closing_time(self):
        self.assertEqual(office().add(at(FRIDAY, 17), H), at(FRIDAY, 18))
        calendar = office(lunch=True)
        self.assertEqual(calendar.add(at(MONDAY, 11), H), at(MONDAY, 12))

    def test_lunch_break_split(self):
        calendar = office(lunch=True)
        self.assertEqual(calendar.add(at(MONDAY, 11), 2 * H), at(MONDAY, 14))
        self.assertEqual(calendar.add(at(MONDAY, 12, 30), H / 2),
            at(MONDAY, 13, 30))
        self.assertEqual(calendar.add(at(MONDAY, 9), 8 * H), at(MONDAY, 18))
        self.assertEqual(calendar.add(at(MONDAY, 9), 8 * H + H / 60),
            at(MONDAY + dt.timedelta(days=1), 9, 1))
        self.assertEqual(
            calendar.working_time(at(MONDAY, 11), at(MONDAY, 14)), 2 * H)

    def test_start_outside_hours(self):
        calendar = office()
        self.assertEqual(calendar.add(at(MONDAY, 7), H), at(MONDAY, 10))
        self.assertEqual(calendar.add(at(MONDAY, 20), H),
            at(MONDAY + dt.timedelta(days=1), 10))
        self.assertEqual(calendar.add(at(SATURDAY, 10), H), at(MONDAY, 10))

    def test_zero_duration_returns_start(self):
        self.assertEqual(office().add(at(SATURDAY, 3), dt.timedelta(0)),
            at(SATURDAY, 3))

    def test_negative_duration(self):
        with self.assertRaises(ValueError):
            office().add(at(MONDAY, 10), -H)

    def test_periods_normalised(self):
        calendar = sla.Calendar({0: [
                    (dt.time(13), dt.time(18)),
                    (dt.time(9), dt.time(12)),
                    (dt.time(11), dt.time(14)),
                    (dt.time(10), dt.time(11)),
                    ]})
        self.assertEqual(
            calendar.working_time(at(MONDAY, 0), at(MONDAY, 23)), 9 * H)
        self.assertTrue(calendar.is_working(at(MONDAY, 12, 30)))
        self.assertEqual(calendar.add(at(MONDAY, 9), 9 * H), at(MONDAY, 18))

    def test_invalid_periods(self):
        for start, end in [(10, 9), (9, 9)]:
            with self.assertRaises(ValueError):
                sla.Calendar({0: [(dt.time(start), dt.time(end))]})
        with self.assertRaises(ValueError):
            sla.Calendar({7: [(dt.time(9), dt.time(18))]})

    def test_period_until_midnight(self):
        calendar = sla.Calendar({5: [(dt.time(22), dt.time.max)]})
        self.assertEqual(calendar.add(at(SATURDAY, 23), H), at(
                SATURDAY + dt.timedelta(days=1), 0))
        self.assertEqual(calendar.add(at(SATURDAY, 23), 2 * H),
            at(SATURDAY + dt.timedelta(days=7), 23))
        self.assertTrue(calendar.is_working(
                dt.datetime.combine(SATURDAY, dt.time.max)))

    def test_round_the_clock(self):
        calendar = sla.Calendar({})
        start = at(SATURDAY, 22, 17)
        self.assertEqual(calendar.add(start, 50 * H), start + 50 * H)
        self.assertEqual(calendar.add(start, 30 * 24 * H),
            start + 30 * 24 * H)
        self.assertEqual(calendar.working_time(start, start + 100 * H),
            100 * H)
        self.assertTrue(calendar.is_working(at(SATURDAY, 3)))
        # holidays still close a 24x7 centre
        calendar = sla.Calendar({}, holidays={SATURDAY})
        self.assertEqual(calendar.add(at(FRIDAY, 23), 2 * H),
            at(SATURDAY + dt.timedelta(days=1), 1))

    def test_no_working_time(self):
        calendar = sla.Calendar({0: [], 3: []}, extra_working_days={SATURDAY})
        with self.assertRaises(ValueError):
            calendar.add(at(MONDAY, 10), H)
        self.assertEqual(calendar.add(at(MONDAY, 10), dt.timedelta(0)),
            at(MONDAY, 10))
        self.assertEqual(
            calendar.working_time(at(MONDAY, 0), at(MONDAY, 0) + 400 * H),
            dt.timedelta(0))
        self.assertFalse(calendar.is_working(at(SATURDAY, 10)))

    def test_long_duration_exact_and_fast(self):
        # 30 days of 9-hour days: 80 working days, exactly 16 weeks
        start = dt.datetime(2024, 1, 1, 9)  # a Monday
        duration = dt.timedelta(days=30)
        calendar = office()
        begin = time.perf_counter()
        self.assertEqual(calendar.add(start, duration),
            dt.datetime(2024, 4, 19, 18))
        self.assertEqual(calendar.working_time(
                start, dt.datetime(2024, 4, 19, 18)), duration)
        # Spring Festival 12-14 February, make-up Sunday 4 February
        calendar = office(
            holidays={dt.date(2024, 2, d) for d in [12, 13, 14]},
            extra={dt.date(2024, 2, 4)})
        self.assertEqual(calendar.add(start, duration),
            dt.datetime(2024, 4, 23, 18))
        far = calendar.add(start, dt.timedelta(days=3650))
        self.assertEqual(calendar.working_time(start, far),
            dt.timedelta(days=3650))
        self.assertLess(time.perf_counter() - begin, 0.5)

    def test_working_time_inverse_of_add(self):
        rng = random.Random(42)
        year = dt.datetime(2024, 1, 1)
        calendar = office(lunch=True,
            holidays={dt.date(2024, 1, 1), dt.date(2024, 5, 1),
                dt.date(2024, 5, 2), dt.date(2024, 10, 1)},
            extra={dt.date(2024, 4, 28), dt.date(2024, 10, 12)})
        for _ in range(500):
            start = year + dt.timedelta(
                minutes=rng.randrange(366 * 24 * 60),
                microseconds=rng.choice([0, rng.randrange(10 ** 6)]))
            duration = dt.timedelta(minutes=rng.randrange(1, 400 * 60))
            end = calendar.add(start, duration)
            self.assertGreater(end, start)
            self.assertEqual(calendar.working_time(start, end), duration)
            middle = start + (end - start) / 3
            self.assertEqual(calendar.working_time(start, middle)
                + calendar.working_time(middle, end), duration)

    def test_working_time_counts_working_minutes(self):
        rng = random.Random(7)
        calendar = office(lunch=True, holidays={MONDAY}, extra={SATURDAY})
        origin = at(FRIDAY - dt.timedelta(days=2), 0)
        for _ in range(20):
            start = origin + dt.timedelta(minutes=rng.randrange(6 * 24 * 60))
            end = start + dt.timedelta(minutes=rng.randrange(3 * 24 * 60))
            minutes = sum(calendar.is_working(start + i * H / 60)
                for i in range((end - start) // (H / 60)))
            self.assertEqual(calendar.working_time(start, end),
                minutes * H / 60)

    def test_working_time_empty_interval(self):
        calendar = office()
        self.assertEqual(
            calendar.working_time(at(MONDAY, 12), at(MONDAY, 12)),
            dt.timedelta(0))
        self.assertEqual(
            calendar.working_time(at(MONDAY, 12), at(MONDAY, 10)),
            dt.timedelta(0))

    def test_is_working_boundaries(self):
        calendar = office(lunch=True)
        self.assertTrue(calendar.is_working(at(MONDAY, 9)))
        self.assertFalse(calendar.is_working(at(MONDAY, 8, 59)))
        self.assertFalse(calendar.is_working(at(MONDAY, 12)))
        self.assertTrue(calendar.is_working(at(MONDAY, 13)))
        self.assertFalse(calendar.is_working(at(MONDAY, 18)))
        self.assertFalse(calendar.is_working(at(SATURDAY, 10)))


class SlaStatusTestCase(unittest.TestCase):
    start = at(MONDAY, 8)
    deadline = at(MONDAY, 18)

    def status(self, now, ratio=0.8, calendar=None):
        return sla.sla_status(
            now, self.start, self.deadline, ratio, calendar)

    def test_no_deadline(self):
        self.assertEqual(
            sla.sla_status(at(MONDAY, 23), self.start, None, 0.8), 'ok')

    def test_thresholds(self):
        self.assertEqual(self.status(at(MONDAY, 15, 59)), 'ok')
        self.assertEqual(self.status(at(MONDAY, 16)), 'warning')
        self.assertEqual(self.status(self.deadline), 'warning')
        self.assertEqual(
            self.status(self.deadline + dt.timedelta(microseconds=1)),
            'breached')
        self.assertEqual(self.status(at(MONDAY, 7)), 'ok')

    def test_ratio_bounds(self):
        self.assertEqual(self.status(at(MONDAY, 8), ratio=0), 'warning')
        self.assertEqual(self.status(at(MONDAY, 17, 59), ratio=1), 'ok')
        self.assertEqual(self.status(self.deadline, ratio=1), 'warning')
        for ratio in [-0.1, 1.1]:
            with self.assertRaises(ValueError):
                self.status(at(MONDAY, 9), ratio=ratio)

    def test_working_time_elapsed(self):
        calendar = office()
        start, deadline = at(FRIDAY, 17), at(MONDAY, 10)
        # 64 of 65 wall hours, but only 1 of 2 working hours
        now = at(MONDAY, 9)
        self.assertEqual(sla.sla_status(now, start, deadline, 0.8), 'warning')
        self.assertEqual(
            sla.sla_status(now, start, deadline, 0.8, calendar), 'ok')
        self.assertEqual(sla.sla_status(
                at(MONDAY, 9, 36), start, deadline, 0.8, calendar),
            'warning')
        self.assertEqual(sla.sla_status(
                at(MONDAY, 9, 35), start, deadline, 0.8, calendar), 'ok')
        self.assertEqual(sla.sla_status(
                at(MONDAY, 10, 1), start, deadline, 0.8, calendar),
            'breached')

    def test_deadline_at_start(self):
        self.assertEqual(sla.sla_status(
                self.start, self.start, self.start, 0.8), 'warning')


T0 = dt.datetime(2024, 5, 1, 8)


def agent(id, **values):
    values.setdefault('channels', frozenset())
    values.setdefault('skills', {})
    values.setdefault('queues', frozenset())
    values.setdefault('capacity', 5)
    values.setdefault('load', 0)
    values.setdefault('idle_since', T0)
    return routing.Agent(id=id, **values)


def ticket(id, **values):
    values.setdefault('channel', 'email')
    values.setdefault('queue', 1)
    values.setdefault('skills', {})
    values.setdefault('priority', 'normal')
    values.setdefault('value_tier', None)
    values.setdefault('complaint', False)
    values.setdefault('received', T0)
    return routing.Ticket(id=id, **values)


def reference_assign(tickets, agents):
    "The rules of routing.assign, the slow obvious way."
    loads = {a.id: a.load for a in agents}
    result = {}
    for t in sorted(tickets, key=routing.ticket_order_key):
        candidates = [a for a in agents
            if routing.eligible(t, dataclasses.replace(a, load=loads[a.id]))]
        if candidates:
            best = min(candidates, key=lambda a: (
                    loads[a.id] / a.capacity,
                    -sum(a.skills[s] - m for s, m in t.skills.items()),
                    a.idle_since, a.id))
            result[t.id] = best.id
            loads[best.id] += 1
    return result


def random_case(rng, n_tickets, n_agents, n_queues=6, n_skills=5):
    channels = ['email', 'phone', 'chat', 'wechat']
    agents = [agent(i,
            channels=frozenset(rng.sample(channels, rng.randrange(3))),
            skills={s: rng.randint(1, 5)
                for s in rng.sample(range(n_skills), rng.randrange(4))},
            queues=frozenset(rng.sample(range(n_queues), rng.randrange(3))),
            capacity=rng.randint(1, 6), load=rng.randrange(4),
            idle_since=T0 + dt.timedelta(minutes=rng.randrange(30)))
        for i in rng.sample(range(10 * n_agents), n_agents)]
    tickets = [ticket(i,
            channel=rng.choice(channels), queue=rng.randrange(n_queues),
            skills={s: rng.randint(1, 4)
                for s in rng.sample(range(n_skills), rng.randrange(3))},
            priority=rng.choice(routing.PRIORITIES),
            value_tier=rng.choice(['vip', 'a', 'b', 'c', 'd', 'low', None]),
            complaint=rng.random() < 0.2,
            received=T0 + dt.timedelta(minutes=rng.randrange(60)))
        for i in range(n_tickets)]
    return tickets, agents


class RoutingTestCase(unittest.TestCase):

    def test_eligible(self):
        t = ticket(1, channel='phone', queue=2, skills={1: 3, 2: 2})
        self.assertTrue(routing.eligible(t, agent(1, skills={1: 3, 2: 5})))
        for a in [
                agent(1, skills={1: 2, 2: 5}),
                agent(1, skills={1: 3}),
                agent(1, skills={1: 3, 2: 2}, channels=frozenset({'chat'})),
                agent(1, skills={1: 3, 2: 2}, queues=frozenset({1, 3})),
                agent(1, skills={1: 3, 2: 2}, capacity=2, load=2),
                agent(1, skills={1: 3, 2: 2}, capacity=0),
                ]:
            with self.subTest(agent=a):
                self.assertFalse(routing.eligible(t, a))
        self.assertTrue(routing.eligible(t, agent(1, skills={1: 3, 2: 2},
                    channels=frozenset({'phone', 'chat'}),
                    queues=frozenset({2}))))

    def test_skills_below_minimum_excluded(self):
        agents = [agent(1, skills={1: 2}), agent(2, skills={2: 5})]
        self.assertEqual(routing.assign(
                [ticket(1, skills={1: 3}), ticket(2, skills={1: 2})],
                agents), {2: 1})

    def test_capacity_and_load(self):
        agents = [
            agent(1, capacity=3, load=0, idle_since=T0 + H),
            agent(2, capacity=3, load=1, idle_since=T0),
            ]
        tickets = [ticket(i, received=T0 + i * H) for i in range(1, 7)]
        self.assertEqual(routing.assign(tickets, agents),
            {1: 1, 2: 2, 3: 1, 4: 2, 5: 1})
        self.assertEqual([a.load for a in agents], [0, 1])

    def test_full_agent_gets_nothing(self):
        self.assertEqual(routing.assign([ticket(1)],
                [agent(1, capacity=2, load=3), agent(2, capacity=0)]), {})

    def test_order_when_agents_are_scarce(self):
        def winner(*tickets):
            result = routing.assign(tickets, [agent(1, capacity=1)])
            self.assertEqual(len(result), 1)
            return next(iter(result))
        self.assertEqual(winner(
                ticket(1, priority='high', received=T0 - H),
                ticket(2, priority='urgent')), 2)
        self.assertEqual(winner(
                ticket(1, priority='urgent'),
                ticket(2, priority='high', complaint=True,
                    value_tier='vip', received=T0 - H)), 1)
        self.assertEqual(winner(
                ticket(1, value_tier='vip', received=T0 - H),
                ticket(2, complaint=True)), 2)
        self.assertEqual(winner(
                ticket(1, value_tier='b', received=T0 - H),
                ticket(2, value_tier='a')), 2)
        self.assertEqual(winner(
                ticket(1, received=T0 - H),
                ticket(2, value_tier='low')), 2)
        self.assertEqual(winner(
                ticket(2, received=T0 - H), ticket(1)), 2)
        self.assertEqual(winner(ticket(2), ticket(1)), 1)

    def test_ticket_order_key(self):
        tickets = [
            ticket(1),
            ticket(2, priority='low'),
            ticket(3, priority='urgent'),
            ticket(4, complaint=True),
            ticket(5, value_tier='vip'),
            ticket(6, value_tier='c'),
            ticket(7, received=T0 - H),
            ticket(8, priority='high', value_tier='d'),
            ticket(9, priority='urgent', complaint=True),
            ]
        self.assertEqual(
            [t.id for t in sorted(tickets, key=routing.ticket_order_key)],
            [9, 3, 8, 4, 5, 6, 7, 1, 2])

    def test_load_ratio_before_skill(self):
        agents = [
            agent(1, skills={1: 5}, capacity=4, load=2),
            agent(2, skills={1: 3}, capacity=4, load=1,
                idle_since=T0 + H),
            ]
        self.assertEqual(
            routing.assign([ticket(1, skills={1: 3})], agents), {1: 2})

    def test_highest_skill_at_equal_load(self):
        agents = [
            agent(1, skills={1: 3}, capacity=2, load=1, idle_since=T0 - H),
            agent(2, skills={1: 5}, capacity=4, load=2, idle_since=T0),
            ]
        self.assertEqual(
            routing.assign([ticket(1, skills={1: 3})], agents), {1: 2})

    def test_surplus_summed_over_skills(self):
        agents = [agent(1, skills={1: 5, 2: 2}), agent(2, skills={1: 3, 2: 3})]
        self.assertEqual(routing.assign(
                [ticket(1, skills={1: 2, 2: 2})], agents), {1: 1})

    def test_idle_and_id_tie_breaks(self):
        agents = [agent(3, idle_since=T0), agent(2, idle_since=T0 - H),
            agent(1, idle_since=T0)]
        self.assertEqual(routing.assign([ticket(1)], agents), {1: 2})
        agents[1] = agent(2, idle_since=T0)
        self.assertEqual(routing.assign([ticket(1)], agents), {1: 1})

    def test_channel_and_queue_filters(self):
        agents = [
            agent(1, channels=frozenset({'phone'})),
            agent(2, queues=frozenset({2})),
            agent(3, channels=frozenset({'email'}), queues=frozenset({1})),
            ]
        tickets = [
            ticket(1, channel='phone', queue=2),
            ticket(2, channel='chat', queue=2),
            ticket(3, channel='email', queue=1),
            ticket(4, channel='chat', queue=1),
            ]
        result = routing.assign(tickets, agents)
        self.assertEqual(result[2], 2)
        self.assertEqual(result[3], 3)
        self.assertNotIn(4, result)
        self.assertIn(result[1], {1, 2})

    def test_same_as_reference(self):
        rng = random.Random(3)
        for _ in range(12):
            tickets, agents = random_case(rng, 150, 25)
            self.assertEqual(routing.assign(tickets, agents),
                reference_assign(tickets, agents))

    def test_deterministic(self):
        rng = random.Random(5)
        tickets, agents = random_case(rng, 400, 40)
        expected = routing.assign(tickets, agents)
        self.assertTrue(expected)
        for _ in range(5):
            rng.shuffle(tickets)
            rng.shuffle(agents)
            self.assertEqual(routing.assign(tickets, agents), expected)

    def test_large_run(self):
        rng = random.Random(11)
        channels = ['email', 'phone', 'chat', 'wechat']
        queue_skills = {q: {rng.randrange(30): rng.randint(1, 4)
                for _ in range(rng.randint(0, 3))} for q in range(40)}
        agents = [agent(i,
                channels=frozenset(rng.sample(channels, rng.randint(0, 2))),
                skills={s: rng.randint(1, 5)
                    for s in rng.sample(range(30), 12)},
                queues=frozenset(rng.sample(range(40), rng.randint(0, 6))),
                capacity=rng.randint(2, 8), load=rng.randrange(3),
                idle_since=T0 + dt.timedelta(seconds=rng.randrange(3600)))
            for i in range(500)]
        tickets = []
        for i in range(10000):
            queue = rng.randrange(40)
            tickets.append(ticket(i, channel=rng.choice(channels),
                    queue=queue, skills=queue_skills[queue],
                    priority=rng.choice(routing.PRIORITIES),
                    value_tier=rng.choice(['a', 'b', 'c', 'd', None]),
                    complaint=rng.random() < 0.1,
                    received=T0 + dt.timedelta(
                        seconds=rng.randrange(86400))))
        begin = time.perf_counter()
        result = routing.assign(tickets, agents)
        self.assertLess(time.perf_counter() - begin, 3)
        by_id = {a.id: a for a in agents}
        counts = {}
        for t in tickets:
            if t.id in result:
                a = by_id[result[t.id]]
                counts[a.id] = counts.get(a.id, 0) + 1
                self.assertTrue(routing.eligible(t, a))
        for agent_id, count in counts.items():
            a = by_id[agent_id]
            self.assertLessEqual(count, a.capacity - a.load)
        self.assertGreater(len(result), 1000)


ARTICLES = [
    kb_match.Article(id=1, question='如何修改登录密码', keywords='',
        language='zh'),
    kb_match.Article(id=2, question='如何查询订单物流', keywords='快递、物流',
        language='zh'),
    kb_match.Article(id=3, question='发票怎么开', keywords='发票，开票',
        language='zh'),
    kb_match.Article(id=4, question='How can I reset my password?',
        keywords='', language='en'),
    kb_match.Article(id=5, question='Where is my parcel?',
        keywords='delivery tracking', language='en'),
    kb_match.Article(id=6, question='Invoice request', keywords='refund',
        language=None),
    kb_match.Article(id=7, question='Refund request', keywords='invoice',
        language=None),
    ]


class TokenizeTestCase(unittest.TestCase):

    def test_chinese_bigrams(self):
        self.assertEqual(kb_match.tokenize('修改密码'), ['修改', '改密', '密码'])
        self.assertEqual(kb_match.tokenize('我'), ['我'])
        self.assertEqual(kb_match.tokenize('登录 app 失败，错误123'),
            ['登录', 'app', '失败', '错误', '123'])

    def test_english_folding(self):
        expected = ['reset', 'password', '2', 'fa']
        for text in ['Reset the password (2FA)!', 'RESET PASSWORD 2fa',
                'ＲＥＳＥＴ　ｔｈｅ　Ｐａｓｓｗｏｒｄ，２ＦＡ']:
            with self.subTest(text=text):
                self.assertEqual(kb_match.tokenize(text), expected)

    def test_empty(self):
        self.assertEqual(kb_match.tokenize(''), [])
        self.assertEqual(kb_match.tokenize(None), [])
        self.assertEqual(kb_match.tokenize('?! the of, 、。'), [])


class MatchTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.index = kb_match.build_index(ARTICLES)

    def ids(self, text, **kwargs):
        return [i for i, _ in kb_match.match(self.index, text, **kwargs)]

    def test_chinese_paraphrase(self):
        found = kb_match.match(self.index, '密码怎么修改')
        self.assertEqual(found[0][0], 1)
        scores = dict(found)
        self.assertGreater(scores[1], scores.get(3, 0))
        self.assertEqual(self.ids('我的快递到哪了')[0], 2)

    def test_english_case_punctuation_width(self):
        found = kb_match.match(self.index,
            'ＨＯＷ　ＣＡＮ　Ｉ　ＲＥＳＥＴ　ＭＹ　ＰＡＳＳＷＯＲＤ？？')
        self.assertEqual(found[0], (4, 1.0))
        self.assertEqual(self.ids('where is my PARCEL')[0], 5)

    def test_keywords_weigh_more(self):
        found = kb_match.match(self.index, 'refund')
        self.assertEqual([i for i, _ in found], [6, 7])
        self.assertGreater(found[0][1], found[1][1])

    def test_unrelated(self):
        self.assertEqual(kb_match.match(self.index, 'weather tomorrow'), [])
        self.assertEqual(kb_match.match(self.index, '今天天气'), [])
        self.assertEqual(kb_match.match(self.index, 'the of'), [])
        self.assertIsNone(kb_match.auto_answer(
                kb_match.match(self.index, 'weather'), 0.5, 0.1))

    def test_scores_range_and_order(self):
        for text in ['password', '密码 password 发票', 'invoice refund',
                '订单 物流 快递 parcel delivery']:
            found = kb_match.match(self.index, text, top=10)
            self.assertTrue(found)
            self.assertTrue(all(0 < s <= 1 for _, s in found))
            self.assertEqual(found,
                sorted(found, key=lambda f: (-f[1], f[0])))

    def test_top_and_ties(self):
        index = kb_match.build_index([
                kb_match.Article(id=i, question='Change address',
                    keywords='', language=None)
                for i in [9, 3, 5]])
        found = kb_match.match(index, 'address', top=2)
        self.assertEqual([i for i, _ in found], [3, 5])
        self.assertEqual(found[0][1], found[1][1])
        self.assertEqual(kb_match.match(index, 'address', top=0), [])

    def test_language(self):
        self.assertEqual(
            set(self.ids('password refund 密码', language='en')), {4, 6, 7})
        self.assertIn(1, self.ids('password refund 密码'))

    def test_empty_index(self):
        index = kb_match.build_index([])
        self.assertEqual(len(index), 0)
        self.assertEqual(kb_match.match(index, 'password'), [])

    def test_index_picklable(self):
        texts = ['密码怎么修改', 'reset password', 'refund', 'parcel']
        for clone in [pickle.loads(pickle.dumps(self.index)),
                copy.deepcopy(self.index)]:
            for text in texts:
                self.assertEqual(kb_match.match(clone, text),
                    kb_match.match(self.index, text))


class AutoAnswerTestCase(unittest.TestCase):

    def test_threshold(self):
        self.assertEqual(kb_match.auto_answer([(4, 0.6)], 0.6, 0.1), 4)
        self.assertIsNone(kb_match.auto_answer([(4, 0.59)], 0.6, 0.1))
        self.assertIsNone(kb_match.auto_answer([], 0.6, 0.1))

    def test_margin(self):
        self.assertEqual(
            kb_match.auto_answer([(4, 0.9), (2, 0.5)], 0.6, 0.1), 4)
        self.assertEqual(
            kb_match.auto_answer([(4, 0.7), (2, 0.6)], 0.6, 0.1), 4)
        self.assertIsNone(
            kb_match.auto_answer([(4, 0.7), (2, 0.61)], 0.6, 0.1))
        self.assertIsNone(
            kb_match.auto_answer([(4, 0.8), (2, 0.8)], 0.6, 0.1))
        self.assertEqual(
            kb_match.auto_answer([(4, 0.8), (2, 0.8)], 0.6, 0), 4)

    def test_with_index(self):
        index = kb_match.build_index(ARTICLES)
        found = kb_match.match(index, 'How can I reset my password')
        self.assertEqual(kb_match.auto_answer(found, 0.6, 0.1), 4)
        found = kb_match.match(index, 'invoice refund')
        self.assertIsNone(kb_match.auto_answer(found, 0.3, 0.1))


class DoctestTestCase(unittest.TestCase):

    def test_engine_docstrings(self):
        for module in [sla, routing, kb_match]:
            with self.subTest(module=module.__name__):
                result = doctest.testmod(module)
                self.assertGreater(result.attempted, 0)
                self.assertEqual(result.failed, 0)
