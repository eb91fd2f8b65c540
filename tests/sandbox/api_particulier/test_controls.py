"""Headers, rate limit, and the failure, latency and request-log controls under /_sim."""

from __future__ import annotations

import time
import uuid

import pytest

from demarche_sandbox.api_particulier import create_app
from tests.sandbox.ap_conftest_helpers import ANGELA, PAUL
from tests.sandbox.api_particulier.conftest import C2S, CNOUS, MESRI, QF


def test_headers_of_every_answer(sim):
    simulator = sim()
    for response in (simulator.get(QF, ANGELA), simulator.get(QF, ANGELA, token=None)):
        assert uuid.UUID(response.headers["X-Request-ID"]).version == 4
        assert response.headers["RateLimit-Limit"] == "1200"
        assert int(response.headers["RateLimit-Reset"]) > time.time()
        assert response.headers["X-Response-Cached"] == "false"
        assert response.headers["X-Cache-Expires-in"] == ""
    student = simulator.get(MESRI, PAUL)
    assert "X-Response-Cached" not in student.headers and "X-Request-ID" in student.headers


def test_the_rate_limit_is_per_token_and_per_minute(sim):
    simulator = sim({"AP_SIM_RATE_LIMIT": 2})
    remaining = [simulator.get(QF, ANGELA).headers["RateLimit-Remaining"] for _ in range(2)]
    limited = simulator.get(QF, ANGELA)
    assert remaining == ["1", "0"]
    assert limited.status_code == 429 and limited.json()["errors"][0]["code"] == "00429"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert simulator.get(QF, ANGELA, token="other").status_code == 401  # another token, another window


def test_the_platform_quotas_per_second_and_per_ip_can_be_set(sim):
    per_second = sim({"AP_SIM_RATE_LIMIT_PER_SECOND": 3})
    statuses = [per_second.get(QF, ANGELA).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    per_ip = sim({"AP_SIM_IP_RATE_LIMIT": 2})
    assert [per_ip.get(QF, ANGELA).status_code for _ in range(2)] == [200, 200]
    limited = per_ip.get(QF, ANGELA, token="other")  # another token, the same address: the IP's ceiling
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 60


@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [
        ("502", 502, "37999"),
        ("503", 503, "37001"),
        ("504", 504, "00501"),
        ("429", 429, "00429"),
        ("409", 409, "00015"),
    ],
)
def test_the_global_failure_switch(sim, failure, status, code):
    response = sim({"AP_SIM_FAILURE": failure}).get(QF, ANGELA)
    assert response.status_code == status and response.json()["errors"][0]["code"] == code
    if failure == "504":
        assert response.json()["errors"][0]["meta"] == {"retry_in": 10}
    if failure == "429":
        assert response.headers["Retry-After"] == "60"


def test_the_timeout_switch_waits_then_answers_504(sim):
    simulator = sim({"AP_SIM_FAILURE": "timeout", "AP_SIM_SLOW_SECONDS": "0.2"})
    started = time.monotonic()
    response = simulator.get(CNOUS, PAUL)
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 504 and response.json()["errors"][0]["code"] == "26002"


def test_an_unknown_failure_switch_stops_the_start():
    with pytest.raises(ValueError) as excinfo:
        create_app({"AP_SIM_FAILURE": "418"})
    assert "AP_SIM_FAILURE" in str(excinfo.value)


def test_failure_control_by_route_and_count(sim):
    simulator = sim()
    set_failure = simulator.control(
        "POST", "failure", {"status": 502, "route": "/v3/dss/quotient", "count": 1}
    )
    assert set_failure.status_code == 200
    assert simulator.get(C2S, ANGELA).status_code == 200  # another route
    assert simulator.get(QF, ANGELA).status_code == 502
    assert simulator.get(QF, ANGELA).status_code == 200  # count used up
    simulator.control("POST", "failure", {"status": "503"})
    assert simulator.get(MESRI, PAUL).status_code == 503
    assert simulator.control("POST", "failure", {"status": None}).json() == {"failure": None}
    assert simulator.get(MESRI, PAUL).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"status": 418}, {"status": 502, "count": 0}, {"status": 429, "retry_after": "x"}, {"status": True}],
)
def test_failure_control_refuses_bad_input(sim, body):
    response = sim().control("POST", "failure", body)
    assert response.status_code == 400 and response.json()["erreur"]


def test_latency_control_request_log_and_reset(sim):
    simulator = sim()
    assert simulator.control("POST", "latency", {"ms": 150}).json() == {"ms": 150}
    simulator.get(QF, ANGELA)
    simulator.get(QF, ANGELA, token=None)
    log = simulator.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [("GET", QF, 200), ("GET", QF, 401)]
    assert all(entry["duration_ms"] >= 150 for entry in log)
    assert simulator.control("POST", "latency", {}).status_code == 400
    assert simulator.control("DELETE", "requests").status_code == 204 and simulator.requests() == []
    simulator.control("POST", "failure", {"status": 502})
    assert simulator.control("POST", "reset").status_code == 204
    assert simulator.get(QF, ANGELA).status_code == 200  # no failure left
    assert simulator.requests()[0]["duration_ms"] < 150  # no latency left


def test_test_controls_can_be_switched_off(sim):
    simulator = sim({"AP_SIM_TEST_CONTROLS": "0"})
    assert simulator.control("POST", "reset").status_code == 404
    assert simulator.control("GET", "requests").status_code == 404
