"""Two gunicorn instances (two workers each) share API Particulier's quota through Redis, against the
simulator enforcing its own limit: no 429 reaches the provider, the citizens beyond the quota get the
manual path with the « très sollicité » message; after a 429 no instance calls until Retry-After."""

from __future__ import annotations

import httpx
import pytest

from demarche.devserver import serve
from tests.live import needs_postgres
from tests.resilience.live import MANUAL_FORM, all_at_once, ap_requests, fetch_data, logged_in, start_instances

pytestmark = needs_postgres
LIMIT = 5  # per minute: the simulator counts per token over 60 s, the service is told the same
CITIZENS = 9
BUSY = "Le service est très sollicité"


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
    people = []
    try:
        people = logged_in(instances, CITIZENS)
        results = all_at_once(people, fetch_data)
    finally:
        for browser, _ in people:
            browser.close()
        for instance in instances:
            instance.stop()
    pages = [page for page, _ in results]
    assert [getattr(page, "status", repr(page)) for page in pages] == [200] * CITIZENS
    served = [page for page in pages if "Vos données ont été récupérées" in page.text]
    refused = [page for page in pages if BUSY in page.text]
    assert (len(served), len(refused)) == (LIMIT, CITIZENS - LIMIT)
    assert all(any(MANUAL_FORM in form.action for form in page.forms()) for page in refused)
    calls = ap_requests(strict_ap_sim)
    assert len(calls) == LIMIT and all(call["status"] == 200 for call in calls)  # zero 429


def test_after_a_429_no_instance_calls_until_retry_after(make_app, database_url, fc_sim, ap_sim, redis_prefix,
                                                         tmp_path):
    make_app()
    first, second = start_instances(2, database_url, fc_sim, ap_sim, redis_prefix, tmp_path)
    (one, one_page), (two, two_page) = logged_in([first], 1) + logged_in([second], 1)
    try:
        httpx.post(f"{ap_sim.url}/_sim/failure", json={"status": 429, "count": 1, "retry_after": 120})
        met_429 = fetch_data(one, one_page)
        calls_after_429 = len(ap_requests(ap_sim))
        other_instance = fetch_data(two, two_page)
    finally:
        for closing in (one.close, two.close, first.stop, second.stop):
            closing()
    assert BUSY in met_429.text and BUSY in other_instance.text
    assert [call["status"] for call in ap_requests(ap_sim)] == [429]  # the second instance did not call
    assert calls_after_429 == 1
