"""Stores for the resilience tests: in memory, and on the real Redis with a prefix of the test's own."""

from __future__ import annotations

import uuid

import pytest

from demarche.resilience.store import MemoryStore, RedisStore, redis_client
from tests import servers

REDIS_URL = servers.redis_url()  # the one this run chose (tests/servers.py)


def redis_or_skip():
    import redis

    client = redis_client(REDIS_URL)
    try:
        client.ping()
    except (redis.RedisError, OSError):
        pytest.skip(f"Redis does not answer at {REDIS_URL} (TEST_REDIS_URL)")
    return client


@pytest.fixture
def redis_prefix():
    """A key prefix no other test (or engineer) uses; its keys are deleted afterwards."""
    client = redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["memory", "redis"])
def store(request):
    """Each behaviour is checked on both stores: they must answer alike."""
    if request.param == "memory":
        yield MemoryStore()
        return
    prefix = request.getfixturevalue("redis_prefix")
    client = redis_client(REDIS_URL)
    yield RedisStore(client, prefix)
    client.close()
