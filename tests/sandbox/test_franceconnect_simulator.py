"""The FranceConnect v2 simulator over real HTTP, against shared/docs/franceconnect.md (§ cited per test)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from pathlib import Path

import pytest
from joserfc.errors import BadSignatureError, InvalidKeyIdError

from demarche.config import DEMO_FC_CLIENT_ID
from demarche.devserver import serve
from demarche.sandbox import franceconnect
from demarche.sandbox.fc_identities import CSV_PATH
from tests.sandbox.conftest import CLIENT_A, CLIENT_B, DATA_PROVIDER, SLOW_SECONDS, Browser, callback

SPECS = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs"
FULL_PIVOT = "openid identite_pivot idp_birthdate"


# --- discovery and keys (§1.2, §1.3) ------------------------------------------------------------


def test_discovery_mirrors_the_real_sandbox(browser: Browser):
    doc = browser.http.get("/api/v2/.well-known/openid-configuration").json()
    issuer = browser.issuer
    assert doc["issuer"] == issuer
    assert doc["authorization_endpoint"] == f"{issuer}/authorize"
    assert doc["token_endpoint"] == f"{issuer}/token"
    assert doc["userinfo_endpoint"] == f"{issuer}/userinfo"
    assert doc["end_session_endpoint"] == f"{issuer}/session/end"
    assert doc["jwks_uri"] == f"{issuer}/jwks"
    assert doc["revocation_endpoint"] == f"{issuer}/token/revocation"
    assert doc["acr_values_supported"] == ["eidas1"]
    assert doc["subject_types_supported"] == ["pairwise"]
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_post", "private_key_jwt"]
    assert set(doc["id_token_signing_alg_values_supported"]) == {"HS256", "ES256", "RS256"}
    assert set(doc["userinfo_signing_alg_values_supported"]) == {"HS256", "ES256", "RS256"}
    assert doc["response_modes_supported"] == ["form_post", "fragment", "query"]
    assert (doc["claims_parameter_supported"], doc["request_parameter_supported"]) == (True, False)
    assert doc["request_uri_parameter_supported"] and doc["require_request_uri_registration"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert {"identite_pivot", "email", "cnaf_quotient_familial", "mesri_admission"} <= set(
        doc["scopes_supported"])
    assert {"given_name", "given_name_array", "birthcountry", "cnaf_enfants"} <= set(doc["claims_supported"])
    assert doc["claim_types_supported"] == ["normal"]


def test_jwks_has_one_p256_key_and_one_rsa_key_and_no_private_part(browser: Browser):
    keys = browser.http.get("/api/v2/jwks").json()["keys"]
    by_type = {key["kty"]: key for key in keys}
    assert len(keys) == 2 and set(by_type) == {"EC", "RSA"}
    assert by_type["EC"]["crv"] == "P-256" and by_type["EC"]["kid"].startswith("sim:ES256:")
    assert by_type["RSA"]["kid"].startswith("sim:RS256:")
    assert len(base64.urlsafe_b64decode(by_type["RSA"]["n"] + "==")) * 8 == 2048
    assert not any("d" in key for key in keys)


# --- the whole journey (§2.4, §3, §4, §5, §7) -------------------------------------------------


def test_full_login_gives_a_verified_id_token_and_userinfo(browser: Browser):
    nonce = "n" * 40
    amr = '{"id_token":{"amr":{"essential":true}}}'
    params = browser.login("test", nonce=nonce, state="s" * 40, claims=amr)
    assert params["state"] == "s" * 40 and params["iss"] == browser.issuer and len(params["code"]) >= 43
    tokens = browser.token(params["code"]).json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 60
    assert tokens["scope"] == "openid identite_pivot email"
    header, claims = browser.verify(tokens["id_token"])
    assert header["typ"] == "JWT" and header["kid"].startswith("sim:ES256:")
    assert claims["iss"] == browser.issuer and claims["aud"] == CLIENT_A["client_id"]
    assert claims["nonce"] == nonce and claims["acr"] == "eidas1" and claims["amr"] == ["pwd"]
    assert claims["exp"] - claims["iat"] == 60 and claims["auth_time"] <= claims["iat"]
    assert len(claims["sub"]) == 66 and claims["sub"].endswith("v1")

    response = browser.userinfo(tokens["access_token"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/jwt"
    _, info = browser.verify(response.text)
    assert info["sub"] == claims["sub"] and info["iss"] == browser.issuer
    assert info["aud"] == CLIENT_A["client_id"]
    assert info["given_name"] == "Angela Claire Louise"
    assert info["given_name_array"] == ["Angela", "Claire", "Louise"]
    assert (info["family_name"], info["birthdate"], info["gender"]) == ("DUBOIS", "1962-08-24", "female")
    assert (info["birthplace"], info["birthcountry"]) == ("75107", "99100")
    assert info["email"] == "wossewodda-3728@yopmail.com"
    assert "preferred_username" not in info  # not in identite_pivot in v2 (§7.1)


def test_amr_is_only_sent_when_requested(browser: Browser):
    _, claims = browser.verify(browser.tokens()["id_token"])
    assert "amr" not in claims


def test_client_registered_for_rs256_gets_rs256_tokens(browser: Browser):
    tokens = browser.tokens(client=CLIENT_B)
    header, claims = browser.verify(tokens["id_token"], algorithms=("RS256",))
    assert header["alg"] == "RS256" and claims["aud"] == CLIENT_B["client_id"]
    browser.verify(browser.userinfo(tokens["access_token"]).text, algorithms=("RS256",))


def test_code_can_be_used_once_and_a_replay_revokes_its_token(browser: Browser):
    code = browser.login()["code"]
    first = browser.token(code)
    replay = browser.token(code)
    assert replay.status_code == 400
    body = replay.json()
    assert body["error"] == "invalid_grant" and "already consumed" in body["error_description"]
    assert body["error_uri"].startswith("https://docs.partenaires.franceconnect.gouv.fr/")
    assert browser.userinfo(first.json()["access_token"]).status_code == 401


def test_unknown_code_is_invalid_grant(browser: Browser):
    response = browser.token("not-a-code")
    assert response.status_code == 400
    assert response.json()["error_description"] == "grant request is invalid (authorization code not found)"


def test_code_older_than_30_seconds_is_invalid_grant(browser: Browser):
    code = browser.login()["code"]
    browser.control("clock", {"advance": 31})
    response = browser.token(code)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_redirect_uri_at_token_must_be_the_authorize_one(browser: Browser):
    code = browser.login()["code"]
    response = browser.token(code, redirect_uri=CLIENT_A["redirect_uris"][1])
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("how", ["basic", "wrong_secret", "other_client"])
def test_token_needs_client_secret_post(browser: Browser, how: str):
    code = browser.login()["code"]
    if how == "basic":
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": CLIENT_A["redirect_uris"][0]}
        response = browser.http.post("/api/v2/token", data=form,
                                     auth=(CLIENT_A["client_id"], CLIENT_A["client_secret"]))
    elif how == "wrong_secret":
        response = browser.token(code, client_secret="wrong")
    else:
        response = browser.token(code, client_id=CLIENT_B["client_id"],
                                 client_secret=CLIENT_B["client_secret"])
    expected = (400, "invalid_grant") if how == "other_client" else (401, "invalid_client")
    assert (response.status_code, response.json()["error"]) == expected


def test_pkce_s256_is_checked_when_a_challenge_was_sent(browser: Browser):
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = browser.login(code_challenge=challenge, code_challenge_method="S256")["code"]
    assert browser.token(code).status_code == 400
    code = browser.another().login(code_challenge=challenge, code_challenge_method="S256")["code"]
    assert browser.token(code, code_verifier=verifier).status_code == 200


def test_access_token_expires_after_60_seconds(browser: Browser):
    access_token = browser.tokens()["access_token"]
    browser.control("clock", {"advance": 61})
    response = browser.userinfo(access_token)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_userinfo_takes_the_token_from_the_header_only(browser: Browser):
    access_token = browser.tokens()["access_token"]
    response = browser.http.get("/api/v2/userinfo", params={"access_token": access_token})
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"


def test_revoked_token_no_longer_works_and_only_its_client_may_revoke_it(browser: Browser):
    access_token = browser.tokens()["access_token"]
    form = {"token": access_token, "client_id": CLIENT_B["client_id"],
            "client_secret": CLIENT_B["client_secret"]}
    assert browser.http.post("/api/v2/token/revocation", data=form).status_code == 200
    assert browser.userinfo(access_token).status_code == 200
    form |= {"client_id": CLIENT_A["client_id"], "client_secret": CLIENT_A["client_secret"]}
    assert browser.http.post("/api/v2/token/revocation", data=form).status_code == 200
    assert browser.userinfo(access_token).status_code == 401


# --- /authorize checks (§2.1, §2.2) --------------------------------------------------------------


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


# --- the citizen's screens (§2.3, §2.4, §8.1) ----------------------------------------------------


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


# --- claims and identities (§7) ------------------------------------------------------------------


@pytest.mark.parametrize(("login", "birthdate", "raw"), [
    ("étranger_présumé_né_jour", "1992-11-01", "1992-11-00"),
    ("étranger_présumé_né_jour_et_mois", "1992-01-01", "1992-00-00"),
])
def test_presumed_birthdates(browser: Browser, login: str, birthdate: str, raw: str):
    _, info = browser.verify(browser.userinfo(browser.tokens(login, scope=FULL_PIVOT)["access_token"]).text)
    assert (info["birthdate"], info["idp_birthdate"]) == (birthdate, raw)
    assert (info["birthplace"], info["birthcountry"]) == ("", "99217")


@pytest.mark.parametrize(("login", "country"), [("naissance_Algérie", "99352"),
                                                ("naissance_etranger_birthplace_cog", "99352")])
def test_born_abroad_has_an_empty_birthplace(browser: Browser, login: str, country: str):
    _, info = browser.verify(browser.userinfo(browser.tokens(login, scope=FULL_PIVOT)["access_token"]).text)
    assert (info["birthplace"], info["birthcountry"]) == ("", country)


@pytest.mark.parametrize("login", ["mois_00", "sans_prenom", "sans_genre", "sans_birthplace"])
def test_identities_franceconnect_refuses_go_back_with_access_denied(browser: Browser, login: str):
    params = browser.login(login)
    assert params["error"] == "access_denied" and "code" not in params


def test_empty_email_and_usage_name_are_left_out(browser: Browser):
    scope = "openid email preferred_username"
    _, info = browser.verify(browser.userinfo(browser.tokens("sans_mail", scope=scope)["access_token"]).text)
    assert "email" not in info and info["preferred_username"] == "DUFOUR"
    other = browser.another()
    _, info = other.verify(other.userinfo(other.tokens("test", scope=scope)["access_token"]).text)
    assert "preferred_username" not in info and info["email"]


def test_pairwise_sub_is_stable_for_a_client_and_differs_between_clients(start_fc):
    browser = start_fc(FC_SIM_SECRET="known-secret")
    sub_a1 = browser.verify(browser.tokens()["id_token"])[1]["sub"]
    sub_a2 = browser.verify(browser.another().tokens()["id_token"])[1]["sub"]
    sub_b = browser.verify(browser.another().tokens(client=CLIENT_B)["id_token"], ("RS256",))[1]["sub"]
    assert sub_a1 == sub_a2 != sub_b
    pivot = "Angela Claire LouiseDUBOIS1962-08-24female7510799100"
    identity_hash = base64.b64encode(hashlib.sha256(pivot.encode()).digest()).decode()
    expected = hashlib.sha256(f"{CLIENT_A['client_id']}{identity_hash}known-secret".encode()).hexdigest()
    assert sub_a1 == expected + "v1"


# --- logout (§6) ---------------------------------------------------------------------------------


def test_session_end_checks_the_post_logout_redirect_uri_then_goes_back_with_state(browser: Browser):
    id_token = browser.tokens()["id_token"]
    refused = browser.http.get("/api/v2/session/end", params={
        "id_token_hint": id_token, "state": "x" * 32, "post_logout_redirect_uri": "https://evil.example/"})
    assert refused.status_code == 400 and "location" not in refused.headers
    browser.control("clock", {"advance": 3600})  # an expired id_token is still a valid hint
    response = browser.http.get("/api/v2/session/end", params={
        "id_token_hint": id_token, "state": "x" * 32,
        "post_logout_redirect_uri": CLIENT_A["post_logout_redirect_uris"][0]})
    assert response.status_code == 303
    assert response.headers["location"] == f"{CLIENT_A['post_logout_redirect_uris'][0]}?state={'x' * 32}"
    browser.control("clock", {"reset": True})
    assert "impots.gouv.fr" in browser.start().text  # the simulator's session is over


@pytest.mark.parametrize("hint", ["", "not.a.jwt", "forged"])
def test_session_end_needs_an_id_token_this_simulator_signed(browser: Browser, hint: str):
    if hint == "forged":
        browser.control("next-id-token", {"alg": "none"})
        hint = browser.tokens()["id_token"]
    response = browser.http.get("/api/v2/session/end", params={"id_token_hint": hint})
    assert response.status_code == 400 and "location" not in response.headers


# --- checktoken for data providers (§9) ----------------------------------------------------------


def test_checktoken_gives_the_identity_and_the_data_providers_scopes(browser: Browser):
    scope = "openid identite_pivot cnaf_quotient_familial cnaf_enfants cnaf_adresse"
    tokens = browser.tokens("avec_nom_dusage", scope=scope)
    form = {"token": tokens["access_token"], "client_id": DATA_PROVIDER["client_id"],
            "client_secret": DATA_PROVIDER["client_secret"]}
    body = browser.http.post("/api/v2/checktoken", data=form).json()
    assert body["active"] is True and body["aud"] == CLIENT_A["client_id"] and body["acr"] == "eidas1"
    assert body["scope"] == "cnaf_quotient_familial cnaf_enfants"
    assert body["sub"] != browser.verify(tokens["id_token"])[1]["sub"] and body["sub"].endswith("v1")
    assert (body["given_name"], body["family_name"]) == ("Pierre", "MERCIER")
    assert body["preferred_username"] == "DUBOIS"
    assert (body["birthdate"], body["birthplace"], body["birthcountry"]) == ("1969-03-17", "95277", "99100")
    assert body["exp"] - body["iat"] == 60 and body["jti"]
    browser.control("clock", {"advance": 61})
    assert browser.http.post("/api/v2/checktoken", data=form).json() == {"active": False}
    unknown = browser.http.post("/api/v2/checktoken", data=form | {"token": "unknown"})
    assert unknown.json() == {"active": False}
    refused = browser.http.post("/api/v2/checktoken", data=form | {"client_secret": "wrong"})
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")


# --- failures (§2.4) -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["server_error", "temporarily_unavailable"])
def test_global_failure_switch_sends_authorize_back_with_the_error(start_fc, mode: str):
    browser = start_fc(FC_SIM_FAILURE=mode)
    params = callback(browser.authorize(state="s" * 32))
    assert (params["error"], params["state"], params["iss"]) == (mode, "s" * 32, browser.issuer)
    browser.control("failure", {"mode": ""})
    assert browser.authorize().headers["location"].startswith("/api/v2/interaction/")


@pytest.mark.parametrize(("login", "error"), [("panne_franceconnect", "server_error"),
                                              ("indisponible", "temporarily_unavailable")])
def test_failure_identities(browser: Browser, login: str, error: str):
    assert browser.login(login)["error"] == error


@pytest.mark.parametrize("how", ["identity", "switch"])
def test_slow_token_response(browser: Browser, how: str):
    if how == "switch":
        browser.control("failure", {"mode": "slow"})
    code = browser.login("lent" if how == "identity" else "test")["code"]
    started = time.monotonic()
    assert browser.token(code).status_code == 200
    assert time.monotonic() - started >= SLOW_SECONDS


# --- test controls -------------------------------------------------------------------------------


def test_next_id_token_tampering_applies_once(browser: Browser):
    browser.control("next-id-token", {"set": {"nonce": "other"}, "remove": ["acr"]})
    _, tampered = browser.verify(browser.tokens()["id_token"])
    assert tampered["nonce"] == "other" and "acr" not in tampered
    _, normal = browser.verify(browser.another().tokens()["id_token"])
    assert normal["nonce"] != "other" and normal["acr"] == "eidas1"


def test_next_id_token_signature_tampering(browser: Browser):
    browser.control("next-id-token", {"alg": "none"})
    unsigned = browser.tokens()["id_token"]
    assert unsigned.endswith(".") and unsigned.count(".") == 2
    browser.control("next-id-token", {"corrupt_signature": True})
    with pytest.raises(BadSignatureError):
        browser.verify(browser.another().tokens()["id_token"])
    browser.control("next-id-token", {"sign_with_unknown_key": True})
    with pytest.raises(InvalidKeyIdError):
        browser.verify(browser.another().tokens()["id_token"])
    browser.control("next-id-token", {"alg": "HS256", "header": {"x5u": "https://evil.example/"}})
    signing_input, _, signature = browser.another().tokens()["id_token"].rpartition(".")
    # HS256 is signed with the client secret, as in v1 (§4)
    mac = hmac.new(CLIENT_A["client_secret"].encode(), signing_input.encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64encode(mac).rstrip(b"=").decode() == signature


def test_next_userinfo_tampering(browser: Browser):
    browser.control("next-userinfo", {"set": {"sub": "someone-else"}, "remove": ["given_name"]})
    _, info = browser.verify(browser.userinfo(browser.tokens()["access_token"]).text)
    assert info["sub"] == "someone-else" and "given_name" not in info
    browser.control("next-userinfo", {"corrupt_signature": True})
    with pytest.raises(BadSignatureError):
        browser.verify(browser.userinfo(browser.another().tokens()["access_token"]).text)


def test_tampering_requests_are_checked(browser: Browser):
    assert browser.http.post("/_sim/next-id-token", json={"alg": "PS512"}).status_code == 400
    assert browser.http.post("/_sim/next-id-token", json={"unknown": 1}).status_code == 400
    assert browser.http.post("/_sim/failure", json={"mode": "broken"}).status_code == 400
    assert browser.http.post("/_sim/clock", json={"advance": "soon"}).status_code == 400


def test_rotate_keys_replaces_the_jwks(browser: Browser):
    old_token = browser.tokens()["id_token"]
    old_kids = {key["kid"] for key in browser.http.get("/api/v2/jwks").json()["keys"]}
    new_kids = set(browser.control("rotate-keys").json()["kids"])
    assert {key["kid"] for key in browser.http.get("/api/v2/jwks").json()["keys"]} == new_kids
    assert not new_kids & old_kids
    with pytest.raises(InvalidKeyIdError):
        browser.verify(old_token)


def test_request_log_shows_what_was_called(browser: Browser):
    browser.tokens()
    paths = [entry["path"] for entry in browser.http.get("/_sim/requests").json()]
    assert "/api/v2/token" in paths and "/api/v2/userinfo" not in paths
    assert browser.http.delete("/_sim/requests").status_code == 204
    assert browser.http.get("/_sim/requests").json() == []


def test_reset_forgets_codes_and_sessions(browser: Browser):
    code = browser.login()["code"]
    browser.control("reset")
    assert browser.token(code).status_code == 400
    assert "impots.gouv.fr" in browser.start().text


def test_controls_can_be_turned_off(start_fc):
    assert start_fc(FC_SIM_TEST_CONTROLS="0").http.post("/_sim/reset", json={}).status_code == 404


# --- configuration and data ----------------------------------------------------------------------


def test_default_registry_knows_the_demo_service(monkeypatch):
    monkeypatch.setenv("FC_SIM_SERVICE_URL", "http://127.0.0.1:5999")
    server = serve(lambda url: franceconnect.create_app({"FC_SIM_PUBLIC_URL": url}))
    try:
        browser = Browser(server)
        for path in ("callback", "data-callback"):
            uri = f"http://127.0.0.1:5999/franceconnect/{path}"
            scope = "openid identite_pivot email cnaf_quotient_familial mesri_admission"
            demo = {"client_id": DEMO_FC_CLIENT_ID, "redirect_uris": [uri]}
            response = browser.authorize(demo, scope=scope)
            assert response.status_code == 303, response.text
        assert "Démarche (démonstration)" in browser.http.get(response.headers["location"]).text
        browser.close()
    finally:
        server.stop()


def test_packaged_identities_are_a_verbatim_copy_of_the_shared_csv():
    shared = SPECS / "franceconnect-test-identities.csv"
    if not SPECS.is_dir():
        pytest.skip(f"{SPECS} is absent: shared/specs sits beside the repository in the project workspace "
                    "and in CI's clone")
    assert CSV_PATH.read_bytes() == shared.read_bytes()
