"""Renewal tests: the same whole service as the correction tests (simulators, ProConnect, SMTP sink)."""

from tests.backoffice.conftest import browsers, make_bo_app, pc_sim, smtp_sink  # noqa: F401
from tests.corrections.conftest import app  # noqa: F401
