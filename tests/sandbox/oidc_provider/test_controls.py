"""Failure modes and the /_sim test controls of the provider."""


from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
from joserfc.errors import BadSignatureError, InvalidKeyIdError

from tests.sandbox.conftest import CLIENT_A, SLOW_SECONDS, Browser, callback

FULL_PIVOT = "openid identite_pivot idp_birthdate"

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
    # HS256 is signed with the client secret, as in FranceConnect v1
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
