"""Fixtures of the API tests: a service app whose e-mails go to a real SMTP sink, tokens made the way an
operator makes them (the CLI's function), and a client that sends them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from demarche.api import tokens
from demarche.extensions import db
from demarche.models import ApiToken
from tests.backoffice.factories import COMMUNE


@pytest.fixture
def smtp_sink():
    """The sandbox mailbox's SMTP server on a free port; .mailbox.messages() is what it received."""
    from demarche_sandbox.mailbox import Mailbox, SmtpServer

    server = SmtpServer(Mailbox(), port=0)
    yield server
    server.stop()


@pytest.fixture
def make_api_app(make_app, smtp_sink):
    def factory(**overrides):
        return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_sink.port), **overrides)

    return factory


@pytest.fixture
def api_app(make_api_app):
    return make_api_app()


def new_token(app, siret: str = COMMUNE, scope: str = "read", name: str = "Logiciel cantine",
              expires_days: int = 365) -> str:
    """A token for this organisation, as `flask api-tokens create` makes it."""
    with app.app_context():
        return tokens.create(siret, scope, name, expires_days)[1]


def expire(app, token: str) -> None:
    with app.app_context():
        row = db.session.scalar(db.select(ApiToken).filter_by(token_hash=tokens.digest(token)))
        row.expires_at = row.created_at - timedelta(seconds=1)
        db.session.commit()


def bearer(token: str, **headers: str) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}
