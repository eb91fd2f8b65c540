"""What both federations share (demarche/auth/federation.py): a provider's fault is answered 200 with the
French page, its retry button and the counter; never a 5xx, which is kept for the service's own faults.
Over real HTTP against a provider of the test's own (tests/auth/provider.py)."""

from __future__ import annotations

import pytest

from tests.auth.conftest import logged_in
from tests.browser import Browser
from tests.journeys import start_login


@pytest.fixture
def tiny_browser(make_app, tiny):
    browser = Browser(make_app(FRANCECONNECT_ISSUER=tiny.url).test_client())
    yield browser
    browser.close()


def assert_outage_page(page, title: str = "FranceConnect est momentanément indisponible") -> None:
    assert page.status == 200, page.status
    assert title in page.text
    assert 'class="fr-connect"' in page.text  # try again
    assert "à l’accueil de votre mairie" in page.text  # or go to the counter


def test_the_tiny_provider_logs_in(tiny_browser):
    """The provider of the test's own is a complete one: the failures below are the only difference."""
    page = start_login(tiny_browser)
    assert "Bonjour Angela Claire Louise DUBOIS" in page.text and logged_in(tiny_browser)


def test_a_token_endpoint_answering_500(tiny_browser, tiny):
    tiny.token_status = 500
    assert_outage_page(start_login(tiny_browser))
    assert not logged_in(tiny_browser)


def test_a_userinfo_endpoint_answering_503(tiny_browser, tiny):
    tiny.userinfo_status = 503
    assert_outage_page(start_login(tiny_browser))
    assert not logged_in(tiny_browser)


@pytest.mark.parametrize("removed", ["authorization_endpoint", "token_endpoint"])
def test_an_incomplete_discovery(tiny_browser, tiny, removed):
    tiny.discovery_removed = (removed,)
    assert_outage_page(start_login(tiny_browser))


def test_an_unreachable_franceconnect(make_app):
    browser = Browser(make_app(FRANCECONNECT_ISSUER="http://127.0.0.1:9/api/v2").test_client())
    assert_outage_page(start_login(browser))
    browser.close()


def test_logout_when_the_provider_has_no_logout_endpoint_still_logs_out(tiny_browser, tiny):
    tiny.discovery_removed = ("end_session_endpoint",)
    assert "Bonjour" in start_login(tiny_browser).text
    out = tiny_browser.submit(tiny_browser.get("http://localhost/mon-espace"), "/franceconnect/logout")
    assert out.status == 200 and "Vous êtes déconnecté" in out.text
    assert not any("/session/end" in url for url in tiny_browser.requested)
    assert not logged_in(tiny_browser)
