"""The pacer on the real Redis (a key prefix per test): both limits hold across processes, a 429 pauses every
caller, and it fails closed: without Redis a process calls at its local share, never faster, even while the
others still reach Redis."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

import pytest

from demarche.resilience.errors import QuotaExceeded
from demarche.resilience.pacer import Limit, Pacer
from demarche.resilience.quota import Quota, limit
from demarche.resilience.store import redis_client
from tests.resilience.conftest import REDIS_URL
from tests.tasks.fixtures import closed_port

DEAD_REDIS = f"redis://127.0.0.1:{closed_port()}/0"


@pytest.fixture
def pacers(redis_prefix):
    """pacers(limits, n, url=REDIS_URL, **kw): n pacers, each with its own client, like n processes."""
    clients = []

    def make(limits, count=2, url=REDIS_URL, **kwargs):
        made = []
        for _ in range(count):
            clients.append(redis_client(url))
            made.append(Pacer("ap", limits, client=clients[-1], prefix=redis_prefix, **kwargs))
        return made

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def private_redis():
    """A Redis server of this test only, which the test may stop (redis-server from the system)."""
    binary = shutil.which("redis-server") or pytest.skip("no redis-server on this machine")
    port = closed_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],  # noqa: S603
                              stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis_client(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except Exception:  # noqa: BLE001 - not up yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    client.close()
    yield url, server
    server.kill()
    server.wait()


def hammer(pacers_and_tokens, seconds: float) -> list[float]:
    """Every (pacer, token) asks for turns as fast as it is told it may, for `seconds`; the granted times."""
    granted, lock, stop = [], threading.Lock(), time.monotonic() + seconds

    def run(pacer, token):
        while time.monotonic() < stop:
            turn = pacer.take(token)
            if turn.allowed:
                with lock:
                    granted.append(time.monotonic())
            else:
                time.sleep(min(turn.wait, max(0.0, stop - time.monotonic())))

    threads = [threading.Thread(target=run, args=pair) for pair in pacers_and_tokens for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(granted)


def most_in_any_window(times: list[float], period: float) -> int:
    """The largest number of calls inside any interval of `period` seconds, wherever it starts."""
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= period:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_the_per_token_limit_holds_across_processes(pacers):
    first, second = pacers([Limit("token", 10, 1.0)])
    granted = hammer([(first, "t"), (second, "t")], 2.0)
    assert most_in_any_window(granted, 1.0) <= 10  # margin 0.8: 8 paced by Redis, well under the limit
    assert len(granted) >= 8  # and the limit is used: about 8 per second (16 here; fewer on a loaded machine)
    other = hammer([(first, "u")], 0.3)  # another token has its own budget
    assert other


def test_the_per_ip_limit_holds_for_every_token_together(pacers):
    first, second = pacers([Limit("token", 100, 1.0), Limit("ip", 10, 1.0)])
    granted = hammer([(first, "a"), (second, "b"), (first, "c")], 2.0)
    assert most_in_any_window(granted, 1.0) <= 10 and len(granted) >= 8


def test_a_429_pauses_every_process_until_its_retry_after(pacers):
    first, second = pacers([Limit("token", 100, 1.0)])
    first.pause(1.5)
    turn = second.take("t")
    assert not turn.allowed and 0.5 < turn.wait <= 1.5
    first.pause(0.2)  # a shorter pause never shortens a longer one
    assert second.take("t").wait > 1.0


def test_without_redis_a_process_calls_at_its_local_share_only(pacers):
    [alone] = pacers([Limit("token", 20, 1.0)], count=1, url=DEAD_REDIS, callers=2)
    granted = hammer([(alone, "t")], 2.0)
    # (1 - 0.8) × 20 / 2 callers = 2 calls per second, not the 20 a per-process count would allow
    assert most_in_any_window(granted, 1.0) <= 3 and len(granted) >= 2
    assert not alone.take("t").shared


def test_redis_lost_by_one_process_only_still_never_exceeds_the_limit(pacers):
    """The issue's opening day: Redis too slow for some processes while the others still reach it."""
    reaching = pacers([Limit("token", 20, 1.0)], count=2)
    cut_off = pacers([Limit("token", 20, 1.0)], count=2, url=DEAD_REDIS, callers=4)
    granted = hammer([(p, "t") for p in reaching + cut_off], 3.0)
    assert most_in_any_window(granted, 1.0) <= 20


def test_a_pause_learnt_from_redis_holds_when_redis_stops(pacers, private_redis):
    url, server = private_redis
    [pacer, other] = pacers([Limit("token", 100, 1.0)], count=2, url=url)
    other.pause(1.5)
    assert not pacer.take("t").allowed  # read from Redis, and kept in the process
    server.kill()
    server.wait()
    turn = pacer.take("t")
    assert not turn.allowed and not turn.shared and turn.wait > 0.5


def test_redis_stopped_in_the_middle_of_a_burst_never_exceeds_the_limit(pacers, private_redis):
    url, server = private_redis
    everyone = pacers([Limit("token", 20, 1.0)], count=3, url=url, callers=3)
    stopper = threading.Timer(1.0, server.kill)
    stopper.start()
    granted = hammer([(p, "t") for p in everyone], 3.0)
    stopper.join()
    assert most_in_any_window(granted, 1.0) <= 20
    assert not everyone[0].take("t").shared


def test_the_quota_waits_a_short_turn_and_refuses_a_long_one(pacers):
    [pacer] = pacers([Limit("token", 5, 1.0)], count=1)
    quota = Quota("ap", pacer, max_wait=0.5)
    started = time.monotonic()
    for _ in range(3):  # 4 per second: a turn every 0.25 s, inside the wait allowed
        quota.acquire("t")
    assert 0.4 < time.monotonic() - started < 3.0
    pacer.pause(3)
    with pytest.raises(QuotaExceeded) as refused:
        quota.acquire("t")
    assert 2.5 < refused.value.retry_in <= 3


def test_without_redis_each_process_paces_at_its_part_of_the_margin():
    """Several processes without Redis (gunicorn workers each with the demo's queue) never add up to more."""
    alone = Pacer("ap", [Limit("token", 20, 1.0)], client=None, margin=0.8, callers=2)
    granted = hammer([(alone, "t")], 2.0)
    assert most_in_any_window(granted, 1.0) <= 9 and len(granted) >= 8  # 0.8 × 20 / 2 = 8 per second


def test_limits_are_read_from_the_settings_notation():
    assert limit("ip", "1000/minute") == Limit("ip", 1000, 60.0)
    assert limit("token", "20/second") == Limit("token", 20, 1.0)
