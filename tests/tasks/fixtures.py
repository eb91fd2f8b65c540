"""Fixtures of the queue tests: a Redis queue name per test, a real Huey consumer on it, the sample receiver
served over HTTP on loopback, and a helper that waits for what the worker does in the background."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Callable

import httpx
import pytest
import redis

from demarche.devserver import serve
from demarche.tasks import queue
from tests import servers

REDIS_URL = servers.redis_url()  # the one this run chose (tests/servers.py)
FAST_RETRIES = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)  # the real schedule's length, in seconds (tests can't wait a day)


def wait_for(condition: Callable[[], object], timeout: float = 20.0, what: str = "condition") -> object:
    """Poll until condition() is truthy; its value. Fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_env():
    """REDIS_URL, a queue name and a key prefix of this test only (the test identities' rate-limit counts
    would otherwise carry over between tests); its keys are deleted afterwards."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield {"REDIS_URL": REDIS_URL, "TASKS_QUEUE": name, "REDIS_KEY_PREFIX": name}
    client = redis.Redis.from_url(REDIS_URL)
    huey_name = name.replace("-", "")  # Huey keeps only [A-Za-z0-9_] of a queue's name in its keys
    keys = [f"huey.{kind}.{huey_name}" for kind in ("redis", "schedule", "results", "counters")]
    client.delete(*keys, *client.keys(f"huey.notify.{name}.*"), *client.scan_iter(f"*{name}:*"))
    client.close()


@pytest.fixture
def start_worker():
    """Start a real Huey consumer (thread workers) on an app's Redis queue; stopped at the end."""
    consumers = []

    def factory(app, workers: int = 2, periodic: bool = False):
        consumer = queue.consumer(app.extensions["tasks"].huey, workers=workers, periodic=periodic, embedded=True)
        consumer.start()
        consumers.append(consumer)
        return consumer

    yield factory
    for consumer in consumers:
        consumer.stop(graceful=True)


class Receiver:
    """The sandbox's sample receiver, served on a loopback port that can be stopped and started again."""

    def __init__(self, service_url: str = "http://127.0.0.1:9", token: str = "", port: int = 0):
        self.service_url, self.token = service_url, token
        self.port = port or closed_port()
        self.url = f"http://127.0.0.1:{self.port}/webhooks"
        self.app, self.server = None, None

    def start(self, secret: str = "") -> Receiver:
        """Serve it (built once, with the signing secret(s) it trusts: its memory survives a restart)."""
        from demarche_sandbox import receiver

        if self.app is None:
            self.app = receiver.create_app({"RECEIVER_WEBHOOK_SECRET": secret,
                                            "RECEIVER_SERVICE_URL": self.service_url,
                                            "RECEIVER_API_TOKEN": self.token})
        self.server = serve(lambda _url: self.app, port=self.port)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def events(self) -> list[dict]:
        """What it received and kept (deduplicated), read over HTTP while it runs."""
        return httpx.get(f"http://127.0.0.1:{self.port}/_sim/events").json()["events"]


@pytest.fixture
def receivers():
    """Make receivers (not started yet: their URL is known first); all stopped at the end."""
    made: list[Receiver] = []

    def factory(**kwargs) -> Receiver:
        made.append(Receiver(**kwargs))
        return made[-1]

    yield factory
    for receiver in made:
        receiver.stop()
