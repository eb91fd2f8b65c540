"""A bulkhead lets `limit` calls through at once and refuses the next after its short wait."""

import threading
import time

import pytest

from demarche.resilience.bulkhead import Bulkhead
from demarche.resilience.errors import BulkheadFull


def test_beyond_the_limit_a_call_is_refused_after_the_bounded_wait_then_a_slot_frees():
    bulkhead, release, inside = Bulkhead("p", limit=2, wait=0.1), threading.Event(), threading.Barrier(3)

    def hold():
        with bulkhead.slot():
            inside.wait()
            release.wait()

    holders = [threading.Thread(target=hold) for _ in range(2)]
    for thread in holders:
        thread.start()
    inside.wait()
    started = time.monotonic()
    with pytest.raises(BulkheadFull), bulkhead.slot():
        pass
    assert 0.09 <= time.monotonic() - started < 2  # it waited its 0.1 s for a slot, then refused
    release.set()
    for thread in holders:
        thread.join()
    with bulkhead.slot(), bulkhead.slot():  # both slots are back
        pass
