"""The callback's checks (demarche/auth/flow.py), through FranceConnect's routes and simulator: state and nonce
long, random and single use; state checked first, then iss (RFC 9207, https://www.rfc-editor.org/rfc/rfc9207);
the post-logout state."""

from tests.browser import Browser
from tests.journeys import login, start_login


def test_state_and_nonce_are_long_random_and_single_use(browser):
    start_login(browser)
    first = next(u for u in browser.requested if "/authorize" in u)
    browser.requested.clear()
    start_login(browser)
    second = next(u for u in browser.requested if "/authorize" in u)
    for url in (first, second):
        params = dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&"))
        assert len(params["state"]) >= 32 and params["state"].isalnum()
        assert len(params["nonce"]) >= 32 and params["nonce"].isalnum()
    assert first.split("state=")[1][:64] != second.split("state=")[1][:64]


def callback_url(browser: Browser) -> str:
    return next(u for u in reversed(browser.requested) if "/franceconnect/callback" in u)


def test_replayed_callback_is_refused(browser):
    login(browser)
    replay = browser.get(callback_url(browser))
    assert replay.status == 400
    assert "expiré" in replay.text


def test_missing_or_wrong_state_is_refused(browser):
    start_login(browser)
    for url in ("http://localhost/franceconnect/callback?code=abc",
                "http://localhost/franceconnect/callback?code=abc&state=" + "x" * 64):
        page = browser.get(url)
        assert page.status == 400
        assert "expiré" in page.text


def test_wrong_iss_in_the_callback_is_refused(browser):
    """Mix-up defence (RFC 9207): a callback naming another issuer is refused, even with a good state."""
    start_login(browser)
    authorize = next(u for u in reversed(browser.requested) if "/authorize" in u)
    state = authorize.split("state=")[1].split("&")[0]
    forged = browser.get(f"http://localhost/franceconnect/callback?code=abc&state={state}&iss=https://evil.example")
    assert forged.status == 400


def test_logout_callback_with_a_wrong_state_still_logs_out(browser):
    login(browser)
    page = browser.get("http://localhost/franceconnect/logout-callback?state=wrong")
    assert "Vous êtes déconnecté" in page.text
