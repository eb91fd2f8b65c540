"""The DGFiP as a FranceConnect data provider, against the real FranceConnect simulator: the dgfip_*
scopes are known, grouped under the DGFiP on the transmission screen, and returned by checktoken to the
DGFiP only; the simulator reads the identity and the scopes from there."""

from __future__ import annotations

import httpx

from demarche_sandbox.defaults import (
    DATA_PROVIDER_ID,
    DATA_PROVIDER_SECRET,
    DGFIP_DATA_PROVIDER_ID,
    DGFIP_DATA_PROVIDER_SECRET,
)
from demarche_sandbox.franceconnect.scopes import DGFIP_SCOPES
from demarche_sandbox.impot_particulier.foyers import DATA_SCOPES
from demarche_sandbox.impot_particulier.franceconnect import check_token
from demarche_sandbox.impot_particulier.settings import load_settings
from tests.sandbox.conftest import Browser
from tests.sandbox.impot_particulier.conftest import demo_client


def _checktoken(fc_sim, token: str, client_id: str, secret: str) -> dict:
    form = {"token": token, "client_id": client_id, "client_secret": secret}
    response = httpx.post(f"{fc_sim.url}/api/v2/checktoken", data=form, trust_env=False)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_franceconnect_simulator_knows_every_scope_the_dgfip_simulator_reads(fc_sim):
    discovery = httpx.get(f"{fc_sim.url}/api/v2/.well-known/openid-configuration", trust_env=False).json()
    assert set(DGFIP_SCOPES) <= set(discovery["scopes_supported"])
    assert set(DGFIP_SCOPES) >= DATA_SCOPES


def test_the_transmission_screen_groups_the_dgfip_data(fc_sim):
    browser = Browser(fc_sim)
    try:
        client = demo_client()
        browser.start(client, scope="openid identite_pivot cnaf_quotient_familial dgfip_rfr dgfip_annee_n_moins_1")
        browser.submit("idp", idp="impots-gouv")
        page = browser.http.get(browser.submit("login", login="test", password="123").headers["location"]).text
    finally:
        browser.close()
    dgfip = page.index("(Direction générale des Finances publiques)")
    assert page.index("(API Particulier)") < page.index("Quotient familial") < dgfip
    assert dgfip < page.index("Revenu fiscal de référence") and dgfip < page.index("Dernière année de revenu")


def test_checktoken_gives_each_data_provider_its_own_scopes(fc_sim, fc_token):
    token = fc_token("test", ("cnaf_quotient_familial", "dgfip_rfr", "dgfip_annee_n_moins_1"))
    dgfip = _checktoken(fc_sim, token, DGFIP_DATA_PROVIDER_ID, DGFIP_DATA_PROVIDER_SECRET)
    caf = _checktoken(fc_sim, token, DATA_PROVIDER_ID, DATA_PROVIDER_SECRET)
    assert dgfip["active"] is True and dgfip["scope"] == "dgfip_rfr dgfip_annee_n_moins_1"
    assert caf["scope"] == "cnaf_quotient_familial"
    assert dgfip["sub"] != caf["sub"]  # one pairwise sub per data provider


def test_the_simulator_reads_the_pivot_identity_and_the_scopes(fc_sim, fc_token):
    settings = load_settings({"IP_SIM_FC_ISSUER": f"{fc_sim.url}/api/v2"})
    citizen = check_token(fc_token("nom_composé", ("dgfip_rfr", "dgfip_annee_n_moins_1")), settings)
    assert citizen.scopes == {"dgfip_rfr", "dgfip_annee_n_moins_1"}
    assert citizen.identity["family_name"] == "TROIS-DUPRE" and citizen.identity["birthplace"] == "13012"


def test_wrong_data_provider_credentials_are_a_technical_error(ip_sim, fc_token):
    sim = ip_sim({"IP_SIM_FC_CLIENT_SECRET": "wrong"})
    response = sim.get("/situations/ir/assiettes/annrev/2025", fc_token("test"))
    assert response.status_code == 500 and "401" in response.json()["erreur"]["message"]
