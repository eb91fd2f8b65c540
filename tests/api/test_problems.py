"""Every error under /api/v1 is application/problem+json in French, whatever raised it; the rest of the
site keeps its HTML error pages."""

from __future__ import annotations

from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import make_dossier

MEMBERS = {"type", "title", "status", "detail", "instance"}


def test_routing_errors_are_problems(api_app):
    client = api_app.test_client()
    missing = client.get("/api/v1/nulle-part")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert set(missing.json) >= MEMBERS and missing.json["title"] == "Ressource introuvable"
    wrong_method = client.delete("/api/v1/dossiers", headers=bearer(new_token(api_app)))
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
    assert wrong_method.json["title"] == "Méthode non autorisée"
    page = client.get("/nulle-part")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_validation_errors_say_which_field_in_french(api_app):
    reference = make_dossier(api_app)
    client, token = api_app.test_client(), new_token(api_app, scope="instruct")
    listing = client.get("/api/v1/dossiers?limit=1000&status=perdu", headers=bearer(token))
    assert listing.status_code == 422 and listing.json["code"] == "validation"
    assert {(e["location"], e["message"]) for e in listing.json["errors"]} == {
        ("limit", "valeur trop grande"), ("status", "valeur non autorisée")}
    cursor = client.get("/api/v1/dossiers?cursor=pas-un-curseur", headers=bearer(token))
    assert cursor.status_code == 422 and cursor.json["code"] == "curseur_invalide"
    not_json = client.post(f"/api/v1/dossiers/{reference}/instruction", data="statut=accepte", headers=bearer(token),
                           content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 422 and not_json.mimetype == "application/problem+json"
    extra = client.post(f"/api/v1/dossiers/{reference}/instruction", json={"status": "accepte", "agent": "moi"},
                        headers=bearer(token))
    assert ("agent", "champ inconnu") in {(e["location"], e["message"]) for e in extra.json["errors"]}
