"""The back-office's fixtures (ProConnect simulator, SMTP sink), and the service wired to every simulator."""

import pytest

from tests.backoffice.conftest import browsers, make_bo_app, pc_sim, smtp_sink  # noqa: F401


@pytest.fixture
def app(make_bo_app, fc_sim, ap_sim, smtp_sink):  # noqa: F811 - the fixtures imported above
    service = make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2", API_PARTICULIER_URL=ap_sim.url)
    service.extensions["test_mailbox"] = smtp_sink.mailbox  # where the codes arrive (the outbox erases them)
    return service
