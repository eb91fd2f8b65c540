"""The home page lists every registered démarche; the citizen picks one before or after the FranceConnect login."""

import pytest

from demarche.procedures import PROCEDURES
from tests.browser import Browser
from tests.journeys import login_at_franceconnect, start_login


@pytest.fixture
def browser(make_app, fc_sim):
    b = Browser(make_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2").test_client())
    yield b
    b.close()


def test_home_lists_every_registered_demarche_with_a_start_link(client):
    html = client.get("/").get_data(as_text=True)
    assert len(PROCEDURES) >= 2
    for procedure in PROCEDURES.values():
        assert procedure.title in html and procedure.description in html
        assert f'href="/commencer?demarche={procedure.slug}"' in html
    assert "Démarche choisie" not in html


def test_a_demarche_picked_before_login_is_shown_and_kept_through_the_login(browser):
    home = browser.get("http://localhost/commencer?demarche=transport")
    assert home.url == "http://localhost/" and "Démarche choisie : <strong>Tarif réduit transports" in home.text
    page = login_at_franceconnect(browser, start_login(browser, "transport"))
    assert page.url == "http://localhost/demarches/transport/"


def test_a_login_without_a_choice_lands_on_the_space_that_lists_the_demarches(browser):
    page = login_at_franceconnect(browser, browser.submit(browser.get("http://localhost/"), "/franceconnect/login"))
    assert page.url == "http://localhost/mon-espace"
    assert all(p.title in page.text for p in PROCEDURES.values())
    started = browser.get("http://localhost/commencer?demarche=transport")  # picked after login
    assert started.url == "http://localhost/demarches/transport/" and "Ce qui va se passer" in started.text


def test_an_unknown_demarche_is_ignored(browser):
    home = browser.get("http://localhost/commencer?demarche=nulle-part")
    assert home.url == "http://localhost/" and "Démarche choisie" not in home.text


def test_the_personal_data_page_covers_every_demarche(client):
    html = client.get("/donnees-personnelles").get_data(as_text=True)
    for procedure in PROCEDURES.values():
        assert procedure.title in html and procedure.consent.retention in html
