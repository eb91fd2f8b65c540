"""The quota per token: a moving window shared by every user of the store, a bounded wait, 429 pauses,
and Retry-After / RateLimit-Reset read in all their forms."""

import threading
import time
from email.utils import formatdate

import pytest

from demarche.resilience.errors import QuotaExceeded
from demarche.resilience.quota import Quota, limits_storage, parse_rate, retry_after_seconds
from demarche.resilience.store import MemoryStore, RedisStore, redis_client
from tests.resilience.conftest import REDIS_URL


@pytest.fixture(params=["memory", "redis"])
def make_quotas(request):
    """make_quotas(rate, *waits): one Quota per wait, sharing one store, like instances of the service."""
    closing = []
    if request.param == "memory":
        store, storage = MemoryStore(), limits_storage("", "")
    else:
        prefix = request.getfixturevalue("redis_prefix")
        client = redis_client(REDIS_URL)
        store, storage = RedisStore(client, prefix), limits_storage(REDIS_URL, prefix)
        closing = [client.close, storage.storage.close]

    def make(rate, *waits):
        return [Quota("ap", parse_rate(rate), store, storage, wait) for wait in waits]

    yield make
    for close in closing:
        close()


def test_the_limit_holds_across_instances_then_a_bounded_wait_lets_calls_through(make_quotas):
    first, second, waiting = make_quotas("5/second", 0, 0, 1.5)
    granted, refused, lock = [], [], threading.Lock()

    def call(quota):
        try:
            quota.acquire("token")
        except QuotaExceeded:
            with lock:
                refused.append(1)
            return
        with lock:
            granted.append(1)

    threads = [threading.Thread(target=call, args=(q,)) for q in (first, second) * 6]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(granted), len(refused)) == (5, 7)
    started = time.monotonic()
    waiting.acquire("token")  # a second later the window has room again
    assert 0.1 < time.monotonic() - started < 1.5
    waiting.acquire("another token")  # another token has its own quota: no wait


def test_after_a_429_every_instance_waits_the_retry_after(make_quotas):
    first, second = make_quotas("100/second", 0.5, 0.5)
    first.pause("token", 2)
    with pytest.raises(QuotaExceeded) as refused:
        second.acquire("token")  # 2 s is more than this citizen may wait
    assert 1.5 < refused.value.retry_in <= 2
    first.pause("other", 0.2)
    started = time.monotonic()
    second.acquire("other")  # 0.2 s fits the wait: the call goes after the pause
    assert 0.15 < time.monotonic() - started < 0.5


def test_retry_after_and_ratelimit_reset_in_every_form():
    now = 1_900_000_000.0
    assert retry_after_seconds({"Retry-After": "7"}, now) == 7
    assert retry_after_seconds({"Retry-After": formatdate(now + 30, usegmt=True)}, now) == pytest.approx(30, abs=1)
    assert retry_after_seconds({"RateLimit-Reset": "12"}, now) == 12  # seconds (IETF draft)
    assert retry_after_seconds({"RateLimit-Reset": str(int(now) + 42)}, now) == 42  # a Unix time (API Particulier)
    assert retry_after_seconds({"Retry-After": "soon"}, now) is None
    assert retry_after_seconds({}, now) is None


@pytest.mark.parametrize("text", ["20/s", "20/second", "1200 per minute", "10/minute"])
def test_rates_are_read_in_the_usual_notations(text):
    assert parse_rate(text).amount in (20, 1200, 10)


def test_an_unreadable_rate_is_refused():
    with pytest.raises(ValueError):
        parse_rate("vingt par seconde")
