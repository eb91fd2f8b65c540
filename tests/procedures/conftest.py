"""The démarches' tests play the citizen's journey against the simulators (tests/conftest.py) and the agent's
side against the ProConnect simulator and the mail sink (the back-office's fixtures, shared here)."""

from __future__ import annotations

import pytest

from tests.backoffice.conftest import browsers, pc_sim, smtp_sink  # noqa: F401 - fixtures used by these tests
from tests.backoffice.factories import COMMUNE, MARIE, allow


@pytest.fixture
def make_full_app(make_journey_app, pc_sim, smtp_sink):  # noqa: F811 - the imported fixtures
    """A service app wired to every simulator: the citizen files a dossier, an agent reads and exports it."""

    def factory(modality: str = "france_connect", **extra):
        app = make_journey_app(modality, PROCONNECT_ISSUER=f"{pc_sim.url}/api/v2", SMTP_HOST="127.0.0.1",
                               SMTP_PORT=str(smtp_sink.port), **extra)
        allow(app, MARIE, COMMUNE)
        return app

    return factory
