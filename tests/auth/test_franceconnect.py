"""FranceConnect login and logout (demarche/auth/franceconnect.py) over real HTTP against the simulator, and
every refusal. State, nonce and the callback's order of checks are in test_flow.py."""

import contextlib
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from demarche.extensions import db
from demarche.models import Citizen
from tests.auth.conftest import logged_in
from tests.browser import Browser
from tests.journeys import login, login_at_franceconnect, start_login


def test_the_newcomer_journey_login_greeting_and_logout(browser, fc_app, fc_sim):
    page = start_login(browser)
    authorize = next(u for u in browser.requested if "/authorize" in u)
    assert "response_type=code" in authorize and "acr_values=eidas1" in authorize
    assert "scope=openid+identite_pivot+email" in authorize
    page = login_at_franceconnect(browser, page)
    assert page.status == 200
    assert "Bonjour Angela Claire Louise DUBOIS" in page.text
    espace = browser.get("http://localhost/mon-espace")
    assert "Angela Claire Louise" in espace.text and "DUBOIS" in espace.text
    with fc_app.app_context():
        citizen = db.session.scalars(db.select(Citizen)).one()
        assert citizen.sub.endswith("v1") and len(citizen.sub) == 66
    out = browser.submit(espace, "/franceconnect/logout")
    assert any("/api/v2/session/end" in u for u in browser.requested)
    assert "Vous êtes déconnecté" in out.text
    assert not logged_in(browser)


def test_login_is_stable_and_sub_keys_the_citizen(browser, fc_app):
    login(browser)
    browser.submit(browser.get("http://localhost/mon-espace"), "/franceconnect/logout")
    login(browser)
    with fc_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Citizen)) == 1


@pytest.mark.parametrize("tampering", [
    {"set": {"nonce": "x" * 64}},
    {"set": {"aud": "someone-else"}},
    {"set": {"iss": "https://evil.example/api/v2"}},
    {"set": {"aud": ["someone-else", "another"]}},
    {"set": {"exp": 1000}},
    {"set": {"iat": 4_000_000_000}},
    {"set": {"acr": "eidas0"}},
    {"remove": ["iat"]},
    {"remove": ["sub"]},
    {"remove": ["nonce"]},
    {"corrupt_signature": True},
    {"alg": "none"},
    {"alg": "HS256"},
    {"sign_with_unknown_key": True},
    {"header": {"jku": "https://evil.example/jwks"}},
], ids=lambda t: str(t))
def test_a_bad_id_token_ends_with_no_session_and_no_userinfo_call(browser, sim, tampering):
    page = start_login(browser)
    sim.post("next-id-token", tampering)
    sim.clear_requests()
    back = login_at_franceconnect(browser, page)
    assert back.status == 400
    assert "interrompue par sécurité" in back.text
    assert "/api/v2/token" in sim.requests()
    assert "/api/v2/userinfo" not in sim.requests()
    assert not logged_in(browser)


def test_rs256_id_tokens_are_accepted_too(browser, sim):
    page = start_login(browser)
    sim.post("next-id-token", {"alg": "RS256"})
    assert "Bonjour Angela" in login_at_franceconnect(browser, page).text


@pytest.mark.parametrize("tampering", [{"set": {"sub": "invalid"}}, {"corrupt_signature": True},
                                       {"set": {"aud": "someone-else"}}])
def test_a_bad_userinfo_ends_with_no_session(browser, sim, tampering):
    page = start_login(browser)
    sim.post("next-userinfo", tampering)
    back = login_at_franceconnect(browser, page)
    assert back.status == 400
    assert not logged_in(browser)


def test_signing_key_rotation_is_followed(browser, sim):
    login(browser)  # the service caches the JWKS
    browser.submit(browser.get("http://localhost/mon-espace"), "/franceconnect/logout")
    sim.post("rotate-keys")
    assert "Bonjour Angela" in login(browser).text


def test_a_rotation_to_a_single_key_without_kid_is_followed(browser, sim):
    """Issue 19: the worker caches FranceConnect's two-key JWKS (ES256 and RS256, with kids); the provider then
    publishes a single ES256 key without kid and signs without kid. One JWKS re-read, and the login goes on."""
    login(browser)  # the service caches the two-key JWKS
    browser.submit(browser.get("http://localhost/mon-espace"), "/franceconnect/logout")
    sim.post("rotate-keys", {"single_without_kid": True})
    assert "Bonjour Angela" in login(browser).text


@pytest.mark.parametrize(("mode", "title"), [
    ("server_error", "FranceConnect a rencontré une erreur"),
    ("temporarily_unavailable", "FranceConnect est momentanément indisponible"),
])
def test_franceconnect_errors_are_its_outage_not_ours(browser, sim, mode, title):
    """FranceConnect's outage is answered like API Particulier's: 200 and a French page with a way forward,
    so that a 5xx alert means the service's own fault (docs/authentification.md)."""
    sim.post("failure", {"mode": mode})
    page = start_login(browser)
    assert page.status == 200
    assert title in page.text
    assert 'class="fr-connect"' in page.text  # the way forward: try again
    assert "à l’accueil de votre mairie" in page.text  # or go to the counter
    assert not logged_in(browser)


def test_cancel_at_franceconnect_is_access_denied_and_offers_a_retry(browser):
    page = start_login(browser)
    result = browser.submit(page, "/abort")
    assert "error=access_denied" in browser.requested[-1]
    assert result.status == 200
    assert "Connexion annulée" in result.text
    assert 'class="fr-connect"' in result.text  # try again at once
    assert not logged_in(browser)




def test_two_first_logins_of_the_same_person_at_once_open_two_sessions_and_one_citizen(fc_app):
    """Both callbacks look the citizen up before either creates it (held together at the flush that would
    insert it): the unique (issuer, sub) refuses the second insert, which takes the first one's row."""
    held = threading.Barrier(2, timeout=5)

    def hold_citizen_inserts(session, _context, _instances):
        if any(isinstance(new, Citizen) for new in session.new):
            with contextlib.suppress(threading.BrokenBarrierError):  # alone (no race): go on after 5 s
                held.wait()

    browsers = [Browser(fc_app.test_client()) for _ in range(2)]
    pages = [start_login(b) for b in browsers]
    results: list = [None, None]

    def finish(index: int) -> None:
        try:
            results[index] = login_at_franceconnect(browsers[index], pages[index])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error

    sa.event.listen(Session, "before_flush", hold_citizen_inserts)
    try:
        threads = [threading.Thread(target=finish, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sa.event.remove(Session, "before_flush", hold_citizen_inserts)
    assert [getattr(page, "status", page) for page in results] == [200, 200]
    assert all("Bonjour Angela Claire Louise DUBOIS" in page.text for page in results)
    assert all(logged_in(b) for b in browsers)
    with fc_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Citizen)) == 1
    for b in browsers:
        b.close()
