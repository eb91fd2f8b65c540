"""Fixtures of the back-office tests: the ProConnect simulator and the mail sink over real HTTP/SMTP on
loopback ports, a service app pointed at them with the demo agents allowed, and agents' browsers."""

from __future__ import annotations

import pytest

from demarche.devserver import serve
from tests.backoffice.factories import COMMUNE, MARIE, OTHER_ORG, SOPHIE, THOMAS, allow
from tests.browser import Browser
from tests.conftest import SERVICE_URL


@pytest.fixture
def pc_sim():
    """The ProConnect simulator, knowing the test service as its client."""
    from demarche_sandbox import proconnect

    server = serve(lambda url: proconnect.create_app({"PROCONNECT_SIM_PUBLIC_URL": url,
                                                      "PROCONNECT_SIM_SERVICE_URL": SERVICE_URL}))
    yield server
    server.stop()


@pytest.fixture
def smtp_sink():
    """The sandbox mailbox's SMTP server on a free port; .mailbox.messages() is what it received."""
    from demarche_sandbox.mailbox import Mailbox, SmtpServer

    server = SmtpServer(Mailbox(), port=0)
    yield server
    server.stop()


@pytest.fixture
def make_bo_app(make_app, pc_sim, smtp_sink):
    """A service app with the back-office on, e-mails to the sink, and the demo's allow-list."""

    def factory(**overrides):
        app = make_app(**{"PROCONNECT_ISSUER": f"{pc_sim.url}/api/v2", "SMTP_HOST": "127.0.0.1",
                          "SMTP_PORT": str(smtp_sink.port), **overrides})
        for email, siret in ((MARIE, COMMUNE), (THOMAS, COMMUNE), (SOPHIE, OTHER_ORG)):
            allow(app, email, siret)
        return app

    return factory


@pytest.fixture
def bo_app(make_bo_app):
    return make_bo_app()


@pytest.fixture
def browsers():
    """Make browsers on an app; all closed at the end."""
    made = []

    def factory(app) -> Browser:
        made.append(Browser(app.test_client()))
        return made[-1]

    yield factory
    for browser in made:
        browser.close()
