"""The FranceConnect simulator's discovery document, keys and default registrations."""


from __future__ import annotations

import base64

from demarche.devserver import serve
from demarche_sandbox import franceconnect
from demarche_sandbox.defaults import FC_CLIENT_ID as DEMO_FC_CLIENT_ID
from tests.sandbox.conftest import Browser

FULL_PIVOT = "openid identite_pivot idp_birthdate"

def test_discovery_mirrors_the_real_sandbox(browser: Browser):
    doc = browser.http.get("/api/v2/.well-known/openid-configuration").json()
    issuer = browser.issuer
    assert doc["issuer"] == issuer
    assert doc["authorization_endpoint"] == f"{issuer}/authorize"
    assert doc["token_endpoint"] == f"{issuer}/token"
    assert doc["userinfo_endpoint"] == f"{issuer}/userinfo"
    assert doc["end_session_endpoint"] == f"{issuer}/session/end"
    assert doc["jwks_uri"] == f"{issuer}/jwks"
    assert doc["revocation_endpoint"] == f"{issuer}/token/revocation"
    assert doc["acr_values_supported"] == ["eidas1"]
    assert doc["subject_types_supported"] == ["pairwise"]
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_post", "private_key_jwt"]
    assert set(doc["id_token_signing_alg_values_supported"]) == {"HS256", "ES256", "RS256"}
    assert set(doc["userinfo_signing_alg_values_supported"]) == {"HS256", "ES256", "RS256"}
    assert doc["response_modes_supported"] == ["form_post", "fragment", "query"]
    assert (doc["claims_parameter_supported"], doc["request_parameter_supported"]) == (True, False)
    assert doc["request_uri_parameter_supported"] and doc["require_request_uri_registration"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert {"identite_pivot", "email", "cnaf_quotient_familial", "mesri_admission"} <= set(
        doc["scopes_supported"])
    assert {"given_name", "given_name_array", "birthcountry", "cnaf_enfants"} <= set(doc["claims_supported"])
    assert doc["claim_types_supported"] == ["normal"]


def test_jwks_has_one_p256_key_and_one_rsa_key_and_no_private_part(browser: Browser):
    keys = browser.http.get("/api/v2/jwks").json()["keys"]
    by_type = {key["kty"]: key for key in keys}
    assert len(keys) == 2 and set(by_type) == {"EC", "RSA"}
    assert by_type["EC"]["crv"] == "P-256" and by_type["EC"]["kid"].startswith("sim:ES256:")
    assert by_type["RSA"]["kid"].startswith("sim:RS256:")
    assert len(base64.urlsafe_b64decode(by_type["RSA"]["n"] + "==")) * 8 == 2048
    assert not any("d" in key for key in keys)

def test_default_registry_knows_the_demo_service(monkeypatch):
    monkeypatch.setenv("FC_SIM_SERVICE_URL", "http://127.0.0.1:5999")
    server = serve(lambda url: franceconnect.create_app({"FC_SIM_PUBLIC_URL": url}))
    try:
        browser = Browser(server)
        for path in ("callback", "data-callback"):
            uri = f"http://127.0.0.1:5999/franceconnect/{path}"
            scope = "openid identite_pivot email cnaf_quotient_familial mesri_admission"
            demo = {"client_id": DEMO_FC_CLIENT_ID, "redirect_uris": [uri]}
            response = browser.authorize(demo, scope=scope)
            assert response.status_code == 303, response.text
        assert "Démarche (démonstration)" in browser.http.get(response.headers["location"]).text
        browser.close()
    finally:
        server.stop()
