"""The FranceConnect-mode resources: required headers, masking by dgfip_* scopes, years and households,
against a real FranceConnect simulator over HTTP; every answer validated against the official OpenAPI."""

from __future__ import annotations

import httpx
import pytest

from demarche_sandbox.impot_particulier.settings import DEMO_ID_TELESERVICE
from tests.sandbox.impot_particulier.conftest import BEFORE_TAXATION, IR_SCOPES, YEARS

SITUATION_2025 = "/situations/ir/assiettes/annrev/2025"
DEUX_ANS = "/dernieresituation/ir/assiettes/deuxans"


def test_a_married_couple_as_the_dgfip_answers_it(ip_sim, fc_token):
    response = ip_sim().get(SITUATION_2025, fc_token("test"))
    assert response.status_code == 200
    assert response.json() == {
        "rfr": 29840, "sitFam": "M", "nbPart": 4.0, "pac": {"nbPac": 3},
        "aft": "RESIDENCE LES GLYCINES BAT B 12 RUE DES LILAS 37000 TOURS",
        "aftDetail": {"complementAdresse": "RESIDENCE LES GLYCINES BAT B", "voie": "12 RUE DES LILAS",
                      "getcommune": "TOURS", "getcodePostal": "37000"},
    }


def test_the_citizen_is_found_as_declarant_2_and_both_declarants_are_sent(ip_sim, fc_token):
    token = fc_token("avec_nom_dusage", ("dgfip_rfr", "dgfip_decl", "dgfip_annee_n_moins_1"))
    body = ip_sim().get(SITUATION_2025, token).json()
    assert body["rfr"] == 33270
    assert (body["nmNaiDec1"], body["prnmDec1"]) == ("DUBOIS", "SOPHIE ANNE")
    assert (body["nmNaiDec2"], body["nmUsaDec2"], body["prnmDec2"]) == ("MERCIER", "DUBOIS", "PIERRE")
    assert body["dateNaisDec2"] == {"jour": "17", "mois": "03", "annee": "1969"}
    assert "nbPart" not in body and "aft" not in body


@pytest.mark.parametrize(("scopes", "keys"), [
    (("dgfip_rfr",), {"rfr"}),
    (("dgfip_nbpart", "dgfip_sitfam"), {"nbPart", "sitFam"}),
    (("dgfip_pac_nbPac",), {"pac"}),
    (("dgfip_aft",), {"aft", "aftDetail"}),
    (("dgfip_pariso", "dgfip_pac"), {"sitParIso", "pac"}),
    (("dgfip_prnmDec1", "dgfip_mntRevbareme"), {"prnmDec1", "mntRevbareme"}),
])
def test_only_the_fields_of_the_granted_scopes_are_sent(ip_sim, fc_token, scopes, keys):
    body = ip_sim().get(SITUATION_2025, fc_token("caractères_spéciaux", (*scopes, "dgfip_annee_n_moins_1"))).json()
    assert set(body) == keys
    if "pac" in keys:
        assert body["pac"]["nbPac"] == 1
        assert ("nbPacF" in body["pac"]) == ("dgfip_pac" in scopes)  # the detail needs dgfip_pac
    if "sitParIso" in keys:
        assert body["sitParIso"] == "T"


def test_a_single_parent_and_a_taxpayer_unknown_to_the_caf(ip_sim, fc_token):
    sim = ip_sim()
    parent = sim.get(SITUATION_2025, fc_token("sans_mail", (*IR_SCOPES, "dgfip_pariso", *YEARS))).json()
    assert (parent["sitFam"], parent["nbPart"], parent["pac"], parent["sitParIso"]) == ("D", 2.5, {"nbPac": 2}, "T")
    single = sim.get(SITUATION_2025, fc_token("nom_composé")).json()
    assert (single["rfr"], single["nbPart"], single["sitFam"]) == (38420, 1.0, "C")


def test_the_address_is_that_of_the_year(ip_sim, fc_token):
    token = fc_token("nom_composé", ("dgfip_aft", "dgfip_annee_n_moins_1", "dgfip_annee_n_moins_3"))
    sim = ip_sim()
    assert sim.get(SITUATION_2025, token).json()["aftDetail"]["getcommune"] == "MARSEILLE"
    assert sim.get("/situations/ir/assiettes/annrev/2023", token).json()["aftDetail"]["getcommune"] == "LYON"


def test_someone_unknown_to_the_dgfip_gets_410_4102(ip_sim, fc_token):
    response = ip_sim().get(SITUATION_2025, fc_token("moins_25_ans"))
    assert response.status_code == 410 and response.json()["erreur"]["codeapp"] == 4102


def test_before_the_taxation_date_last_year_is_410_4101_and_the_year_before_is_served(ip_sim, fc_token):
    sim, token = ip_sim({"IP_SIM_TODAY": BEFORE_TAXATION}), fc_token("test")
    response = sim.get(SITUATION_2025, token)
    assert response.status_code == 410 and response.json()["erreur"]["codeapp"] == 4101
    assert sim.get("/situations/ir/assiettes/annrev/2024", token).json()["rfr"] == 28610  # N-2, taxed in 2025


def test_a_year_without_assessment_or_in_the_future_is_410_4101(ip_sim, fc_token):
    sim = ip_sim()
    token = fc_token("sans_mail", ("dgfip_rfr", "dgfip_annee_n_moins_3"))
    no_avis = sim.get("/situations/ir/assiettes/annrev/2023", token)
    assert no_avis.status_code == 410 and no_avis.json()["erreur"]["codeapp"] == 4101
    future = sim.get("/situations/ir/assiettes/annrev/2026", fc_token("test", ("dgfip_rfr", *YEARS)))
    assert future.status_code == 403  # no year scope opens the current year's incomes


def test_a_year_the_consent_does_not_cover_is_refused_403_4031(ip_sim, fc_token):
    response = ip_sim().get("/situations/ir/assiettes/annrev/2023", fc_token("test"))
    assert response.status_code == 403 and response.json()["erreur"]["codeapp"] == 4031


def test_a_consent_without_any_dgfip_data_is_refused(ip_sim, fc_token):
    response = ip_sim().get(SITUATION_2025, fc_token("test", YEARS))
    assert response.status_code == 403 and response.json()["erreur"]["codeapp"] == 4031


def test_deux_ans_falls_back_to_the_year_before_until_the_taxation_date(ip_sim, fc_token):
    scopes = ("dgfip_rfr", "dgfip_annee_n_moins_2_si_indispo_n_moins_1")
    after = ip_sim().get(DEUX_ANS, fc_token("test", scopes)).json()
    before = ip_sim({"IP_SIM_TODAY": BEFORE_TAXATION}).get(DEUX_ANS, fc_token("test", scopes)).json()
    assert after == {"annRevenu": 2025, "rfr": 29840}
    assert before == {"annRevenu": 2024, "rfr": 28610}


def test_derniere_situation_of_a_year_carries_the_year(ip_sim, fc_token):
    body = ip_sim().get("/dernieresituation/ir/assiettes/annrev/2024", fc_token("test")).json()
    assert body["annRevenu"] == 2024 and body["rfr"] == 28610


@pytest.mark.parametrize(("headers", "status"), [
    ({"Authorization": None}, 400),
    ({"Authorization": "Basic abc"}, 400),
    ({"Authorization": "Bearer not-a-gateway-token"}, 403),
    ({"X-Correlation-ID": None}, 400),
    ({"X-Correlation-ID": "not-a-uuid"}, 400),
    ({"ID_Teleservice": None}, 400),
    ({"ID_Teleservice": "AUTRE-TELESERVICE"}, 403),
    ({"ID_Teleservice": None, "ID-Teleservice": DEMO_ID_TELESERVICE}, 400),  # the DGFiP's name has an underscore
    ({"X-FranceConnect-OAuth": None}, 400),
    ({"X-FranceConnect-OAuth": "not-a-franceconnect-token"}, 403),
])
def test_each_required_header_is_checked(ip_sim, fc_token, headers, status):
    response = ip_sim().get(SITUATION_2025, fc_token("test"), headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["erreur"]["message"]


def test_a_malformed_year_is_400_4002(ip_sim, fc_token):
    response = ip_sim().get("/situations/ir/assiettes/annrev/25", fc_token("test"))
    assert response.status_code == 400 and response.json()["erreur"]["codeapp"] == 4002


def test_an_expired_franceconnect_token_is_refused(ip_sim, fc_token, fc_sim):
    token = fc_token("test")
    httpx.post(f"{fc_sim.url}/_sim/clock", json={"advance": 61}, trust_env=False).raise_for_status()
    assert ip_sim().get(SITUATION_2025, token).status_code == 403


def test_franceconnect_unreachable_is_a_technical_error(ip_sim):
    response = ip_sim({"IP_SIM_FC_ISSUER": "http://127.0.0.1:9/api/v2"}).get(SITUATION_2025, "any-token")
    assert response.status_code == 500
