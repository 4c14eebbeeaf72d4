"""anyday: lets the Python test harness run under libfaketime (tests/any-day.sh).

tests/any-day.sh moves the wall clock of every process of a run with libfaketime and
leaves the monotonic clock alone (DONT_FAKE_MONOTONIC=1): Python's lock and condition
timeouts wait with sem_clockwait() on the monotonic clock, which libfaketime 0.9.10 does not
intercept, so a faked monotonic clock makes every timed wait last hours. With the monotonic
clock left real, libfaketime's clock_nanosleep() wrapper still shifts the absolute monotonic
deadline of time.sleep() and makes it fail with EINVAL. Imported for its effect: under such
a run, time.sleep() waits with select() (a relative timeout, which no wrapper touches).
"""

import os
import select
import time


def _select_sleep(seconds):
    """time.sleep() without clock_nanosleep()."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        select.select([], [], [], left)


if os.environ.get("FAKETIME") and os.environ.get("DONT_FAKE_MONOTONIC") == "1":
    time.sleep = _select_sleep
