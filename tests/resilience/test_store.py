"""Both stores give the same answers: expiry, put-if-absent, counters with a window."""

import threading
import time

from demarche.resilience.store import FallbackStore, RedisStore, redis_client


def test_put_get_expiry_and_put_if_absent(store):
    assert store.put("a", "1", 150)
    assert not store.put("a", "2", 150, only_if_absent=True)
    assert store.get_many("a", "missing") == ["1", None]
    assert 0 < store.ttl_ms("a") <= 150
    time.sleep(0.2)
    assert store.get_many("a") == [None] and store.ttl_ms("a") == 0
    assert store.put("a", "3", 150, only_if_absent=True)


def test_counter_window_starts_at_the_first_count_and_remove(store):
    assert [store.count("n", 200) for _ in range(3)] == [1, 2, 3]
    time.sleep(0.25)
    assert store.count("n", 200) == 1
    store.remove("n")
    assert store.get_many("n") == [None]


def test_a_wait_ends_when_another_thread_notifies_not_at_its_timeout(store):
    """The waiting page's long poll: woken by the job's notice (BLPOP on Redis), not by polling."""
    woken_at = []
    waiter = threading.Thread(target=lambda: (store.wait("job", 8), woken_at.append(time.monotonic())))
    waiter.start()
    time.sleep(0.2)
    notified_at = time.monotonic()
    store.notify("job", 1000)
    waiter.join(timeout=10)
    assert woken_at and woken_at[0] - notified_at < 4  # far from the 8 s timeout: it was the notice
    began = time.monotonic()
    store.wait("other", 0.3)  # nobody notifies: the timeout
    assert 0.25 <= time.monotonic() - began < 4


def test_a_notice_given_before_the_wait_is_not_lost(store):
    store.notify("early", 1000)
    began = time.monotonic()
    store.wait("early", 8)
    assert time.monotonic() - began < 4


def test_with_redis_down_a_wait_still_waits_in_this_process_instead_of_spinning():
    """A dead Redis answers at once with an error: the wait falls back to this process, never a busy loop."""
    import redis

    dead = FallbackStore(RedisStore(redis_client("redis://127.0.0.1:9/0"), "dead"), (redis.RedisError, OSError))
    began = time.monotonic()
    dead.wait("job", 0.5)
    assert time.monotonic() - began >= 0.45
    waiter = threading.Thread(target=dead.wait, args=("job", 8))
    waiter.start()
    dead.notify("job", 1000)  # the embedded worker of this process, when Redis is down
    waiter.join(timeout=6)
    assert not waiter.is_alive()


def test_only_a_shared_store_that_answers_can_say_a_key_is_gone(store):
    """The waiting page's « lost with the queue »: Redis answering without the key; memory never knows."""
    store.put("queued", "1", 5000)
    assert store.gone_from_shared("queued") is False
    store.remove("queued")
    assert store.gone_from_shared("queued") is isinstance(store, (RedisStore, FallbackStore))


def test_with_redis_down_nothing_is_known_to_be_gone():
    import redis

    dead = FallbackStore(RedisStore(redis_client("redis://127.0.0.1:9/0"), "dead"), (redis.RedisError, OSError))
    assert dead.gone_from_shared("queued") is False  # not « gone »: unknown, and the page keeps waiting
