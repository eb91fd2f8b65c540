"""The Huey instance behind the task queue, and a consumer that can run inside the service's process.

With REDIS_URL, Redis is the broker and separate worker/scheduler processes consume it (flask tasks worker,
flask tasks scheduler). Without it the queue lives in the process: the tests run each job at once
(Huey's immediate mode), the demo and a single-process deployment run an embedded consumer thread.
Huey: https://huey.readthedocs.io/en/latest/
"""

from __future__ import annotations

from huey import Huey, MemoryHuey, RedisHuey
from huey.consumer import Consumer
from redis import ConnectionPool

from demarche.config import Settings

# Short: a stopped broker must not hold a citizen's request (the outbox keeps the work, the relay retries).
CONNECT_TIMEOUT = 2
READ_TIMEOUT = 10  # above Huey's blocking read (1 s)


def build(settings: Settings) -> Huey:
    """Redis when configured; otherwise in memory, immediate in the tests."""
    if settings.redis_url:
        pool = ConnectionPool.from_url(settings.redis_url, socket_connect_timeout=CONNECT_TIMEOUT,
                                       socket_timeout=READ_TIMEOUT)
        return RedisHuey(settings.tasks_queue, connection_pool=pool, results=False)
    return MemoryHuey(settings.tasks_queue, results=False, immediate=settings.mode == "test")


class EmbeddedConsumer(Consumer):
    """A Huey consumer started from any thread: signals are left to the host process (gunicorn, the demo)."""

    def _set_signal_handlers(self) -> None:
        pass


def consumer(huey: Huey, *, workers: int, periodic: bool, embedded: bool = False) -> Consumer:
    """A consumer with thread workers (the jobs wait on the network, not the CPU) polling at least every second."""
    cls = EmbeddedConsumer if embedded else Consumer
    return cls(huey, workers=workers, periodic=periodic, worker_type="thread", max_delay=1.0,
               check_worker_health=not embedded, graceful_signal="TERM")
