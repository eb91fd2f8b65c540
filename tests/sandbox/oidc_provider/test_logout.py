"""RP-initiated logout: /session/end."""


from __future__ import annotations

import pytest

from tests.sandbox.conftest import CLIENT_A, Browser

FULL_PIVOT = "openid identite_pivot idp_birthdate"

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
