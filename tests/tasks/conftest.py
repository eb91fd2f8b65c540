"""Queue tests: Redis queue per test, real consumer, sample receiver, mail sink."""

from tests.backoffice.conftest import smtp_sink  # noqa: F401
from tests.tasks.fixtures import receivers, redis_env, start_worker  # noqa: F401
