"""Reading through the API: the list with its filters and cursor, a dossier with everything it holds, and
the wall between organisations (another organisation's dossier is a 404, its list is empty)."""

from __future__ import annotations

from datetime import datetime

from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import COMMUNE, OTHER_ORG, make_dossier


def test_the_list_pages_with_a_cursor_and_misses_nothing(api_app):
    references = [make_dossier(api_app, submitted_at=datetime(2026, 11, day, 9)) for day in range(1, 6)]
    client, token = api_app.test_client(), new_token(api_app)
    seen, cursor, pages = [], None, 0
    while True:
        response = client.get("/api/v1/dossiers", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})},
                              headers=bearer(token))
        assert response.status_code == 200 and response.mimetype == "application/json"
        seen += [item["reference"] for item in response.json["items"]]
        cursor, pages = response.json["next_cursor"], pages + 1
        if cursor is None:
            break
    assert seen == references and pages == 3


def test_the_list_filters(api_app):
    old = make_dossier(api_app, submitted_at=datetime(2026, 10, 1, 9))
    new = make_dossier(api_app, status="en_instruction", submitted_at=datetime(2026, 11, 20, 9))
    client, token = api_app.test_client(), new_token(api_app)

    def references(**query) -> list[str]:
        response = client.get("/api/v1/dossiers", query_string=query, headers=bearer(token))
        assert response.status_code == 200, response.json
        return [item["reference"] for item in response.json["items"]]

    assert references(status="en_instruction") == [new]
    assert references(procedure="cantine") == [old, new] and references(procedure="transport") == []
    assert references(submitted_from="2026-11-01") == [new] and references(submitted_to="2026-10-01") == [old]
    assert references(updated_since="2026-11-20T09:00:00+01:00") == [new]


def test_a_dossier_with_provenance_consent_trace_and_history(api_app):
    reference = make_dossier(api_app)
    response = api_app.test_client().get(f"/api/v1/dossiers/{reference}", headers=bearer(new_token(api_app)))
    assert response.status_code == 200
    dossier = response.json
    assert dossier["status"] == "depose" and dossier["status_label"] == "Déposé"
    assert dossier["answers"]["quotient_familial"] == {"value": 650, "origin": "certified"}
    [source] = dossier["certified"]
    assert source["source"] == "quotient_familial" and source["data"]["quotient_familial"]["valeur"] == 650
    assert source["provenance"] == {"platform": "API Particulier", "provider": "CAF ou MSA",
                                    "route": "/v3/dss/quotient_familial/france_connect",
                                    "request_id": "req-0123456789", "retrieved_at": "2026-11-21T09:15:00",
                                    "modality": "france_connect"}
    assert dossier["consent"]["text_version"] == "cantine-2026-11" and dossier["consent"]["decision"] == "accepted"
    assert dossier["consent"]["recipient"] == COMMUNE and dossier["consent"]["categories"] == ["quotient familial"]
    trace = dossier["authentication"]
    assert trace["acr"] == "eidas1" and trace["auth_time"] == "2026-11-20T09:15:00Z"
    assert len(trace["citizen_pseudonym"]) == 32 and "sub" not in trace and "sub-" not in response.text
    assert [(e["kind"], e["to_status"], e["actor"]) for e in dossier["events"]] == [("submitted", "depose", "usager")]
    assert dossier["allowed_statuses"] == ["en_instruction"]


def test_another_organisation_sees_nothing(api_app):
    reference = make_dossier(api_app, siret=COMMUNE)
    client, theirs = api_app.test_client(), new_token(api_app, siret=OTHER_ORG, scope="instruct")
    assert client.get("/api/v1/dossiers", headers=bearer(theirs)).json == {"items": [], "next_cursor": None}
    unknown = client.get("/api/v1/dossiers/CAN-2026-NOPE00", headers=bearer(theirs))
    foreign = client.get(f"/api/v1/dossiers/{reference}", headers=bearer(theirs))
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json["detail"] == unknown.json["detail"] and foreign.mimetype == "application/problem+json"
    change = client.post(f"/api/v1/dossiers/{reference}/instruction", json={"status": "en_instruction"},
                         headers=bearer(theirs))
    assert change.status_code == 404


def test_the_openapi_document_is_public_and_3_1(api_app):
    response = api_app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json["openapi"] == "3.1.0"
    assert set(response.json["paths"]) == {"/api/v1/dossiers", "/api/v1/dossiers/{reference}",
                                           "/api/v1/dossiers/{reference}/instruction"}
    assert response.json["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
