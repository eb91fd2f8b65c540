"""Fault and latency controls (the API Particulier simulator's, plus "hang"): per route, per household,
counted, and the request log; every faulty answer is still validated against the OpenAPI."""

from __future__ import annotations

import time

import httpx
import pytest

SITUATION = "/situations/ir/assiettes/annrev/2025"


@pytest.mark.parametrize("status", [503, 429])
def test_edge_failures_answer_before_any_check(ip_sim, status):
    sim = ip_sim()
    sim.control("POST", "failure", {"status": str(status), "count": 1, "retry_after": 7})
    response = sim.get(SITUATION, None, headers={"Authorization": None})  # no header at all: still the fault
    assert response.status_code == status and response.headers["retry-after"] == "7"
    assert sim.get(SITUATION, None, headers={"Authorization": None}).status_code == 400  # count 1: gone


def test_a_technical_error_on_one_route_only(ip_sim, fc_token):
    sim, token = ip_sim(), fc_token("test")
    sim.control("POST", "failure", {"status": "500", "route": "/impotparticulier/1.0/dernieresituation"})
    assert sim.get("/dernieresituation/ir/assiettes/deuxans", token).status_code == 500
    assert sim.get(SITUATION, token).status_code == 200


def test_a_failure_for_one_household_only(ip_sim, fc_token):
    sim = ip_sim()
    sim.control("POST", "failure", {"status": "500", "foyer": "dubois-leroy"})
    assert sim.get(SITUATION, fc_token("test")).status_code == 500
    assert sim.get(SITUATION, fc_token("nom_composé")).status_code == 200


def test_timeout_waits_then_answers_504(ip_sim, fc_token):
    sim, token = ip_sim({"IP_SIM_SLOW_SECONDS": "0.3"}), fc_token("test")
    sim.control("POST", "failure", {"status": "timeout", "count": 1})
    started = time.monotonic()
    assert sim.get(SITUATION, token).status_code == 504
    assert time.monotonic() - started >= 0.3


def test_hang_outlasts_the_client_timeout(ip_sim, fc_token):
    sim, token = ip_sim({"IP_SIM_HANG_SECONDS": "2"}), fc_token("test")
    sim.control("POST", "failure", {"status": "hang"})
    # a late fault: the well-formed request of an identified citizen is the one that hangs
    headers = {"Authorization": f"Bearer {sim.token()}", "X-Correlation-ID": "123e4567-e89b-12d3-a456-426614174000",
               "ID_Teleservice": "DEMARCHE-DEMO-0001", "X-FranceConnect-OAuth": token}
    with pytest.raises(httpx.ReadTimeout):
        sim.http.get(f"/impotparticulier/1.0{SITUATION}", headers=headers, timeout=0.5)


def test_latency_is_added_and_logged(ip_sim, fc_token):
    sim, token = ip_sim(), fc_token("test")
    assert sim.control("POST", "latency", {"ms": 300}).json() == {"ms": 300}
    sim.control("DELETE", "requests")
    started = time.monotonic()
    assert sim.get(SITUATION, token).status_code == 200
    assert time.monotonic() - started >= 0.3
    log = sim.control("GET", "requests").json()
    assert [(e["path"], e["status"]) for e in log][-1] == (f"/impotparticulier/1.0{SITUATION}", 200)
    assert log[-1]["duration_ms"] >= 300 and token not in str(log)


def test_today_moves_the_taxation_switch_and_reset_restores_the_settings(ip_sim, fc_token):
    sim, token = ip_sim(), fc_token("test")
    assert sim.control("POST", "today", {"date": "2026-07-21"}).json() == {"date": "2026-07-21"}
    assert sim.get(SITUATION, token).status_code == 410
    assert sim.control("POST", "today", {"date": "2026-07-22"}).status_code == 200
    assert sim.get(SITUATION, token).status_code == 200
    sim.control("POST", "failure", {"status": "503"})
    assert sim.control("POST", "reset").status_code == 204
    assert sim.get(SITUATION, token).status_code == 200


def test_bad_control_values_are_refused_in_french(ip_sim):
    sim = ip_sim()
    assert "status" in sim.control("POST", "failure", {"status": "418"}).json()["erreur"]
    assert sim.control("POST", "latency", {"ms": -1}).status_code == 400
    assert sim.control("POST", "today", {"date": "demain"}).status_code == 400


def test_a_failure_set_in_the_settings_and_controls_that_can_be_turned_off(ip_sim):
    sim = ip_sim({"IP_SIM_FAILURE": "503", "IP_SIM_TEST_CONTROLS": "0"})
    assert sim.http.post("/token", data={"grant_type": "client_credentials"}).status_code == 503
    assert sim.control("POST", "reset").status_code == 404
