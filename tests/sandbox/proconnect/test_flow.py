"""The ProConnect simulator: the shared OpenID provider playing ProConnect's rules
(https://github.com/numerique-gouv/proconnect-documentation, doc_fs/implementation_technique.md and
doc_fs/scope-claims.md)."""

from __future__ import annotations

import secrets

from demarche_sandbox.proconnect.agents import agents
from tests.sandbox.conftest import callback
from tests.sandbox.proconnect.conftest import MARIE, OTHER, SCOPES, SERVICE, follow, login


def test_discovery_is_proconnects(pc):
    document = pc.http.get("/api/v2/.well-known/openid-configuration").json()
    assert document["issuer"] == pc.issuer and document["authorization_endpoint"] == f"{pc.issuer}/authorize"
    assert document["acr_values_supported"] == ["eidas0", "eidas0-mfa", "eidas1", "eidas1-mfa", "eidas2", "eidas3"]
    assert {"usual_name", "siret", "uid", "organizational_unit"} <= set(document["scopes_supported"])
    assert "identite_pivot" not in document["scopes_supported"]
    assert "cnaf_quotient_familial" not in document["claims_supported"]


def test_an_agent_logs_in_without_a_transmission_screen(pc):
    pc.start(SERVICE, scope=SCOPES)
    first = pc.http.get(pc.interaction)
    assert "Adresse électronique professionnelle" in first.text and "ProConnect (simulateur)" in first.text
    pc.submit("idp", email=MARIE.upper())
    assert MARIE in pc.http.get(pc.interaction).text
    params = callback(follow(pc, pc.submit("login", login=MARIE, password="123")))
    assert params["code"] and params["iss"] == pc.issuer


def test_the_tokens_and_the_signed_userinfo_carry_the_agents_claims(pc):
    tokens = pc.token(login(pc)["code"], SERVICE).json()
    _, id_claims = pc.verify(tokens["id_token"])
    assert id_claims["acr"] == "eidas1" and id_claims["aud"] == SERVICE["client_id"]
    response = pc.userinfo(tokens["access_token"])
    assert response.headers["content-type"] == "application/jwt"
    _, claims = pc.verify(response.text)
    assert claims["sub"] == id_claims["sub"] and len(claims["sub"]) == 64
    assert {k: claims[k] for k in ("email", "given_name", "usual_name", "siret", "uid", "idp_id")} == {
        "email": MARIE, "given_name": "Marie", "usual_name": "LAMBERT", "siret": "21750001600019",
        "uid": "mlambert", "idp_id": "fia1"}
    assert claims["phone_number"].startswith("+33") and claims["belonging_population"] == "agent"
    assert "birthdate" not in claims and "family_name" not in claims


def test_sub_is_pairwise_per_service(pc):
    first = pc.verify(pc.token(login(pc)["code"], SERVICE).json()["id_token"])[1]["sub"]
    other = pc.another()
    second = other.verify(other.token(login(other, client=OTHER)["code"], OTHER).json()["id_token"])[1]["sub"]
    assert first != second


def test_optional_claims_are_left_out_when_unknown_or_not_asked(pc):
    tokens = pc.token(login(pc, "sophie.bernard@ville-voisine.example", scope="openid email siret")["code"],
                      SERVICE).json()
    claims = pc.verify(pc.userinfo(tokens["access_token"]).text)[1]
    assert set(claims) - {"iss", "aud", "iat", "exp"} == {"sub", "email", "siret"}


def test_unknown_email_wrong_password_and_franceconnect_only_rules(pc):
    pc.start(SERVICE, scope=SCOPES)
    assert "Aucun compte de test" in pc.submit("idp", email="inconnu@example.fr").text
    pc.submit("idp", email=MARIE)
    assert "Mot de passe incorrect" in pc.submit("login", login=MARIE, password="456").text
    refused = pc.authorize(SERVICE, scope=SCOPES, acr_values="niveau_inconnu")
    assert refused.status_code == 400 and "ProConnect n’accepte que" in refused.text
    pc.start(SERVICE, scope=SCOPES, acr_values="eidas2")  # ProConnect knows eidas2, FranceConnect does not
    assert pc.http.get(pc.interaction).status_code == 200
    unknown = pc.authorize({**SERVICE, "client_id": "e" * 64}, scope=SCOPES, state=secrets.token_urlsafe(32))
    assert "inconnu de ProConnect" in unknown.text


def test_every_agent_of_the_csv_is_valid_and_one_is_for_the_refusal():
    assert all(agent.password == "123" and len(agent.siret) == 14 for agent in agents().values())
    assert [a.login for a in agents().values() if not a.demo_allowed] == ["paul.roux@demarche-sur-loire.example"]
    assert sum(a.siret == "21750001600019" for a in agents().values() if a.demo_allowed) >= 2


def test_rp_initiated_logout(pc):
    tokens = pc.token(login(pc)["code"], SERVICE).json()
    response = pc.http.get("/api/v2/session/end", params={
        "id_token_hint": tokens["id_token"], "state": "s" * 32,
        "post_logout_redirect_uri": SERVICE["post_logout_redirect_uris"][0]})
    assert response.status_code == 303
    assert response.headers["location"] == f"{SERVICE['post_logout_redirect_uris'][0]}?state={'s' * 32}"
