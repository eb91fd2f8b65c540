"""The generic HTTP layer, through the API Particulier client and its simulator over real HTTP: retries within
a budget, timeouts, size limits, and logs that never hold identities or tokens."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest

from demarche.config import DEMO_API_PARTICULIER_TOKEN
from demarche.devserver import serve
from demarche.providers.api_particulier import (
    ApiParticulierError,
    InvalidResponse,
    NotFound,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
)
from demarche.providers.http import redact_query_strings
from demarche.providers.results import FailureKind
from tests.providers.api_particulier.people import ANGELA, MELISSANDRE, PIERRE


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_transient_failure_is_retried_once_and_the_data_returned(sim, client_for, status):
    simulator = sim()
    simulator.control("POST", "failure", {"status": status, "count": 1})
    fetched = client_for(simulator.url).quotient_familial(identity=ANGELA)
    assert fetched.data.quotient_familial.valeur == 650
    assert [entry["status"] for entry in simulator.requests()] == [status, 200]


def test_retries_stop_within_the_total_budget(sim, client_for):
    simulator = sim({"AP_SIM_FAILURE": "502"})
    client = client_for(simulator.url, total_budget=0.5, backoff=0.2, max_retries=5)
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as excinfo:
        client.quotient_familial(identity=ANGELA)
    assert time.monotonic() - started < 0.5 + 0.4  # waits and attempts fit the budget (six tries would take 6 s)
    assert excinfo.value.retryable and excinfo.value.code == "37999"
    assert 2 <= len(simulator.requests()) <= 3


def test_at_most_max_retries(sim, client_for):
    simulator = sim({"AP_SIM_FAILURE": "503"})
    with pytest.raises(ProviderUnavailable):
        client_for(simulator.url, max_retries=2, backoff=0.01).quotient_familial(identity=ANGELA)
    assert len(simulator.requests()) == 3


def test_429_is_honoured_when_retry_after_fits_the_budget(sim, client_for):
    simulator = sim()
    simulator.control("POST", "failure", {"status": 429, "count": 1, "retry_after": 1})
    started = time.monotonic()
    fetched = client_for(simulator.url, total_budget=3).quotient_familial(identity=ANGELA)
    assert fetched.data.quotient_familial.valeur == 650 and time.monotonic() - started >= 1
    assert [entry["status"] for entry in simulator.requests()] == [429, 200]


def test_429_beyond_the_budget_is_raised_at_once(sim, client_for):
    simulator = sim()
    simulator.control("POST", "failure", {"status": 429, "retry_after": 60})
    started = time.monotonic()
    with pytest.raises(RateLimited) as excinfo:
        client_for(simulator.url, total_budget=3).quotient_familial(identity=ANGELA)
    assert time.monotonic() - started < 5  # not the 60 s the provider asked for
    assert excinfo.value.retry_after == 60 and excinfo.value.code == "00429"
    assert len(simulator.requests()) == 1


def test_a_slow_answer_is_a_timeout_not_retried(sim, client_for):
    simulator = sim({"AP_SIM_LATENCY_MS": 1000})
    started = time.monotonic()
    with pytest.raises(ProviderTimeout) as excinfo:
        client_for(simulator.url, timeout=0.3).quotient_familial(identity=ANGELA)
    assert time.monotonic() - started < 1.5  # the client gave up well before the 1 s answer (twice: 2 s)
    time.sleep(1.5)  # every attempt has been answered (the simulator logs a call when it answers)
    assert len(simulator.requests()) == 1  # one attempt only
    assert isinstance(excinfo.value, ProviderUnavailable) and excinfo.value.status is None
    assert excinfo.value.kind is FailureKind.UNAVAILABLE


def test_a_504_is_a_provider_timeout(sim, client_for):
    simulator = sim({"AP_SIM_FAILURE": "504"})
    with pytest.raises(ProviderTimeout) as excinfo:
        client_for(simulator.url, max_retries=0).quotient_familial(identity=ANGELA)
    assert (excinfo.value.status, excinfo.value.code) == (504, "00501")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_connection_refused_is_retried_then_raised(client_for, caplog):
    caplog.set_level(logging.INFO, logger="demarche.api_particulier")
    client = client_for(f"http://127.0.0.1:{_closed_port()}", max_retries=2, backoff=0.01)
    with pytest.raises(ProviderUnavailable) as excinfo:
        client.allocation_adulte_handicape(identity=PIERRE)
    assert excinfo.value.retryable and excinfo.value.status is None
    attempts = [r.attempt for r in caplog.records if r.name == "demarche.api_particulier"]
    assert attempts == [1, 2, 3]


def test_logs_hold_the_route_status_and_request_id_but_no_identity_or_token(sim, client_for, caplog):
    redact_query_strings()  # what providers.init_app installs in every service (this test builds no app)
    caplog.set_level(logging.DEBUG)
    simulator = sim()
    client = client_for(simulator.url)
    fetched = client.quotient_familial(identity=ANGELA)
    with pytest.raises(NotFound):
        client.quotient_familial(identity=MELISSANDRE)
    lines = [r for r in caplog.records if r.name == "demarche.api_particulier"]
    assert [(r.route, r.status, r.attempt) for r in lines] == [
        ("/v3/dss/quotient_familial/identite", 200, 1),
        ("/v3/dss/quotient_familial/identite", 404, 1),
    ]
    assert fetched.request_id in lines[0].getMessage()
    # everything the service logs; the simulator's own access log (werkzeug) is the server's business
    everything = "\n".join(record.getMessage() for record in caplog.records if record.name != "werkzeug")
    for secret in (
        "DUBOIS",
        "Angela",
        "1962",
        "TROIS",
        "nomNaissance",
        "prenoms",
        "?",
        DEMO_API_PARTICULIER_TOKEN,
    ):
        assert secret not in everything


def _wsgi_app(body: bytes, content_type: str = "application/json"):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    return app


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"x" * 1_100_000, "réponse trop volumineuse"),
        (b"<html>maintenance</html>", "JSON attendu"),
        (b'{"data": {"est_beneficiaire": "oui"}}', "data malformé"),
        (b'{"errors": []}', "data malformé"),
    ],
)
def test_oversized_or_malformed_answers_are_refused(client_for, body, detail):
    server = serve(lambda url: _wsgi_app(body))
    try:
        with pytest.raises(InvalidResponse) as excinfo:
            client_for(server.url).allocation_adulte_handicape(identity=PIERRE)
    finally:
        threading.Thread(target=server.stop, daemon=True).start()  # shutdown polls every 0.5 s
    assert excinfo.value.detail == detail
    assert isinstance(excinfo.value, ApiParticulierError)
