"""Fixtures of the hostile-input tests: a citizen logged in through the FranceConnect simulator (real HTTP),
a form to fill by hand (no provider call), and the back-office's agents (tests/backoffice/conftest.py)."""

from __future__ import annotations

import pytest

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from tests.backoffice.conftest import bo_app, browsers, make_bo_app, pc_sim, smtp_sink  # noqa: F401 - fixtures
from tests.browser import Browser, Page
from tests.journeys import login

CANTINE = {"manual_children-0-prenoms": "Léa", "manual_children-0-nom": "MARTIN",
           "manual_children-0-date_naissance": "2017-03-14", "quotient_familial": "520", "regime": "CNAF",
           "address": "3 rue des Écoles, 45000 Démarche-sur-Loire", "school": "jules-ferry",
           "days": ["lundi", "mardi"], "diet": "standard", "email": "lea.martin@example.fr"}
TRANSPORT = {"pass_type": "mensuel", "zone": "urbain", "echelon": "2", "etablissement": "Université d’Orléans",
             "c2s": "non", "email": "lea.martin@example.fr"}
VALID = {"cantine": CANTINE, "transport": TRANSPORT}


@pytest.fixture
def app(make_journey_app):
    return make_journey_app()


@pytest.fixture
def citizen(app):
    """A browser with a citizen session (FranceConnect simulator's « test » identity)."""
    browser = Browser(app.test_client())
    login(browser)
    yield browser
    browser.close()


def manual_form(browser: Browser, slug: str = "cantine") -> Page:
    """« Je préfère remplir moi-même »: the démarche's whole form, without any provider call."""
    consent = browser.get(f"http://localhost/demarches/{slug}/")
    return browser.submit(consent, "/consentement", button="Je préfère remplir moi-même")


def certified_form(browser: Browser) -> Page:
    """The canteen form with the CAF's certified children (the simulator's « test » family)."""
    consent = browser.get("http://localhost/demarches/cantine/")
    page = browser.submit(consent, "/consentement", button="Récupérer mes données", accept="yes")
    if "/api/v2/interaction/" in page.url:
        page = browser.submit(page, "", button="Continuer")
    return page


def stored(app) -> list[Dossier]:
    with app.app_context():
        return db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()
