"""providers.init_app builds the app's clients once and hands each its guard: a client works the same in a
request, in a task or outside any app context (HttpSession never reaches for current_app)."""

import logging

import httpx
import pytest

from demarche import resilience
from demarche.config import DEMO_API_PARTICULIER_TOKEN, DEMO_RECIPIENT_SIRET
from demarche.providers import clients
from demarche.providers.api_particulier import ApiParticulierClient, ProviderUnavailable
from demarche.providers.http import _RedactQueryString
from tests.providers.api_particulier.people import ANGELA


def test_the_clients_are_built_once_per_app_with_their_guard(make_journey_app, ap_sim):
    app = make_journey_app()
    built = app.extensions["providers"]
    assert isinstance(built.api_particulier, ApiParticulierClient) and built.impot_particulier is None
    with app.app_context():
        assert clients() is built
    resilience.guards(app).get("api_particulier").breaker.open()
    with pytest.raises(ProviderUnavailable):  # outside any app context: the guard came with the client
        built.api_particulier.quotient_familial(identity=ANGELA)
    assert httpx.get(f"{ap_sim.url}/_sim/requests").json() == []  # refused before the network


def test_a_client_used_on_its_own_is_unguarded_and_needs_no_app(ap_sim):
    with ApiParticulierClient(ap_sim.url, DEMO_RECIPIENT_SIRET, token=DEMO_API_PARTICULIER_TOKEN) as client:
        assert client.quotient_familial(identity=ANGELA).data.quotient_familial


def test_the_log_redaction_is_installed_by_init_app_not_at_import(make_journey_app):
    httpx_log = logging.getLogger("httpx")
    httpx_log.filters = [f for f in httpx_log.filters if not isinstance(f, _RedactQueryString)]
    make_journey_app()
    assert [f for f in httpx_log.filters if isinstance(f, _RedactQueryString)]
