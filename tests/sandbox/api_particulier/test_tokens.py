"""Who may call: service tokens and their scopes, and citizens' FranceConnect tokens checked at /checktoken."""

from __future__ import annotations

import json
import threading

import pytest

from demarche.devserver import serve
from tests.sandbox.ap_conftest_helpers import ANGELA
from tests.sandbox.api_particulier.conftest import C2S, QF


@pytest.mark.parametrize(
    ("token", "headers"),
    [(None, None), ("not-a-token", None), (None, {"Authorization": "Basic ZGVtbzpkZW1v"})],
)
def test_a_missing_or_unknown_service_token_is_refused(sim, token, headers):
    response = sim().get(QF, ANGELA, token=token, headers=headers)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "00101"


def test_a_token_without_the_route_gets_403_and_scopes_mask_the_data(sim):
    simulator = sim(
        {
            "AP_SIM_TOKENS": {
                "qf-only": ["/v3/dss/quotient_familial"],
                "qf-value": ["cnaf_quotient_familial"],
                "qf-kids": ["cnaf_enfants", "cnaf_adresse"],
            }
        }
    )
    refused = simulator.get(C2S, ANGELA, token="qf-only")
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "00100"
    assert set(simulator.get(QF, ANGELA, token="qf-only").json()["data"]) == {
        "allocataires",
        "enfants",
        "adresse",
        "quotient_familial",
    }
    assert set(simulator.get(QF, ANGELA, token="qf-value", masked=True).json()["data"]) == {
        "quotient_familial"
    }
    assert set(simulator.get(QF, ANGELA, token="qf-kids", masked=True).json()["data"]) == {
        "enfants",
        "adresse",
    }


QF_FC = "/v3/dss/quotient_familial/france_connect"
CNOUS_SCOPES = (
    "cnous_statut_boursier",
    "cnous_echelon_bourse",
    "cnous_email",
    "cnous_periode_versement",
    "cnous_etablissement_etudes",
)


def test_france_connect_token_gives_the_citizens_own_data(sim, fc):
    simulator = sim({"AP_SIM_FC_ISSUER": fc.issuer})
    response = simulator.get(QF_FC, token=fc.access_token("test"))
    assert response.status_code == 200
    assert response.json()["data"]["quotient_familial"]["valeur"] == 650
    assert len(response.json()["data"]["enfants"]) == 3


def test_france_connect_scopes_mask_the_data(sim, fc):
    simulator = sim({"AP_SIM_FC_ISSUER": fc.issuer})
    token = fc.access_token("avec_nom_dusage", scopes=("cnaf_quotient_familial", "cnaf_enfants"))
    data = simulator.get(QF_FC, token=token, masked=True).json()["data"]
    assert set(data) == {"quotient_familial", "enfants"} and data["quotient_familial"]["fournisseur"] == "MSA"


def test_france_connect_token_without_the_routes_scopes_gets_403(sim, fc):
    simulator = sim({"AP_SIM_FC_ISSUER": fc.issuer})
    response = simulator.get(
        "/v3/dss/complementaire_sante_solidaire/france_connect", token=fc.access_token("test")
    )
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "00100"


def test_student_routes_drop_the_identity_block_with_france_connect(sim, fc):
    simulator = sim({"AP_SIM_FC_ISSUER": fc.issuer})
    scopes = (*CNOUS_SCOPES, "mesri_identite", "mesri_admission")
    token = fc.access_token("moins_25_ans", scopes=scopes)
    boursier = simulator.get("/v3/cnous/etudiant_boursier/france_connect", token=token).json()["data"]
    assert boursier["echelon_bourse"]["echelon"] == "5" and "identite" not in boursier
    statut = simulator.get("/v3/mesri/statut_etudiant/france_connect", token=token).json()["data"]
    assert set(statut) == {"admissions"}


def test_unknown_person_through_france_connect_gets_404(sim, fc):
    simulator = sim({"AP_SIM_FC_ISSUER": fc.issuer})
    response = simulator.get(QF_FC, token=fc.access_token("nom_composé"))
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "35003"


def test_an_expired_france_connect_token_gets_401_50002(sim, fc):
    simulator = sim({"AP_SIM_FC_ISSUER": fc.issuer})
    token = fc.access_token("test")
    fc.advance_clock(61)
    response = simulator.get(QF_FC, token=token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "50002"
    assert response.json()["errors"][0]["detail"] == "Le jeton d'accès n'a pas été trouvé ou est expiré."


@pytest.mark.parametrize(("token", "code"), [(None, "50004"), ("forged-token", "50002")])
def test_a_missing_or_unknown_france_connect_token_gets_401(sim, fc, token, code):
    response = sim({"AP_SIM_FC_ISSUER": fc.issuer}).get(QF_FC, token=token)
    assert response.status_code == 401 and response.json()["errors"][0]["code"] == code


def test_an_introspection_without_pivot_identity_gets_401_50003(sim):
    """The FC simulator never issues such a token (it refuses incomplete identities at login), so a
    minimal checktoken endpoint answers what a misconfigured FranceConnect would."""
    claims = {
        "active": True,
        "scope": "cnaf_quotient_familial",
        "family_name": "DUBOIS",
        "birthdate": "1962-08-24",
    }

    def checktoken(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(claims).encode()]

    fake_fc = serve(lambda url: checktoken)
    try:
        response = sim({"AP_SIM_FC_ISSUER": f"{fake_fc.url}/api/v2"}).get(QF_FC, token="any")
    finally:
        threading.Thread(target=fake_fc.stop, daemon=True).start()
    assert response.status_code == 401 and response.json()["errors"][0]["code"] == "50003"
    assert "cnaf_quotient_familial" in response.json()["errors"][0]["detail"]


def test_recipient_is_checked_on_france_connect_routes_too(sim, fc):
    simulator = sim({"AP_SIM_FC_ISSUER": fc.issuer})
    response = simulator.get(QF_FC, {"recipient": None}, token=fc.access_token("test"))
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "00203"


def test_france_connect_down_gets_502(sim):
    response = sim({"AP_SIM_FC_ISSUER": "http://127.0.0.1:9/api/v2"}).get(QF_FC, token="any")
    assert response.status_code == 502
    assert response.json()["errors"][0]["meta"] == {"provider": "FranceConnect"}
