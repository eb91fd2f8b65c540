"""Fixtures of the relying-party tests: a tiny provider of the test's own, and the back-office's ProConnect
simulator fixtures (tests/backoffice/conftest.py) for the agents' login."""

from __future__ import annotations

import pytest

from tests.auth.provider import TinyProvider
from tests.backoffice.conftest import bo_app, browsers, make_bo_app, pc_sim, smtp_sink  # noqa: F401 - fixtures
from tests.browser import Browser
from tests.journeys import SimControl


@pytest.fixture
def tiny():
    """A tiny OpenID provider on a loopback port; the test sets its keys and answers."""
    provider = TinyProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def fc_app(make_app, fc_sim):
    """The service wired to the FranceConnect simulator."""
    return make_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")


@pytest.fixture
def browser(fc_app):
    b = Browser(fc_app.test_client())
    yield b
    b.close()


@pytest.fixture
def sim(fc_sim):
    """The FranceConnect simulator's test controls."""
    return SimControl(fc_sim.url)


def logged_in(browser: Browser) -> bool:
    """Whether the browser holds a citizen session."""
    return browser.get("http://localhost/mon-espace").url.endswith("/mon-espace")

