"""Both stores give the same answers: expiry, put-if-absent, counters with a window."""

import time


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
