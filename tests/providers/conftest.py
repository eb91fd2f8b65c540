"""Fixtures of the providers' tests: the simulators over real HTTP and a client built for them."""

from __future__ import annotations

import pytest

from demarche.config import DEMO_API_PARTICULIER_TOKEN, DEMO_RECIPIENT_SIRET
from demarche.providers.api_particulier import ApiParticulierClient
from tests.sandbox import ap_conftest_helpers
from tests.sandbox.ap_conftest_helpers import FranceConnect

sim = ap_conftest_helpers.sim  # the shared simulator-factory fixture
# The DGFiP's fixtures, for the tests that fetch from both providers at once.
from tests.providers.impot_particulier.conftest import dgfip, ip_client  # noqa: E402, F401


@pytest.fixture
def client_for():
    """client_for(url, **options): an ApiParticulierClient with the demo token and SIRET, closed after."""
    clients = []

    def build(url: str, **options) -> ApiParticulierClient:
        options = {"recipient": DEMO_RECIPIENT_SIRET, "token": DEMO_API_PARTICULIER_TOKEN, "backoff": 0.05, **options}
        clients.append(ApiParticulierClient(url, **options))
        return clients[-1]

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def fc():
    """The FranceConnect simulator, to get citizens' access tokens."""
    franceconnect = FranceConnect()
    yield franceconnect
    franceconnect.close()
