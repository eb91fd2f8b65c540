"""Consents, drafts and provider calls per citizen (issue 19, c): within CITIZEN_RATE_LIMIT per account, shared
through Redis; past it a French 429 page that says when to come back and where the citizen's things are."""

from __future__ import annotations

import uuid

import pytest
import redis

from demarche.extensions import db
from demarche.models import ConsentRecord, Prefill
from tests import servers
from tests.browser import Browser
from tests.journeys import accept, login, sim_log

REDIS = servers.redis_url()  # the machine's Redis, or the throw-away one tests/servers.py started


def consent(browser: Browser, choice: str = "Je préfère remplir moi-même"):
    page = browser.get("http://localhost/demarches/cantine/")
    return browser.submit(page, "/consentement", button=choice)


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(db.select(db.func.count()).select_from(ConsentRecord)),
                db.session.scalar(db.select(db.func.count()).select_from(Prefill)))


def test_consents_and_drafts_stop_at_the_limit_with_a_way_forward(app, citizen):
    for _ in range(10):
        assert "/formulaire" in consent(citizen).url
    page = consent(citizen)
    assert page.status == 429 and "Trop de demandes en peu de temps" in page.text
    assert "à partir du" in page.text and "brouillon en cours" in page.text and "Mes démarches" in page.text
    assert counts(app) == (10, 10)
    refused = citizen.service.post("/demarches/cantine/consentement", data={"choice": "manual"})
    assert refused.status_code in (400, 429)  # without CSRF token: refused before anything is counted or made
    assert counts(app) == (10, 10)


def test_the_accept_path_spends_no_provider_quota_past_the_limit(make_journey_app, ap_sim):
    app = make_journey_app("identite", CITIZEN_RATE_LIMIT="3/hour")
    browser = Browser(app.test_client())
    login(browser)
    for _ in range(3):
        accept(browser, browser.get("http://localhost/demarches/cantine/"))
    calls = len(sim_log(ap_sim.url))
    page = accept(browser, browser.get("http://localhost/demarches/cantine/"))
    assert page.status == 429 and len(sim_log(ap_sim.url)) == calls
    assert counts(app)[0] == 3
    browser.close()


def test_two_instances_count_one_citizen_together(make_journey_app):
    server = redis.Redis.from_url(REDIS)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS} (TEST_REDIS_URL; tests/servers.py starts one when redis-server exists)")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings = {"REDIS_URL": REDIS, "REDIS_KEY_PREFIX": prefix, "CITIZEN_RATE_LIMIT": "4/hour"}
    first, second = (Browser(make_journey_app(**settings).test_client()) for _ in range(2))
    try:
        login(first), login(second)  # the same person on two instances
        assert [consent(browser).status for browser in (first, second, first, second)] == [200] * 4
        assert consent(second).status == 429 and consent(first).status == 429
    finally:
        first.close(), second.close()
        keys = list(server.scan_iter(f"*{prefix}*"))
        server.delete(*keys) if keys else None


def test_with_redis_unreachable_the_limits_hold_in_each_process(make_journey_app):
    from tests.tasks.fixtures import closed_port

    app = make_journey_app(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0", CITIZEN_RATE_LIMIT="2/hour")
    browser = Browser(app.test_client())
    login(browser)
    assert [consent(browser).status for _ in range(3)] == [200, 200, 429]  # no 500: counted in memory meanwhile
    codes = [app.test_client().get("/verifier/CAN-2026-AAAAAA-BBBB-CCCC").status_code for _ in range(21)]
    assert codes == [400] * 20 + [429]
    browser.close()
