# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Working-time arithmetic for service-level deadlines.

A Calendar is built from:

- weekly: {weekday (0 = Monday): [(start time, end time), ...]}, several
  periods a day allowed, in any order; an end of time.max means midnight.
  An empty weekly is open 24 hours a day, 7 days a week (holidays still
  close it); a weekly whose days have no period has no working time.
- holidays: dates closed all day; they win over extra working days.
- extra_working_days: make-up working days (a weekend day worked in
  exchange for a holiday); they take the hours of the first weekday that
  has hours (Monday, usually), whatever their own weekday.

Datetimes are naive (the server stores naive UTC); time zones are out of
scope.

>>> import datetime as dt
>>> nine_to_six = [(dt.time(9), dt.time(18))]
>>> calendar = Calendar({day: nine_to_six for day in range(5)})
>>> friday = dt.datetime(2024, 5, 10, 17)
>>> calendar.add(friday, dt.timedelta(hours=2))
datetime.datetime(2024, 5, 13, 10, 0)
>>> calendar.working_time(friday, dt.datetime(2024, 5, 13, 10))
datetime.timedelta(seconds=7200)
>>> sla_status(dt.datetime(2024, 5, 13, 9, 45), friday,
...     dt.datetime(2024, 5, 13, 10), 0.8, calendar)
'warning'
"""
import bisect
import datetime as dt

DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)
_ZERO = dt.timedelta(0)
_TICK = dt.timedelta(microseconds=1)


def _offset(time):
    "The time of day from midnight; time.max stands for 24:00."
    if time == dt.time.max:
        return DAY
    return dt.timedelta(hours=time.hour, minutes=time.minute,
        seconds=time.second, microseconds=time.microsecond)


def _normalise(periods):
    "Sorted, merged (start, end) offsets from midnight."
    spans = []
    for start, end in periods:
        if _offset(end) <= _offset(start):
            raise ValueError(f"Period {start}-{end} does not end after "
                "it starts")
        spans.append((_offset(start), _offset(end)))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


class Calendar:

    def __init__(self, weekly, holidays=(), extra_working_days=()):
        if not weekly:
            weekly = {d: [(dt.time.min, dt.time.max)] for d in range(7)}
        week = [()] * 7
        for weekday, periods in weekly.items():
            if weekday not in range(7):
                raise ValueError(f"Invalid weekday {weekday!r}")
            week[weekday] = _normalise(periods)
        self._week = tuple(week)
        self._extra_hours = next((p for p in week if p), ())
        self._holidays = frozenset(holidays)
        self._extra = frozenset(extra_working_days) - self._holidays
        self._special = sorted(self._holidays | self._extra)
        self._week_total = sum(
            (end - start for periods in week for start, end in periods),
            _ZERO)

    def _periods(self, date):
        if date in self._holidays:
            return ()
        if date in self._extra:
            return self._extra_hours
        return self._week[date.weekday()]

    def _plain_weeks(self, date, limit):
        "Whole weeks from date, at most limit, free of special days."
        i = bisect.bisect_left(self._special, date)
        if i < len(self._special):
            limit = min(limit, (self._special[i] - date).days // 7)
        return max(limit, 0)

    def is_working(self, moment):
        offset = moment - dt.datetime.combine(moment.date(), dt.time())
        return any(start <= offset < end
            for start, end in self._periods(moment.date()))

    def add(self, start, duration):
        """The moment when duration of working time has elapsed after start.

        A duration of zero returns start unchanged, even outside hours.
        """
        if duration < _ZERO:
            raise ValueError("Negative duration")
        if not duration:
            return start
        if not self._week_total:
            raise ValueError("The calendar has no working time")
        day = start.date()
        midnight = dt.datetime.combine(day, dt.time())
        offset, remaining = start - midnight, duration
        while True:
            for begin, end in self._periods(day):
                begin = max(begin, offset)
                if begin < end:
                    if remaining <= end - begin:
                        return midnight + begin + remaining
                    remaining -= end - begin
            day, midnight, offset = day + DAY, midnight + DAY, _ZERO
            # Keep a remainder > 0 so that the end of the last period is
            # found by the day walk, not the next opening.
            weeks = self._plain_weeks(
                day, (remaining - _TICK) // self._week_total)
            day, midnight = day + weeks * WEEK, midnight + weeks * WEEK
            remaining -= weeks * self._week_total

    def working_time(self, start, end):
        "The working time between start and end (zero if end <= start)."
        if end <= start:
            return _ZERO
        total = _ZERO
        day, last = start.date(), end.date()
        midnight = dt.datetime.combine(day, dt.time())
        offset = start - midnight
        while day <= last:
            stop = end - midnight
            for begin, finish in self._periods(day):
                begin, finish = max(begin, offset), min(finish, stop)
                if begin < finish:
                    total += finish - begin
            day, midnight, offset = day + DAY, midnight + DAY, _ZERO
            weeks = self._plain_weeks(day, (last - day).days // 7)
            day, midnight = day + weeks * WEEK, midnight + weeks * WEEK
            total += weeks * self._week_total
        return total


def sla_status(now, start, deadline, warn_ratio, calendar=None):
    """'ok', 'warning' or 'breached' of a deadline at now.

    'warning' once the elapsed share of the time from start to deadline
    reaches warn_ratio (in working time with a calendar, else wall time);
    'breached' only after the deadline.
    """
    if not 0 <= warn_ratio <= 1:
        raise ValueError(f"Warn ratio {warn_ratio} not between 0 and 1")
    if deadline is None:
        return 'ok'
    if now > deadline:
        return 'breached'
    if calendar is None:
        elapsed, allowed = max(now - start, _ZERO), deadline - start
    else:
        elapsed = calendar.working_time(start, now)
        allowed = calendar.working_time(start, deadline)
    if allowed <= _ZERO or elapsed / allowed >= warn_ratio:
        return 'warning'
    return 'ok'
