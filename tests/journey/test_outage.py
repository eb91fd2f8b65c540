"""During a provider outage (its circuit open), a citizen who accepts goes straight to the form with the
outage's message: no FranceConnect round trip for data that could not be fetched, no call to the provider.
When only one of the chosen providers is down, the round trip still brings the other's data."""

from __future__ import annotations

import httpx

from demarche.extensions import db
from demarche.models import ConsentRecord
from demarche.resilience import guard_for
from tests.browser import Browser
from tests.journeys import login

DOWN = "ne répond pas pour le moment"


def open_circuit(app, provider: str) -> None:
    with app.app_context():
        guard_for(provider).breaker.open()


def provider_calls(sim) -> int:
    return len(httpx.get(f"{sim.url}/_sim/requests").json())


def test_with_api_particulier_down_the_citizen_gets_the_form_at_once(make_journey_app, ap_sim):
    app = make_journey_app()
    open_circuit(app, "api_particulier")
    browser = Browser(app.test_client())
    page = login(browser)
    browser.requested.clear()
    page = browser.submit(page, "/consentement", button="Récupérer mes données", accept="yes")
    browser.close()
    assert page.url.endswith("/demarches/cantine/formulaire") and page.status == 200
    assert DOWN in page.text
    assert not [url for url in browser.requested if "/authorize" in url]  # no FranceConnect round trip
    assert provider_calls(ap_sim) == 0
    with app.app_context():
        consent = db.session.scalars(db.select(ConsentRecord)).one()
        assert (consent.decision, consent.outcome) == ("accepted", "unavailable")


def test_with_only_api_particulier_down_the_dgfip_is_still_asked(make_dgfip_app, dgfip_sim, ap_sim):
    app = make_dgfip_app()
    open_circuit(app, "api_particulier")
    browser = Browser(app.test_client())
    page = login(browser)
    page = browser.submit(page, "/consentement", button="Récupérer mes données", accept="yes",
                          source_quotient_familial="yes", source_revenu_fiscal="yes")
    if "/api/v2/interaction/" in page.url:
        page = browser.submit(page, "", button="Continuer")
    browser.close()
    assert any("/authorize" in url for url in browser.requested)
    assert page.url.endswith("/demarches/cantine/formulaire") and DOWN in page.text
    assert provider_calls(ap_sim) == 0 and provider_calls(dgfip_sim.default) > 0
