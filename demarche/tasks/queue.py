"""The Huey instance behind the task queue, and a consumer that can run inside the service's process.

With REDIS_URL, Redis is the broker and separate worker/scheduler processes consume it (flask tasks worker,
flask tasks scheduler). Without it the queue lives in the process: the tests run each job at once
(Huey's immediate mode), the demo and a single-process deployment run an embedded consumer thread.
Huey: https://huey.readthedocs.io/en/latest/
"""

from __future__ import annotations

import threading

from huey import Huey, MemoryHuey, RedisHuey
from huey.consumer import Consumer
from huey.storage import MemoryStorage
from redis import ConnectionPool

from demarche.config import Settings

# Short: a stopped broker must not hold a citizen's request (the outbox keeps the work, the relay retries).
CONNECT_TIMEOUT = 2
READ_TIMEOUT = 10  # above Huey's blocking read (1 s)
IDLE_WAIT = 1.0  # seconds an idle in-memory worker waits for a job before looking at the schedule again


def build(settings: Settings) -> Huey:
    """Redis when configured; otherwise in memory, immediate in the tests."""
    if settings.redis_url:
        pool = ConnectionPool.from_url(settings.redis_url, socket_connect_timeout=CONNECT_TIMEOUT,
                                       socket_timeout=READ_TIMEOUT)
        return RedisHuey(settings.tasks_queue, connection_pool=pool, results=False)
    return BlockingMemoryHuey(settings.tasks_queue, results=False,
                              immediate=settings.mode == "test" and settings.tasks_immediate)


class BlockingMemoryStorage(MemoryStorage):
    """Huey's in-memory queue, whose idle workers wait for the next job instead of polling it: a job starts
    as soon as it is enqueued (Huey's own MemoryStorage is polled, up to `max_delay` late), as with Redis' BRPOP.
    A citizen waiting for their data must not wait for a poll."""

    blocking = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._arrived = threading.Condition(self._lock)

    def enqueue(self, data, priority=None):
        with self._arrived:
            super().enqueue(data, priority)
            self._arrived.notify()

    def dequeue(self):
        with self._arrived:
            data = super().dequeue()
            if data is None:
                self._arrived.wait(timeout=IDLE_WAIT)
                data = super().dequeue()
            return data


class BlockingMemoryHuey(MemoryHuey):
    storage_class = BlockingMemoryStorage


class EmbeddedConsumer(Consumer):
    """A Huey consumer started from any thread: signals are left to the host process (gunicorn, the demo)."""

    def _set_signal_handlers(self) -> None:
        pass


def consumer(huey: Huey, *, workers: int, periodic: bool, embedded: bool = False) -> Consumer:
    """A consumer with thread workers (the jobs wait on the network, not the CPU) polling at least every second."""
    cls = EmbeddedConsumer if embedded else Consumer
    return cls(huey, workers=workers, periodic=periodic, worker_type="thread", max_delay=1.0,
               check_worker_health=not embedded, graceful_signal="TERM")
