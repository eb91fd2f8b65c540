"""The circuit opens after repeated failures, refuses at once during the cool-down, then one trial decides;
its state is shared by every breaker on the same store (two instances on one Redis)."""

import threading
import time

import pytest

from demarche.resilience.breaker import Breaker, BreakerPolicy
from demarche.resilience.errors import CircuitOpen

POLICY = BreakerPolicy(threshold=3, window=5, cooldown=0.3, trial_lease=2)


def fail(breaker):
    trial, _ = breaker.before_call()
    breaker.failed(trial)


def test_opens_after_the_threshold_then_half_open_trial_success_closes(store):
    breaker = Breaker("ap", store, POLICY)
    for _ in range(3):
        fail(breaker)
    assert breaker.state() == "open"
    with pytest.raises(CircuitOpen) as refused:
        breaker.before_call()
    assert 0 < refused.value.retry_in <= 0.3
    time.sleep(0.35)
    assert breaker.state() == "half_open"
    trial, pending = breaker.before_call()
    assert trial
    with pytest.raises(CircuitOpen):  # only one trial at a time
        breaker.before_call()
    breaker.succeeded(trial, pending)
    assert breaker.state() == "closed"
    assert breaker.before_call() == (False, False)


def test_a_failed_trial_opens_again_for_a_whole_cool_down(store):
    breaker = Breaker("ap", store, POLICY)
    breaker.open()
    time.sleep(0.35)
    fail(breaker)  # the trial
    assert breaker.state() == "open"


def test_a_success_between_failures_starts_the_count_over(store):
    breaker = Breaker("ap", store, POLICY)
    fail(breaker)
    fail(breaker)
    trial, pending = breaker.before_call()
    breaker.succeeded(trial, pending)
    fail(breaker)
    fail(breaker)
    assert breaker.state() == "closed"


def test_two_instances_share_the_state_and_exactly_one_trial_goes(store):
    """Two breakers on one store stand for two instances: both see the open circuit, one trial only."""
    first, second = Breaker("ap", store, POLICY), Breaker("ap", store, POLICY)
    for _ in range(3):
        fail(first)
    with pytest.raises(CircuitOpen):
        second.before_call()
    time.sleep(0.35)
    trials, lock = [], threading.Lock()

    def try_call(breaker):
        try:
            trial, _ = breaker.before_call()
        except CircuitOpen:
            return
        with lock:
            trials.append(trial)

    threads = [threading.Thread(target=try_call, args=(b,)) for b in (first, second) * 5]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert trials == [True]
