"""/authorize checks and the person's screens (provider choice, login, transmission)."""


from __future__ import annotations

import pytest

from tests.sandbox.conftest import CLIENT_A, CLIENT_B, Browser, callback

FULL_PIVOT = "openid identite_pivot idp_birthdate"

@pytest.mark.parametrize(("params", "code"), [
    ({"client_id": "unknown"}, "Y04EA6EF"),
    ({"redirect_uri": "https://evil.example/callback"}, "Y04C013C"),
])
def test_unknown_client_or_redirect_uri_shows_an_error_page_never_a_redirect(browser, params, code):
    response = browser.authorize(**params)
    assert response.status_code == 400 and "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert code in response.text and "/static/dsfr/dsfr.min.css" in response.text


@pytest.mark.parametrize("params", [
    {"response_type": "token"}, {"state": None}, {"state": "s" * 21}, {"nonce": "n" * 21},
    {"scope": "identite_pivot email"}, {"acr_values": "eidas2"}, {"prompt": "none"}, {"claims": "{oops"},
])
def test_malformed_parameters_show_the_Y030007_page(browser: Browser, params: dict):
    response = browser.authorize(**params)
    assert response.status_code == 400 and "location" not in response.headers
    assert "Y030007" in response.text and "invalid_request" in response.text


def test_state_and_nonce_of_22_characters_pass_unless_strict(start_fc):
    assert start_fc().authorize(state="s" * 22, nonce="n" * 22).status_code == 303
    strict = start_fc(FC_SIM_STRICT="1")
    assert strict.authorize(state="s" * 22, nonce="n" * 32).status_code == 400
    assert strict.authorize(state="s" * 32, nonce="n" * 32).status_code == 303


def test_scope_beyond_the_clients_allowance_goes_back_with_invalid_scope(browser: Browser):
    scope = "openid identite_pivot cnaf_quotient_familial"
    response = browser.authorize(CLIENT_B, scope=scope, state="s" * 32)
    assert response.headers["location"].startswith(CLIENT_B["redirect_uris"][0] + "?")
    params = callback(response)
    assert params["error"] == "invalid_scope" and "cnaf_quotient_familial" in params["error_description"]
    assert params["state"] == "s" * 32 and params["iss"] == browser.issuer

def test_provider_choice_screen(browser: Browser):
    page = browser.start().text
    names = ("impots.gouv.fr", "ameli.fr", "l’Identité Numérique La Poste", "MSA", "MobileConnect et moi")
    assert all(name in page for name in names)
    assert "Revenir sur Service A" in page and "FranceConnect (simulateur)" in page
    assert "République<br>française" in page and "simulateur" in page and "<script" not in page


def test_cancel_goes_back_with_access_denied(browser: Browser):
    browser.start(state="s" * 32)
    response = browser.submit("abort")
    assert "error=access_denied&error_description=User+auth+aborted&state=" in response.headers["location"]
    params = callback(response)
    assert params["state"] == "s" * 32 and params["iss"] == browser.issuer


def test_wrong_password_shows_the_form_again_with_a_french_error(browser: Browser):
    browser.start()
    browser.submit("idp", idp="ameli")
    response = browser.submit("login", login="test", password="1234")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text and 'name="password"' in response.text
    assert "avec_nom_dusage" in response.text  # the test logins are listed


def test_another_provider_can_be_chosen_from_the_login_page(browser: Browser):
    browser.start()
    browser.submit("idp", idp="msa")
    assert "Connexion avec MSA" in browser.http.get(browser.interaction).text
    browser.submit("idp", idp="")
    assert "Je choisis un compte" in browser.http.get(browser.interaction).text


def test_forms_need_the_interactions_csrf_token(browser: Browser):
    browser.start()
    response = browser.http.post(f"{browser.interaction}/idp", data={"idp": "ameli", "csrf_token": "forged"})
    assert response.status_code == 400


def test_transmission_screen_lists_identity_and_data_in_french(browser: Browser):
    browser.start(scope="openid identite_pivot email cnaf_quotient_familial cnaf_enfants cnaf_adresse")
    browser.submit("idp", idp="impots-gouv")
    browser.submit("login", login="test", password="123")
    page = browser.http.get(browser.interaction).text
    for text in ("Angela Claire Louise", "24/08/1962", "Quotient familial (CAF ou MSA)", "Enfants", "Adresse",
                 "Continuer sur Service A"):
        assert text in page


def test_second_authorize_in_the_same_browser_skips_login(browser: Browser):
    first = browser.tokens(scope="openid identite_pivot")
    page = browser.start(scope="openid identite_pivot cnaf_quotient_familial",
                         redirect_uri=CLIENT_A["redirect_uris"][1])
    assert "Continuer sur Service A" in page.text and "Mot de passe" not in page.text
    code = callback(browser.submit("consent"))["code"]
    second = browser.token(code, redirect_uri=CLIENT_A["redirect_uris"][1]).json()
    _, claims_1 = browser.verify(first["id_token"])
    _, claims_2 = browser.verify(second["id_token"])
    assert claims_2["sub"] == claims_1["sub"] and claims_2["auth_time"] == claims_1["auth_time"]
    assert "impots.gouv.fr" in browser.start(CLIENT_B).text  # another client: a full login again
