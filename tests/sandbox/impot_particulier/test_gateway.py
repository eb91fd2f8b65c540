"""The APIM gateway: POST /token (client credentials, Basic or form) and the gateway token on the resources."""

from __future__ import annotations

import base64

from demarche_sandbox.impot_particulier.settings import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

SITUATION = "/situations/ir/assiettes/annrev/2025"


def _token(sim, data: dict, auth: tuple[str, str] | None = (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), **kwargs):
    return sim.http.post("/token", data={"grant_type": "client_credentials", **data}, auth=auth, **kwargs)


def test_client_secret_basic_gives_a_bearer_for_the_resources_asked(ip_sim):
    response = _token(ip_sim(), {"scope": "RessourceIR"})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["scope"] == "RessourceIR"
    assert len(body["access_token"]) >= 32


def test_client_secret_post_works_and_no_scope_means_every_subscribed_one(ip_sim):
    form = {"client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET}
    response = _token(ip_sim(), form, auth=None)
    assert response.json()["scope"] == "RessourceIR RessourceIRDerniere RessourceIRDerniere2"


def test_two_authentication_methods_at_once_are_refused(ip_sim):
    response = _token(ip_sim(), {"client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_a_wrong_secret_is_invalid_client_401(ip_sim):
    sim = ip_sim()
    basic = _token(sim, {}, auth=(DEMO_CLIENT_ID, "wrong"))
    assert basic.status_code == 401 and basic.json()["error"] == "invalid_client"
    assert basic.headers["www-authenticate"].startswith("Basic")
    form = _token(sim, {"client_id": "unknown", "client_secret": "x"}, auth=None)
    assert form.status_code == 401 and form.json()["error_description"]


def test_other_grants_and_scopes_not_subscribed_are_refused(ip_sim):
    sim = ip_sim()
    grant = sim.http.post("/token", data={"grant_type": "password"}, auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET))
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    scope = _token(sim, {"scope": "RessourceIR RessourceLEP"})
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"
    assert "RessourceLEP" in scope.json()["error_description"]


def test_a_token_without_the_route_resource_is_403_4031(ip_sim, fc_token):
    sim = ip_sim()
    narrow = sim.token("RessourceIR")
    response = sim.get("/dernieresituation/ir/assiettes/deuxans", fc_token("test"),
                       headers={"Authorization": f"Bearer {narrow}"})
    assert response.status_code == 403 and response.json()["erreur"]["codeapp"] == 4031


def test_an_expired_gateway_token_is_refused(ip_sim, fc_token):
    sim = ip_sim({"IP_SIM_TOKEN_TTL": "60"})
    token = sim.token()
    assert sim.control("POST", "clock", {"advance": 61}).status_code == 200
    response = sim.get(SITUATION, fc_token("test"), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and "invalid_token" in response.headers["www-authenticate"]


def test_the_gateway_account_is_configurable(ip_sim):
    sim = ip_sim({"IP_SIM_CLIENT_ID": "commune-x", "IP_SIM_CLIENT_SECRET": "s3cret",
                  "IP_SIM_CLIENT_SCOPES": "RessourceIR"})
    header = "Basic " + base64.b64encode(b"commune-x:s3cret").decode()
    response = sim.http.post("/token", data={"grant_type": "client_credentials"}, headers={"Authorization": header})
    assert response.json()["scope"] == "RessourceIR"
