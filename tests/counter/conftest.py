"""The back-office's fixtures (ProConnect simulator, SMTP sink), shared with these tests."""

from tests.backoffice.conftest import browsers, make_bo_app, pc_sim, smtp_sink  # noqa: F401
