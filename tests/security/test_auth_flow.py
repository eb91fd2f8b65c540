"""The OpenID Connect callback (demarche/auth/flow.py) with hostile query strings: what the provider's
`error` and `error_description` say is logged short and printable, and a state in any alphabet is refused."""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest

from tests.backoffice.factories import csrf_token
from tests.browser import Browser
from tests.journeys import login, start_login

HOSTILE = "\x1b[2J\u202e\n{\"level\": \"ERROR\"}" + "é" * 20000


@pytest.fixture
def browser(make_app, fc_sim):
    b = Browser(make_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2").test_client())
    yield b
    b.close()


def state_of(browser: Browser) -> str:
    authorize = next(u for u in reversed(browser.requested) if "/authorize" in u)
    return authorize.split("state=")[1].split("&")[0]


def printable(value: str) -> bool:
    return all(" " <= char <= "~" for char in value)


@pytest.mark.parametrize("error", [HOSTILE, "access_denied"])
def test_the_providers_error_is_logged_short_and_printable(browser, caplog, error):
    start_login(browser)
    caplog.set_level(logging.INFO)
    page = browser.get(f"http://localhost/franceconnect/callback?state={state_of(browser)}&error={quote(error)}"
                       f"&error_description={quote(HOSTILE)}")
    assert page.status < 500 and "FranceConnect" in page.text
    [record] = [r for r in caplog.records if r.getMessage() == "franceconnect login refused"]
    assert record.context["reason"].startswith("provider error ") and record.context["description"]
    for value in record.context.values():
        assert len(value) <= 120 and printable(value), value


STATES = ["é" * 64, "\x00" * 64, "\u202e" + "a" * 63]


@pytest.mark.parametrize("state", STATES, ids=["accents", "nul", "bidi"])
def test_a_state_in_any_alphabet_is_refused_calmly(browser, state):
    start_login(browser)  # a login under way: its state is compared with the one sent back
    page = browser.get(f"http://localhost/franceconnect/callback?code=abc&state={quote(state)}")
    assert page.status == 400 and "expiré" in page.text


@pytest.mark.parametrize("state", STATES, ids=["accents", "nul", "bidi"])
def test_a_logout_state_in_any_alphabet_still_logs_out(browser, state):
    page = login(browser)
    left = browser.service.post("/franceconnect/logout", data={"csrf_token": csrf_token(page)})
    assert left.status_code == 303  # to FranceConnect, with a state the service keeps to compare
    page = browser.get(f"http://localhost/franceconnect/logout-callback?state={quote(state)}")
    assert page.status == 200 and "Vous êtes déconnecté" in page.text
