"""Webhook tests use the queue's fixtures (tests/tasks/fixtures.py) and the back-office's (ProConnect, mail sink)."""

import pytest

from tests.backoffice.conftest import browsers, make_bo_app, pc_sim, smtp_sink  # noqa: F401
from tests.tasks.fixtures import receivers, redis_env, start_worker  # noqa: F401


@pytest.fixture
def bo_app(make_bo_app):  # noqa: F811 - the imported fixture, requested by name
    return make_bo_app()
