"""Journey tests that need the queue: a Redis queue per test and a real Huey consumer on it."""

from tests.tasks.fixtures import redis_env, start_worker  # noqa: F401
