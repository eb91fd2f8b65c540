"""The correction tests run the whole service: the citizen files through the FranceConnect and API Particulier
simulators, the agent logs in through the ProConnect simulator, e-mails go to a real SMTP sink."""

from __future__ import annotations

import re

import pytest

from tests.backoffice.conftest import browsers, make_bo_app, pc_sim, smtp_sink  # noqa: F401
from tests.browser import Browser
from tests.journeys import login

CHOICES = {"school": "jules-ferry", "days": ["lundi", "mardi"], "diet": "standard"}


@pytest.fixture
def app(make_bo_app, fc_sim, ap_sim):  # noqa: F811 - the imported fixture, requested by name
    return make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2", API_PARTICULIER_URL=ap_sim.url)


def consent(browser: Browser, page):
    """« Récupérer mes données », then FranceConnect's transmission screen."""
    page = browser.submit(page, "/consentement", button="Récupérer mes données", accept="yes")
    return browser.submit(page, "", button="Continuer") if "/api/v2/interaction/" in page.url else page


def file_dossier(browser: Browser, **choices) -> str:
    """A citizen logs in, accepts, ticks the first certified child and sends; the dossier's reference."""
    page = consent(browser, login(browser))
    receipt = browser.submit(page, "/formulaire", children=["0"], **{**CHOICES, **choices})
    assert "Votre demande a bien été envoyée" in receipt.text, receipt.text[:2000]
    return re.search(r"CAN-\d{4}-[A-Z0-9]{6}", receipt.text).group(0)


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
