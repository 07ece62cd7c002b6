# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Retry a call that fails for transient reasons, waiting longer each time.

>>> delays(5, base=1.0)
[1.0, 2.0, 4.0, 8.0]
>>> waits, answers = [], iter([OSError('busy'), OSError('busy'), 'done'])
>>> def fetch():
...     answer = next(answers)
...     if isinstance(answer, Exception):
...         raise answer
...     return answer
>>> call_with_retry(fetch, sleep=waits.append)
'done'
>>> waits
[1.0, 2.0]
"""
import time


def delays(attempts, base=1.0, factor=2.0, cap=60.0):
    """The waits before retries 1 .. attempts - 1: base * factor ** i,
    never more than cap.

    >>> delays(4, base=10, cap=25)
    [10.0, 20.0, 25.0]
    >>> delays(1)
    []
    """
    return [float(min(cap, base * factor ** i))
        for i in range(max(attempts - 1, 0))]


def call_with_retry(func, attempts=4, is_transient=lambda exc: True,
        sleep=time.sleep, base=1.0, factor=2.0, cap=60.0, on_retry=None):
    """Return func(); retry after a transient exception, at most attempts
    calls in all, and re-raise the last exception.

    A non-transient exception propagates at once.  on_retry(attempt, exc,
    delay) is called before each wait, attempt being the number (from 1)
    of the call that failed.
    """
    waits = delays(attempts, base=base, factor=factor, cap=cap)
    attempt = 0
    while True:
        attempt += 1
        try:
            return func()
        except Exception as exc:
            if attempt > len(waits) or not is_transient(exc):
                raise
            delay = waits[attempt - 1]
            if on_retry is not None:
                on_retry(attempt, exc, delay)
            sleep(delay)
