"""API Particulier hangs while citizens send their consent together (PostgreSQL + Redis, gunicorn and its task
worker): no 5xx, /healthz and the pages that need no provider keep answering (the calls wait in the worker,
not on the web threads), every citizen is offered the manual path, and once the circuit is open the next
citizen gets it at once."""

from __future__ import annotations

import threading
import time

import httpx

from tests.live import needs_postgres
from tests.resilience.live import MANUAL_FORM, all_at_once, ap_requests, fetch_data, logged_in, start_instances

pytestmark = needs_postgres
CITIZENS = 12  # more than the 2 workers × 2 slots the bulkhead gives API Particulier
TIMEOUT = 4  # seconds API Particulier is given per call


def test_a_hanging_provider_leaves_health_and_the_manual_path(make_app, database_url, fc_sim, ap_sim, redis_prefix,
                                                             tmp_path):
    make_app()  # the schema
    (service,) = start_instances(1, database_url, fc_sim, ap_sim, redis_prefix, tmp_path, PROVIDER_CONCURRENCY="2",
                                 API_PARTICULIER_TIMEOUT=str(TIMEOUT), CIRCUIT_COOLDOWN_SECONDS="60")
    people = logged_in([service], CITIZENS)
    httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 30_000})  # every /v3 call hangs
    health, home, probing = [], [], threading.Event()

    def probe():
        while not probing.is_set():
            for path, seen in (("/healthz", health), ("/", home)):
                status = httpx.get(service.url + path, timeout=10).status_code
                seen.append((status, time.monotonic()))
            time.sleep(0.05)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        sent = time.monotonic()
        results = all_at_once(people, fetch_data)
        hang_over = sent + TIMEOUT  # the calls that reached the provider were given up by then
        late_browser, late_page = logged_in([service], 1)[0]
        calls_before = len(ap_requests(ap_sim))
        late = fetch_data(late_browser, late_page)  # the circuit is open now: the manual path, no call
        late_calls = len(ap_requests(ap_sim)) - calls_before
        late_browser.close()
    finally:
        probing.set()
        prober.join()
        httpx.post(f"{ap_sim.url}/_sim/latency", json={"ms": 0})
        for browser, _ in people:
            browser.close()
        service.stop()
    pages = [page for page, _ in results]
    assert all(not isinstance(page, Exception) for page in pages), [repr(p) for p in pages if isinstance(p, Exception)]
    assert [page.status for page in pages] == [200] * CITIZENS  # no 5xx
    assert all(any(MANUAL_FORM in form.action for form in page.forms()) for page in pages)
    assert all("ne répond pas pour le moment" in page.text for page in pages)
    assert health and all(status == 200 for status, _ in health + home)
    # /healthz and the home page answered while calls were hanging (their speed is measured by `make bench`,
    # not asserted here: the machine is shared)
    assert any(sent < answered < hang_over for _, answered in health)
    assert any(sent < answered < hang_over for _, answered in home)
    # the task worker's bulkhead let at most 2 calls reach the provider; the circuit refused the others at once
    assert len(ap_requests(ap_sim)) <= 4
    assert "ne répond pas pour le moment" in late.text and late_calls == 0
