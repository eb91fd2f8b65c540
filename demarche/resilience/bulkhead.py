"""A bulkhead: at most `limit` concurrent calls to one provider in this process, so a provider that
hangs holds a bounded share of the worker's threads and the rest (health checks included) go on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from demarche.resilience.errors import BulkheadFull


class Bulkhead:
    """A semaphore with a short bounded wait; beyond it, BulkheadFull (never an unbounded queue)."""

    def __init__(self, provider: str, limit: int, wait: float):
        self.provider = provider
        self.limit = limit
        self.wait = wait
        self._slots = threading.BoundedSemaphore(limit)

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._slots.acquire(timeout=self.wait):
            raise BulkheadFull(self.provider)
        try:
            yield
        finally:
            self._slots.release()
