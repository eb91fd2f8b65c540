"""The provider's back channel over real HTTP: /token, /userinfo, revocation and /checktoken."""


from __future__ import annotations

import base64
import hashlib

import pytest

from tests.sandbox.conftest import CLIENT_A, CLIENT_B, DATA_PROVIDER, Browser

FULL_PIVOT = "openid identite_pivot idp_birthdate"

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
    assert "preferred_username" not in info  # not in identite_pivot in v2


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
