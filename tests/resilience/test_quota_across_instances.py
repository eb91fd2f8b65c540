"""Two gunicorn instances (two workers each) and their task workers share API Particulier's quota through
Redis, against the simulator enforcing its own limit: no 429 reaches the provider; the families beyond the
quota wait on « Nous récupérons vos données… », which says honestly how long, and may take the manual path at
once; after a 429 no instance calls until Retry-After."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from demarche.devserver import serve
from tests.live import needs_postgres
from tests.resilience.live import (
    MANUAL_FORM,
    all_at_once,
    ap_requests,
    fetch_data,
    logged_in,
    send_consent,
    start_instances,
)

pytestmark = needs_postgres
LIMIT = 5  # per minute: the simulator counts per token over 60 s, the service is told the same
CITIZENS = 9
BUSY = "Le service est très sollicité"
WAITING = "Nous récupérons vos données"


@pytest.fixture
def strict_ap_sim(fc_sim):
    """The API Particulier simulator enforcing LIMIT calls per token per minute."""
    from demarche_sandbox import api_particulier

    server = serve(lambda url: api_particulier.create_app({"AP_SIM_FC_ISSUER": f"{fc_sim.url}/api/v2",
                                                           "AP_SIM_RATE_LIMIT": str(LIMIT)}))
    yield server
    server.stop()


def test_the_quota_holds_across_two_instances(make_app, database_url, fc_sim, strict_ap_sim, redis_prefix,
                                              tmp_path):
    make_app()
    instances = start_instances(2, database_url, fc_sim, strict_ap_sim, redis_prefix, tmp_path,
                                API_PARTICULIER_RATE_LIMIT=f"{LIMIT}/minute")
    people, waited, manual = [], [], []
    try:
        people = logged_in(instances, CITIZENS)
        pages = [page for page, _ in all_at_once(people, send_consent)]
        assert [getattr(page, "status", repr(page)) for page in pages] == [200] * CITIZENS
        assert all(WAITING in page.text or MANUAL_FORM in page.url for page in pages)
        time.sleep(4)  # the workers take their turns: one call now, the next one 15 s later (4 a minute)
        for (browser, _), page in zip(people, pages, strict=True):
            if WAITING not in page.text:
                continue
            state = json.loads(browser.get(page.url + "/etat").text)
            if state["done"]:
                continue
            waited.append(state["wait"])
            manual.append(browser.submit(page, "/patientez/", button="Remplir moi-même sans attendre"))
    finally:
        for browser, _ in people:
            browser.close()
        for instance in instances:
            instance.stop()
    calls = ap_requests(strict_ap_sim)
    assert 1 <= len(calls) <= LIMIT and all(call["status"] == 200 for call in calls)  # zero 429
    assert len(manual) >= CITIZENS - LIMIT
    assert waited and all(wait >= 5 for wait in waited), waited  # honest: the next turn is 15 s after the last
    assert all(BUSY in page.text and MANUAL_FORM in page.url for page in manual)


def test_after_a_429_no_instance_calls_until_retry_after(make_app, database_url, fc_sim, ap_sim, redis_prefix,
                                                         tmp_path):
    make_app()
    first, second = start_instances(2, database_url, fc_sim, ap_sim, redis_prefix, tmp_path)
    (one, one_page), (two, two_page) = logged_in([first], 1) + logged_in([second], 1)
    try:
        httpx.post(f"{ap_sim.url}/_sim/failure", json={"status": 429, "count": 1, "retry_after": 600})
        met_429 = fetch_data(one, one_page)
        calls_after_429 = len(ap_requests(ap_sim))
        other_instance = fetch_data(two, two_page)
    finally:
        for closing in (one.close, two.close, first.stop, second.stop):
            closing()
    assert BUSY in met_429.text and BUSY in other_instance.text
    assert [call["status"] for call in ap_requests(ap_sim)] == [429]  # the second instance did not call
    assert calls_after_429 == 1
