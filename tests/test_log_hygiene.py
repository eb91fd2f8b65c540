"""No token, secret, code or personal data reaches a log line, over a whole journey (ASVS V7.1)."""

import logging
import re

import pytest

from tests.browser import Browser
from tests.journeys import login
from tests.test_journey import CHOICES, accept


def _browser_side(message: str) -> bool:
    """The test's own browser (httpx) visiting FranceConnect's pages: not the service's logs."""
    return message.startswith("HTTP Request:") and any(
        part in message for part in ("/api/v2/authorize", "/api/v2/interaction/", "/api/v2/session/end"))


@pytest.mark.parametrize("modality", ["france_connect", "identite"])
def test_a_whole_journey_logs_nothing_personal_or_secret(make_journey_app, caplog, modality):
    app = make_journey_app(modality)
    browser = Browser(app.test_client())
    caplog.set_level(logging.INFO)
    page = accept(browser, login(browser))
    browser.submit(page, "/formulaire", children=["0"], **CHOICES)
    browser.close()
    logged = "\n".join(f"{r.getMessage()} {getattr(r, 'context', '')}" for r in caplog.records
                       if not r.name.startswith("werkzeug") and not _browser_side(r.getMessage()))
    secrets_seen = [u.split(f"{name}=")[1].split("&")[0] for u in browser.requested
                    for name in ("state", "code", "nonce") if f"{name}=" in u]
    assert secrets_seen, "the journey should have carried codes and states"
    for secret in secrets_seen:
        assert secret not in logged
    for personal in ("DUBOIS", "Angela", "1962", "wossewodda", "LEROY", "TOURS", "650"):
        # whole words: a random hex correlation id may well contain "650"
        assert not re.search(rf"\b{personal}\b", logged), f"{personal!r} found in the logs"
    assert app.config["SECRET_KEY"] not in logged
    assert "request" in logged and "dossier submitted" in logged  # the logs do exist
