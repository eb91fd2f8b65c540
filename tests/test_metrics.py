"""The operators' metrics (demarche/metrics): a family's journey counted as it happened (provider calls and their
latency, the pacer's turns, the prefill job's wait), the pool's busy page counted, and under gunicorn the
master's HEALTH_PORT serving every worker's metrics at /metrics, in the Prometheus text format, while the
public port has none. Scraped for real: the in-process registry, then over HTTP."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bench.stack import Gunicorn, free_port
from demarche.extensions import db
from tests.browser import Browser
from tests.conftest import build_app, service_env
from tests.journeys import accept, login


def scrape(text: str | None = None) -> dict[tuple[str, tuple], float]:
    """Every sample by (name, sorted labels), from a Prometheus text exposition (default: this process's)."""
    from prometheus_client import generate_latest

    text = text if text is not None else generate_latest(REGISTRY).decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_prefilled_journey_is_counted_as_it_happened(make_journey_app):
    app = make_journey_app("identite")
    before = scrape()
    browser = Browser(app.test_client())
    form = accept(browser, login(browser))
    assert "Vos données ont été récupérées" in form.text
    after = scrape()
    calls = value(after, "demarche_provider_calls_total", provider="api_particulier", outcome="ok") - value(
        before, "demarche_provider_calls_total", provider="api_particulier", outcome="ok")
    assert calls >= 1
    timed = value(after, "demarche_provider_call_duration_seconds_count", provider="api_particulier") - value(
        before, "demarche_provider_call_duration_seconds_count", provider="api_particulier")
    assert timed == calls  # every exchange timed
    turns = value(after, "demarche_pacer_turns_total", provider="api_particulier", decision="allowed",
                  storage="local") - value(before, "demarche_pacer_turns_total", provider="api_particulier",
                                           decision="allowed", storage="local")
    assert turns == calls  # no REDIS_URL: this process paces alone
    for event in ("enqueued", "started", "done"):
        assert value(after, "demarche_prefill_jobs_total", event=event) - value(
            before, "demarche_prefill_jobs_total", event=event) == 1
    assert value(after, "demarche_prefill_job_wait_seconds_count") - value(
        before, "demarche_prefill_job_wait_seconds_count") == 1
    assert value(after, "demarche_circuit_state", provider="api_particulier") == 0  # closed
    assert value(after, "demarche_provider_quota_calls_per_second", provider="api_particulier", scope="token") == 20


def test_a_request_without_a_free_connection_is_counted(make_app):
    app = make_app(DB_POOL_SIZE="1", DB_MAX_OVERFLOW="0", DB_POOL_TIMEOUT="0.2")
    before = value(scrape(), "demarche_db_pool_timeouts_total")
    with app.app_context():
        held = db.engine.connect()
        in_use = value(scrape(), "demarche_db_pool_checked_out")
        client = app.test_client()
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], "x" * 43)
        assert client.get("/mon-espace").status_code == 503
        held.close()
    assert in_use >= 1
    assert value(scrape(), "demarche_db_pool_timeouts_total") - before == 1


@pytest.fixture
def served(database_url, tmp_path):
    """The service under gunicorn (two workers, the repository's gunicorn.conf.py) with HEALTH_PORT."""
    env = {**service_env(database_url), "DB_POOL_SIZE": "4", "DB_MAX_OVERFLOW": "0"}
    build_app(env)  # the schema, as `flask db upgrade` before a deployment
    health_port = free_port()
    server = Gunicorn("demarche:create_app()", {**env, "HEALTH_PORT": str(health_port)}, workers=2, threads=4)
    server.metrics_url = f"http://127.0.0.1:{health_port}/metrics"
    try:
        server.wait("/readyz")
        yield server
    finally:
        server.stop()


def test_the_master_serves_every_workers_metrics_on_the_health_port_only(served):
    for _ in range(20):  # spread over both workers: each reads the database once
        assert httpx.get(f"{served.url}/readyz", timeout=5).status_code == 200
    response = httpx.get(served.metrics_url, timeout=5)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    samples = scrape(response.text)
    assert value(samples, "demarche_provider_quota_calls_per_second", provider="api_particulier",
                 scope="ip") == pytest.approx(1000 / 60)
    assert ("demarche_db_pool_checked_out", ()) in samples  # summed over the live workers
    assert value(samples, "demarche_db_pool_checked_out") == 0  # every connection back in its pool
    assert httpx.get(f"{served.url}/metrics", timeout=5).status_code == 404  # never on the public port
