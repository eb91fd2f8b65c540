"""The « Coulisses » panel: every protocol step of the journey, redacted, only when switched on."""

import re

import pytest

from tests.browser import Browser
from tests.journeys import login
from tests.test_journey import accept


@pytest.fixture
def demo_like_app(make_journey_app):
    return make_journey_app(COULISSES="1")


def test_the_panel_tells_each_protocol_step_with_credentials_redacted(demo_like_app):
    browser = Browser(demo_like_app.test_client())
    page = accept(browser, login(browser))
    titles = re.findall(r'<p class="fr-text--bold fr-mb-1v">[\d:]+ · ([^<]+)</p>', page.text)
    assert titles == [  # newest first
        "Consentement enregistré",
        "API Particulier : quotient_familial",
        "Jeton d’identité vérifié",
        "Échange du code contre les jetons",
        "Demande d’autorisation FranceConnect : données des administrations (API Particulier, DGFiP)",
        "Userinfo vérifié (JWT signé)",
        "Jeton d’identité vérifié",
        "Échange du code contre les jetons",
        "Demande d’autorisation FranceConnect : identité",
    ]
    authorize = next(u for u in browser.requested if "/authorize" in u)
    state = authorize.split("state=")[1].split("&")[0]
    assert state not in page.text and state[:6] + "…" in page.text
    assert "/v3/dss/quotient_familial/france_connect" in page.text and "X-Request-ID" in page.text
    assert "docs.partenaires.franceconnect.gouv.fr" in page.text
    browser.close()


def test_the_panel_is_off_by_default_outside_the_demo(make_app, fc_sim):
    app = make_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")
    browser = Browser(app.test_client())
    assert "Coulisses" not in login(browser).text
    browser.close()


def test_the_panel_tells_the_dgfip_call_too(make_dgfip_app):
    browser = Browser(make_dgfip_app(COULISSES="1").test_client())
    page = browser.submit(login(browser, "nom_composé"), "/consentement", button="Récupérer mes données",
                          accept="yes", source_revenu_fiscal="yes")
    page = browser.submit(page, "", button="Continuer")
    titles = re.findall(r'<p class="fr-text--bold fr-mb-1v">[\d:]+ · ([^<]+)</p>', page.text)
    assert "API Impôt particulier (DGFiP) : revenu_fiscal" in titles and "API Particulier : quotient_familial" in titles
    assert "X-Correlation-ID" in page.text and "api.gouv.fr/les-api/impot-particulier" in page.text
    browser.close()


def test_the_panel_tells_the_steps_of_the_way_in_without_franceconnect(make_app):
    from demarche.extensions import db
    from demarche.models import OutboxMessage
    from tests.conftest import SERVICE_URL

    app = make_app(COULISSES="1")
    browser = Browser(app.test_client())
    page = browser.submit(browser.get(f"{SERVICE_URL}/connexion-par-courriel"), "/connexion-par-courriel",
                          email="claire@exemple.fr")
    with app.app_context():
        code = re.search(r"\b(\d{6})\b", db.session.scalar(db.select(OutboxMessage.body))).group(1)
    page = browser.submit(page, "/code", code=code)
    page = browser.get(f"{SERVICE_URL}/demarches/cantine/identite")
    page = browser.submit(page, "/identite", action="continuer", nom_naissance="MARTIN", prenom_1="Claire",
                          sexe="F", date_naissance="12/05/1984", lieu="france", commune_nom="Tours")
    titles = re.findall(r'<p class="fr-text--bold fr-mb-1v">[\d:]+ · ([^<]+)</p>', page.text)
    assert titles == ["Consentement enregistré", "Identité déclarée (non certifiée)",
                      "Code accepté : compte par courriel ouvert", "Code de connexion envoyé par courriel"]
    assert "37261" in page.text and code not in page.text and "claire@exemple.fr" not in page.text.split(
        "Coulisses de la démonstration")[1]
    browser.close()
