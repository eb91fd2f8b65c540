"""No input reaches the database or the parser unbounded (issue 19 f): a page number past 2**63, a cursor
holding an id of 10**30, and JSON bodies nested thousands deep or megabytes long are all answered in French,
never with a 500. The API's fuzz pass over deep and huge bodies is here too, beside tests/api/test_fuzz.py."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demarche.api.problems import MEDIA_TYPE
from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import agent_login, make_dossier
from tests.webhooks.helpers import add_webhook, record


def cursor(updated_at: str, dossier_id) -> str:
    raw = json.dumps({"u": updated_at, "i": dossier_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("page", ["9223372036854775807", "9223372036854775808", str(10**30), "-5", "x"])
def test_any_page_number_of_the_webhook_log_is_a_page(bo_app, browsers, page):
    add_webhook(bo_app, "http://127.0.0.1:9/hook")
    record(bo_app, make_dossier(bo_app), "dossier.depose")
    browser = browsers(bo_app)
    agent_login(browser)
    response = browser.get(f"http://localhost/agents/webhooks?page={page}")
    assert response.status == 200 and "Journal des envois" in response.text


@pytest.mark.parametrize("dossier_id", [10**30, -(10**30), 2**63, "1" * 5000, 1.5e308])
def test_a_cursor_out_of_range_is_a_422(bo_app, dossier_id):
    token = new_token(bo_app)
    response = bo_app.test_client().get("/api/v1/dossiers", query_string={
        "cursor": cursor("2026-01-01T00:00:00", dossier_id)[:200]}, headers=bearer(token))
    assert response.status_code == 422 and response.mimetype == MEDIA_TYPE
    assert response.get_json()["code"] in ("curseur_invalide", None)


def nested(depth: int, leaf: str = "{}") -> str:
    return '{"a":' * depth + leaf + "}" * depth


@pytest.mark.parametrize("body", [nested(100_000), "[" * 200_000 + "]" * 200_000,
                                  '{"status": "accepte", "motive": ' + nested(50_000) + "}"],
                         ids=["deep object", "deep array", "deep motive"])
def test_a_deeply_nested_body_is_a_clear_refusal(bo_app, body):
    reference, token = make_dossier(bo_app), new_token(bo_app, scope="instruct")
    response = bo_app.test_client().post(f"/api/v1/dossiers/{reference}/instruction", data=body,
                                          content_type="application/json", headers=bearer(token))
    assert response.status_code in (400, 422) and response.mimetype == MEDIA_TYPE
    assert "imbriqu" in response.get_json()["detail"]


def test_a_body_over_the_size_limit_is_a_413_in_french(bo_app):
    reference, token = make_dossier(bo_app), new_token(bo_app, scope="instruct")
    body = json.dumps({"status": "accepte", "motive": "x" * (2 * 1024 * 1024)})
    response = bo_app.test_client().post(f"/api/v1/dossiers/{reference}/instruction", data=body,
                                          content_type="application/json", headers=bearer(token))
    assert response.status_code == 413 and response.mimetype == MEDIA_TYPE
    assert "dépasse la taille autorisée" in response.get_json()["detail"]


JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
JSON_VALUE = st.recursive(JSON_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                          max_leaves=30)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=JSON_VALUE, depth=st.sampled_from([0, 1, 50, 600, 5000, 60_000]),
       width=st.sampled_from([0, 1, 1000, 100_000]))
def test_fuzzed_deep_and_huge_bodies_never_give_a_5xx(bo_app, value, depth, width):
    """Any JSON, wrapped `depth` deep and padded `width` wide, on the one route that reads a body."""
    token = new_token(bo_app, scope="instruct")
    body = '{"status":"accepte","motive":"' + "x" * width + '","extra":' + nested(depth, json.dumps(value)) + "}"
    response = bo_app.test_client().post("/api/v1/dossiers/CAN-2026-AAAAAA/instruction", data=body,
                                          content_type="application/json", headers=bearer(token))
    assert response.status_code < 500 and response.mimetype == MEDIA_TYPE, response.get_data(as_text=True)[:300]
