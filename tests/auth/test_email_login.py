"""« Je n’ai pas FranceConnect »: an account opened with a one-time code sent by e-mail.

The code opens the account once, within 10 minutes, after at most 5 tries; sending is limited per
address and per client; only its HMAC is kept; it never reaches a log line.
"""

from __future__ import annotations

import logging
import re

import pytest

from demarche.auth import email_code
from demarche.extensions import db
from demarche.models import Citizen, OutboxMessage, WebSession
from tests.browser import Browser
from tests.conftest import SERVICE_URL

ADDRESS = "Camille.Martin@exemple.fr"
LINK = "Je n’ai pas FranceConnect"


@pytest.fixture
def browser(app):
    b = Browser(app.test_client())
    yield b
    b.close()


def ask_code(browser: Browser, address: str = ADDRESS):
    page = browser.get(SERVICE_URL + "/connexion-par-courriel")
    return browser.submit(page, "/connexion-par-courriel", email=address)


def last_code(app) -> str:
    """The code as the person reads it (the outbox keeps it until it is sent: no SMTP in these tests)."""
    with app.app_context():
        body = db.session.scalars(db.select(OutboxMessage.body).filter_by(kind="login_code")
                                  .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"\b(\d{6})\b", body).group(1)


def sign_in(browser: Browser, app, address: str = ADDRESS):
    page = ask_code(browser, address)
    return browser.submit(page, "/code", code=last_code(app))


def test_the_home_page_links_the_e_mail_sign_in_beside_the_franceconnect_button(browser):
    home = browser.get(SERVICE_URL + "/").text
    group = home[home.index('class="fr-connect-group"'):]
    link = re.search(r'<a[^>]*href="([^"]+)"[^>]*>([^<]*)</a>', group[group.index(LINK) - 200:])
    assert LINK in link.group(2) and link.group(1) == "/connexion-par-courriel"
    assert browser.get(SERVICE_URL + link.group(1)).status == 200


def test_the_right_code_opens_an_account_with_the_same_spaces(browser, app):
    page = ask_code(browser)
    assert page.url.endswith("/connexion-par-courriel/code") and "camille.martin@exemple.fr" in page.text
    page = browser.submit(page, "/code", code=last_code(app))
    assert page.url.endswith("/mon-espace") and "camille.martin@exemple.fr" in page.text
    for space in ("/mes-demarches", "/mes-donnees"):
        page = browser.get(SERVICE_URL + space)
        assert page.status == 200 and page.url == SERVICE_URL + space and not page.history
    assert "Connexion par un code envoyé à votre adresse électronique" in page.text  # « Mes données »
    with app.app_context():
        citizen = db.session.scalar(db.select(Citizen).filter_by(sub="camille.martin@exemple.fr"))
        assert citizen.issuer == "urn:demarche:email"


def test_the_same_address_finds_the_same_account(app):
    for _ in range(2):
        b = Browser(app.test_client())
        sign_in(b, app)
        b.close()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Citizen)) == 1


def test_a_code_opens_the_account_once(browser, app):
    page = ask_code(browser)
    code = last_code(app)
    browser.submit(page, "/code", code=code)
    browser.submit(browser.get(SERVICE_URL + "/mon-espace"), "/deconnexion")
    assert browser.get(SERVICE_URL + "/mon-espace").url.endswith("/")  # signed out
    refused = browser.service.post("/connexion-par-courriel/code", data={"code": code})
    assert refused.status_code in (303, 400) and browser.get(SERVICE_URL + "/mon-espace").url.endswith("/")


def test_guessing_is_cut_short_after_five_wrong_codes(browser, app):
    page = ask_code(browser)
    code = last_code(app)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    for left in (4, 3, 2, 1):
        page = browser.submit(page, "/code", code=wrong)
        assert page.status == 400 and f"Il vous reste {left} essai(s)" in page.text
    page = browser.submit(page, "/code", code=wrong)
    assert "Trop de codes erronés" in page.text and page.url.endswith("/connexion-par-courriel")
    # The right code no longer opens anything: a new one must be asked for.
    browser.service.post("/connexion-par-courriel/code", data={"code": code})
    assert browser.get(SERVICE_URL + "/mon-espace").url.endswith("/")


def test_an_expired_code_is_refused(browser, app, monkeypatch):
    page = ask_code(browser)
    code = last_code(app)
    now = email_code.time.time()
    monkeypatch.setattr(email_code.time, "time", lambda: now + email_code.LIFETIME + 1)
    page = browser.submit(page, "/code", code=code)
    assert "Ce code a expiré" in page.text and browser.get(SERVICE_URL + "/mon-espace").url.endswith("/")


def test_sending_is_limited_per_address_whoever_asks(app):
    for _ in range(5):
        b = Browser(app.test_client())
        assert ask_code(b, "Cible@exemple.fr").url.endswith("/code")
        b.close()
    other = Browser(app.test_client())
    refused = ask_code(other, "cible@EXEMPLE.fr")
    assert refused.status == 429
    assert "Trop de codes ont été demandés pour cette adresse. Réessayez à partir du" in refused.text
    other.close()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 5


def test_the_sign_in_pages_are_limited_per_client(client):
    statuses = [client.get("/connexion-par-courriel").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429


def test_the_code_is_never_logged_nor_kept_in_clear_in_the_session(browser, app, caplog):
    caplog.set_level(logging.DEBUG)
    page = ask_code(browser)
    code = last_code(app)
    with app.app_context():
        stored = [row.data for row in db.session.scalars(db.select(WebSession))]
    assert stored and code not in repr(stored) and any("digest" in repr(data) for data in stored)
    browser.submit(page, "/code", code=code)
    logged = "\n".join(f"{r.getMessage()} {getattr(r, 'context', '')}" for r in caplog.records)
    assert "login code sent" in logged and "e-mail login" in logged
    assert code not in logged and "camille" not in logged.lower()


def test_a_sent_code_is_erased_from_the_outbox(make_app, smtp_sink):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_sink.port))
    b = Browser(app.test_client())
    ask_code(b)
    received = smtp_sink.mailbox.messages()
    assert len(received) == 1 and re.search(r"\b\d{6}\b", received[0].body)
    with app.app_context():
        kept = db.session.scalar(db.select(OutboxMessage).filter_by(kind="login_code"))
        assert kept.sent_at is not None and not re.search(r"\d{6}", kept.body)
    b.close()


def test_the_way_in_without_franceconnect_can_be_switched_off(make_app):
    app = make_app(EMAIL_LOGIN="0")
    client = app.test_client()
    assert LINK not in client.get("/").get_data(as_text=True)
    assert client.get("/connexion-par-courriel").status_code == 404
