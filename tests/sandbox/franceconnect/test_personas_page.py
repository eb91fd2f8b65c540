"""The FranceConnect simulator's personas page, and its one-click start of the service's journey."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from demarche_sandbox.api_particulier.personas import DEFAULT_FILE
from demarche_sandbox.franceconnect.personas import PERSONA_COOKIE
from tests.browser import Browser
from tests.journeys import start_login

# The people without FranceConnect (sans_fc_*) are found through the identite modality only: they have no
# FranceConnect login, so the FranceConnect simulator's page does not offer them.
SCENARIOS = {login: scenario
             for login, scenario in json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))["_scenarios"].items()
             if not login.startswith("sans_fc_")}


@pytest.fixture
def citizen(make_app, fc_sim):
    """A browser on the service and the FranceConnect simulator."""
    b = Browser(make_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2").test_client())
    yield b
    b.close()


def persona_form(html: str, login: str) -> str:
    """The HTML of the « Commencer le parcours » form of one persona."""
    forms = re.findall(r'<form method="get" action="/personas/commencer">(.*?)</form>', html, re.S)
    return next(form for form in forms if f'name="login" value="{login}"' in form)


def test_the_page_lists_every_scenario_in_french_with_the_dsfr(fc_sim):
    response = httpx.get(f"{fc_sim.url}/personas")
    html = response.text
    assert response.status_code == 200 and '<html lang="fr">' in html and "/static/dsfr/dsfr.min.css" in html
    assert "<h1>Identités de test</h1>" in html and "<code>123</code>" in html
    for login, scenario in SCENARIOS.items():
        assert f"<code>{login}</code>" in html and scenario.replace("'", "&#39;") in html
    for login in ("panne_franceconnect", "indisponible", "lent"):
        assert f"<code>{login}</code>" in html
    assert "server_error" in html and "temporarily_unavailable" in html
    for tag in ("mineur (", "né à l’étranger", "date de naissance présumée", "refusée par FranceConnect"):
        assert tag in html


def test_each_person_starts_the_demarche_that_fits_their_data(fc_sim):
    html = httpx.get(f"{fc_sim.url}/personas").text
    assert '<option value="transport" selected>' in persona_form(html, "moins_25_ans")  # Crous boursier
    assert '<option value="cantine" selected>' in persona_form(html, "test")  # CAF family
    assert "Commencer le parcours" in persona_form(html, "naissance_Maroc")


def test_starting_remembers_the_persona_and_opens_the_service(fc_sim):
    response = httpx.get(f"{fc_sim.url}/personas/commencer",
                         params={"login": "caractères_spéciaux", "demarche": "transport"})
    assert response.status_code == 303
    assert response.headers["location"] == "http://localhost/commencer?demarche=transport"
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith(f"{PERSONA_COOKIE}=caract%C3%A8res_sp%C3%A9ciaux;") and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("fc_sim_session=;") and "Path=/api/v2" in c for c in cookies)  # last person out


def test_an_unknown_persona_is_refused(fc_sim):
    response = httpx.get(f"{fc_sim.url}/personas/commencer", params={"login": "personne"})
    assert response.status_code == 404 and "Cette identité de test n’existe pas." in response.text


def test_the_provider_screen_links_to_the_personas_page(citizen):
    page = start_login(citizen)
    assert 'href="/personas"' in page.text


def test_one_click_then_a_login_screen_already_filled_in(citizen, fc_sim):
    home = citizen.get(f"{fc_sim.url}/personas/commencer?login=moins_25_ans&demarche=transport")
    assert home.url == "http://localhost/" and "Démarche choisie : <strong>Tarif réduit transports" in home.text
    page = citizen.submit(home, "/franceconnect/login")
    assert "Connexion avec impots.gouv.fr" in page.text  # the provider choice was skipped
    assert page.form("/login").fields["login"] == "moins_25_ans"
    assert page.form("/login").fields["password"] == "123"  # the public test password: buttons only
    page = citizen.submit(page, "/login")
    page = citizen.submit(page, "", button="Continuer")
    assert page.url == "http://localhost/demarches/transport/" and "Bonjour Paul CUILLERE" in page.text
    citizen.submit(citizen.get("http://localhost/mon-espace"), "/franceconnect/logout")
    assert "Je choisis un compte" in start_login(citizen).text  # the shortcut works once




def test_the_page_says_who_has_a_tax_household_and_which_demarche_uses_the_dgfip(fc_sim):
    html = httpx.get(f"{fc_sim.url}/personas").text
    melissandre = html[html.index("<code>nom_composé</code>"):html.index("<code>nom_composé</code>") + 1500]
    assert "DGFiP</span> Foyer fiscal au simulateur API Impôt particulier" in melissandre
    assert "INCONNUE de la CAF" in melissandre
    assert "Démarches qui l’utilisent : Inscription à la restauration" in melissandre
    assert '<option value="cantine" selected>' in persona_form(html, "nom_composé")  # her RFR prices the canteen
    hochon = html[html.index("<code>plusieurs_prénoms_2</code>"):html.index("<code>plusieurs_prénoms_2</code>") + 600]
    assert "homonyme" in hochon and "Foyer fiscal" not in hochon


def test_without_the_services_demarches_the_page_lets_the_service_ask():
    """FC_SIM_DEMARCHES unset (the simulator started alone): no list to go stale, the service asks instead."""
    from demarche_sandbox import franceconnect

    client = franceconnect.create_app({"FC_SIM_SERVICE_URL": "http://localhost"}).test_client()
    html = client.get("/personas").get_data(as_text=True)
    assert "Commencer le parcours" in persona_form(html, "moins_25_ans") and "<select" not in html
    assert "qui vous fera choisir la démarche" in html
    response = client.get("/personas/commencer", query_string={"login": "moins_25_ans", "demarche": "transport"})
    assert response.status_code == 303 and response.headers["location"] == "http://localhost/commencer"
