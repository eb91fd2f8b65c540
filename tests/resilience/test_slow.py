"""Slow calls count against the circuit as soon as a later call notices them, once each, on both stores."""

import threading
import time

import pytest

from demarche.resilience.breaker import Breaker, BreakerPolicy
from demarche.resilience.bulkhead import Bulkhead
from demarche.resilience.errors import CircuitOpen
from demarche.resilience.guard import Guard
from demarche.resilience.slow import SlowCalls

THRESHOLD = 0.2


def guard(store, failures: int = 3) -> Guard:
    breaker = Breaker("ap", store, BreakerPolicy(threshold=failures, window=30, cooldown=30))
    return Guard("ap", Bulkhead("ap", limit=10, wait=0.05), breaker, slow=SlowCalls(THRESHOLD))


def test_calls_hanging_past_the_threshold_open_the_circuit_before_they_end(store):
    ap, inside, release = guard(store), threading.Barrier(4), threading.Event()

    def hang():
        with ap.call():
            inside.wait()
            release.wait(5)

    hanging = [threading.Thread(target=hang) for _ in range(3)]
    for thread in hanging:
        thread.start()
    inside.wait()
    try:
        with ap.call():  # still under the threshold: goes, and succeeds
            pass
        assert ap.breaker.state() == "closed"
        time.sleep(THRESHOLD + 0.05)
        with pytest.raises(CircuitOpen), ap.call():  # notices the 3 hanging calls: 3 failures, open
            pass
        assert ap.breaker.state() == "open"
    finally:
        release.set()
        for thread in hanging:
            thread.join()
    assert store.get_many(ap.breaker.k_fails) == [None]  # their end was not counted a second time


def test_a_slow_call_that_ends_unnoticed_is_one_failure_even_if_it_succeeded(store):
    ap = guard(store, failures=2)
    for _ in range(2):
        with ap.call():
            time.sleep(THRESHOLD + 0.05)
    assert ap.breaker.state() == "open"


def test_fast_calls_and_business_errors_keep_the_circuit_closed(store):
    ap = guard(store, failures=1)
    with ap.call():
        pass
    with pytest.raises(LookupError), ap.call(is_failure=lambda error: not isinstance(error, LookupError)):
        raise LookupError("404: the provider answered")
    assert ap.breaker.state() == "closed"
