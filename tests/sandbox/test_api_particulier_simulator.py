"""The API Particulier simulator over real HTTP: every body it sends is checked against the official
v3 OpenAPI (ap_conftest_helpers.ApSim), then its personas, checks, headers and switches."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import date

import pytest

from demarche.devserver import serve
from demarche.sandbox.api_particulier import create_app
from tests.sandbox import ap_conftest_helpers
from tests.sandbox.ap_conftest_helpers import ANGELA, PAUL, FranceConnect

sim = ap_conftest_helpers.sim  # the shared simulator-factory fixture

QF = "/v3/dss/quotient_familial/identite"
C2S = "/v3/dss/complementaire_sante_solidaire/identite"
RSA = "/v3/dss/revenu_solidarite_active/identite"
AAH = "/v3/dss/allocation_adulte_handicape/identite"
CNOUS = "/v3/cnous/etudiant_boursier/identite"
MESRI = "/v3/mesri/statut_etudiant/identite"
MELISSANDRE = {
    **ANGELA,
    "nomNaissance": "TROIS-DUPRE",
    "prenoms[]": ["Melissandre"],
    "anneeDateNaissance": 1981,
    "moisDateNaissance": 7,
    "jourDateNaissance": 27,
    "codeCogInseeCommuneNaissance": "13012",
}
PIERRE = {
    **ANGELA,
    "nomNaissance": "MERCIER",
    "nomUsage": "DUBOIS",
    "prenoms[]": ["Pierre"],
    "sexeEtatCivil": "M",
    "anneeDateNaissance": 1969,
    "moisDateNaissance": 3,
    "jourDateNaissance": 17,
    "codeCogInseeCommuneNaissance": "95277",
}
JOELLE = {
    **ANGELA,
    "nomNaissance": "dubinore",
    "prenoms[]": ["JOELLE"],
    "anneeDateNaissance": 1992,
    "moisDateNaissance": 8,
    "jourDateNaissance": 15,
    "codeCogInseeCommuneNaissance": "75117",
}
JEAN = {
    **ANGELA,
    "nomNaissance": "DUBIGNOT",
    "prenoms[]": ["Jean", "Philippe"],
    "sexeEtatCivil": "M",
    "anneeDateNaissance": 1943,
    "moisDateNaissance": 6,
    "jourDateNaissance": 15,
}
ANNE_LAURE = {
    **ANGELA,
    "nomNaissance": "HUCHE",
    "prenoms[]": ["Anne-Laure"],
    "anneeDateNaissance": 1945,
    "moisDateNaissance": 9,
    "jourDateNaissance": 30,
    "codeCogInseeCommuneNaissance": "31555",
}


@pytest.fixture
def fc():
    """The FranceConnect simulator, to get citizens' access tokens."""
    franceconnect = FranceConnect()
    yield franceconnect
    franceconnect.close()


def test_quotient_familial_of_angela_is_the_caf_family_of_this_month(sim):
    data = sim().get(QF, ANGELA).json()["data"]
    today = date.today()
    assert data["quotient_familial"] == {
        "fournisseur": "CNAF",
        "valeur": 650,
        "annee": today.year,
        "mois": today.month,
        "annee_calcul": today.year,
        "mois_calcul": 1,
    }
    assert [p["prenoms"] for p in data["allocataires"]] == ["ANGELA CLAIRE LOUISE", "MARC ANTOINE"]
    assert len(data["enfants"]) == 3 and all(child["date_naissance"] >= "2015" for child in data["enfants"])
    assert data["adresse"]["code_postal_ville"] == "37000 TOURS"


def test_quotient_familial_of_a_past_month_is_echoed(sim):
    data = sim().get(QF, {**ANGELA, "annee": 2025, "mois": 3}).json()["data"]
    assert (data["quotient_familial"]["annee"], data["quotient_familial"]["mois"]) == (2025, 3)


def test_an_msa_family_is_found_with_its_usage_name(sim):
    data = sim().get(QF, PIERRE).json()["data"]
    assert data["quotient_familial"]["fournisseur"] == "MSA" and data["quotient_familial"]["valeur"] == 980
    assert data["allocataires"][0]["nom_usage"] == "DUBOIS" and len(data["enfants"]) == 1


def test_matching_ignores_case_and_accents_but_not_the_birth_date(sim):
    simulator = sim()
    assert simulator.get(QF, JOELLE).json()["data"]["quotient_familial"]["valeur"] == 420
    assert (
        simulator.get(QF, {**JOELLE, "nomNaissance": "DUBINÔRE", "prenoms[]": ["joëlle"]}).status_code == 200
    )
    assert simulator.get(QF, {**JOELLE, "jourDateNaissance": 16}).status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        (
            C2S,
            ANGELA,
            {"est_beneficiaire": True, "avec_participation": False, "date_debut_droit": "2024-04-01"},
        ),
        (C2S, PIERRE, {"est_beneficiaire": False, "avec_participation": None, "date_debut_droit": None}),
        (RSA, JOELLE, {"est_beneficiaire": True, "avec_majoration": True, "date_debut_droit": "2023-09-01"}),
        (RSA, ANGELA, {"est_beneficiaire": False, "avec_majoration": None, "date_debut_droit": None}),
        (AAH, PIERRE, {"est_beneficiaire": True, "date_debut_droit": "2021-03-01"}),
    ],
)
def test_dss_statuses(sim, path, params, expected):
    assert sim().get(path, params).json()["data"] == expected


def test_cnous_boursier_by_identity_and_by_ine(sim):
    simulator = sim()
    by_identity = simulator.get(CNOUS, {k: v for k, v in PAUL.items() if k != "sexeEtatCivil"}).json()["data"]
    assert by_identity["echelon_bourse"]["echelon"] == "5" and by_identity["est_boursier"] is True
    assert by_identity["identite"]["nom_commune_naissance"] == "Saint-Étienne"
    rentree = by_identity["periode_versement_bourse"]["date_rentree"]
    assert rentree.endswith("-09-01") and date.fromisoformat(rentree) <= date.today()
    assert (
        simulator.get("/v3/cnous/etudiant_boursier/ine", {"ine": "0701234567K"}).json()["data"] == by_identity
    )


def test_mesri_statut_by_identity_and_by_ine(sim):
    simulator = sim()
    data = simulator.get(MESRI, PAUL).json()["data"]
    assert data["identite"] == {"nom_naissance": "CUILLERE", "prenom": "Paul", "date_naissance": "2007-01-23"}
    assert data["admissions"][0]["est_inscrit"] is True
    assert data["admissions"][0]["etablissement_etudes"]["uai"] == "0421095M"
    assert simulator.get("/v3/mesri/statut_etudiant/ine", {"ine": "0701234567K"}).json()["data"] == data


@pytest.mark.parametrize(
    ("path", "params", "code", "provider"),
    [
        (QF, MELISSANDRE, "35003", "CNAF & MSA"),
        (RSA, MELISSANDRE, "35003", "CNAF & MSA"),
        (AAH, MELISSANDRE, "35003", "CNAF & MSA"),
        (C2S, MELISSANDRE, "40003", "RNCPS"),
        (CNOUS, {**PAUL, "nomNaissance": "TROIS-DUPRE"}, "26003", "CNOUS"),
        (MESRI, {**PAUL, "prenoms[]": ["Pierre"]}, "25003", "MESRI"),
        ("/v3/cnous/etudiant_boursier/ine", {"ine": "99999999999"}, "26003", "CNOUS"),
        ("/v3/mesri/statut_etudiant/ine", {"ine": "99999999999"}, "25003", "MESRI"),
        (QF, PAUL | {"codeCogInseePaysNaissance": "99100"}, "35003", "CNAF & MSA"),
    ],
)
def test_unknown_people_get_the_providers_not_found(sim, path, params, code, provider):
    response = sim().get(path, params)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == code
    assert response.json()["errors"][0]["meta"] == {"provider": provider}


@pytest.mark.parametrize(
    ("path", "code"), [(QF, "37999"), (C2S, "37999"), (CNOUS, "26999"), (MESRI, "25999")]
)
def test_a_provider_down_answers_502(sim, path, code):
    params = {**JEAN, "prenoms[]": ["Jean"]} if path == MESRI else JEAN
    response = sim().get(path, params)
    assert response.status_code == 502 and response.json()["errors"][0]["code"] == code


def test_a_slow_provider_answers_after_the_configured_delay(sim):
    simulator = sim({"AP_SIM_SLOW_SECONDS": "0.3"})
    started = time.monotonic()
    response = simulator.get(QF, ANNE_LAURE)
    assert response.status_code == 200 and time.monotonic() - started >= 0.3
    assert response.json()["data"]["enfants"] == []


@pytest.mark.parametrize(
    ("recipient", "code"),
    [(None, "00203"), ("", "00203"), ("21750001600018", "00210"), ("2175000160001A", "00210")],
)
def test_recipient_is_required_and_must_be_a_siret(sim, recipient, code):
    response = sim().get(QF, {**ANGELA, "recipient": recipient})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == code
    assert response.json()["errors"][0]["source"] == {"parameter": "recipient"}


@pytest.mark.parametrize(
    ("path", "change", "code", "parameter"),
    [
        (QF, {"nomNaissance": None}, "00366", "nomNaissance"),
        (QF, {"prenoms[]": None}, "00366", "prenoms[]"),
        (QF, {"prenoms[]": ["A", "B", "C", "D"]}, "00366", "prenoms[]"),
        (QF, {"sexeEtatCivil": None}, "00427", "sexeEtatCivil"),
        (QF, {"sexeEtatCivil": "X"}, "00366", "sexeEtatCivil"),
        (QF, {"codeCogInseePaysNaissance": None}, "00366", "codeCogInseePaysNaissance"),
        (QF, {"codeCogInseeCommuneNaissance": None}, "00366", "codeCogInseeCommuneNaissance"),
        (QF, {"codeCogInseeCommuneNaissance": "751"}, "00366", "codeCogInseeCommuneNaissance"),
        (QF, {"moisDateNaissance": 13}, "00366", "moisDateNaissance"),
        (QF, {"mois": 0}, "00366", "mois"),
        (CNOUS, {"jourDateNaissance": None}, "00366", "jourDateNaissance"),
        (MESRI, {"prenoms[]": ["Paul", "Louis"]}, "00366", "prenoms[]"),
        (MESRI, {"sexeEtatCivil": None}, "00427", "sexeEtatCivil"),
    ],
)
def test_identity_parameters_are_checked(sim, path, change, code, parameter):
    params = {**(ANGELA if path == QF else PAUL), **change}
    response = sim().get(path, params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == code
    assert response.json()["errors"][0]["source"] == {"parameter": parameter}


def test_birthplace_by_name_and_department_is_accepted(sim):
    params = {
        **ANGELA,
        "codeCogInseeCommuneNaissance": None,
        "nomCommuneNaissance": "Paris",
        "codeCogInseeDepartementNaissance": "75",
    }
    assert sim().get(QF, params).status_code == 200


@pytest.mark.parametrize("path", ["/v3/cnous/etudiant_boursier/ine", "/v3/mesri/statut_etudiant/ine"])
def test_a_malformed_ine_is_refused(sim, path):
    response = sim().get(path, {"ine": "12345"})
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "00360"


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


def test_headers_of_every_answer(sim):
    simulator = sim()
    for response in (simulator.get(QF, ANGELA), simulator.get(QF, ANGELA, token=None)):
        assert uuid.UUID(response.headers["X-Request-ID"]).version == 4
        assert response.headers["RateLimit-Limit"] == "1200"
        assert int(response.headers["RateLimit-Reset"]) > time.time()
        assert response.headers["X-Response-Cached"] == "false"
        assert response.headers["X-Cache-Expires-in"] == ""
    student = simulator.get(MESRI, PAUL)
    assert "X-Response-Cached" not in student.headers and "X-Request-ID" in student.headers


def test_the_rate_limit_is_per_token_and_per_minute(sim):
    simulator = sim({"AP_SIM_RATE_LIMIT": 2})
    remaining = [simulator.get(QF, ANGELA).headers["RateLimit-Remaining"] for _ in range(2)]
    limited = simulator.get(QF, ANGELA)
    assert remaining == ["1", "0"]
    assert limited.status_code == 429 and limited.json()["errors"][0]["code"] == "00429"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert simulator.get(QF, ANGELA, token="other").status_code == 401  # another token, another window


@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [
        ("502", 502, "37999"),
        ("503", 503, "37001"),
        ("504", 504, "00501"),
        ("429", 429, "00429"),
        ("409", 409, "00015"),
    ],
)
def test_the_global_failure_switch(sim, failure, status, code):
    response = sim({"AP_SIM_FAILURE": failure}).get(QF, ANGELA)
    assert response.status_code == status and response.json()["errors"][0]["code"] == code
    if failure == "504":
        assert response.json()["errors"][0]["meta"] == {"retry_in": 10}
    if failure == "429":
        assert response.headers["Retry-After"] == "60"


def test_the_timeout_switch_waits_then_answers_504(sim):
    simulator = sim({"AP_SIM_FAILURE": "timeout", "AP_SIM_SLOW_SECONDS": "0.2"})
    started = time.monotonic()
    response = simulator.get(CNOUS, PAUL)
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 504 and response.json()["errors"][0]["code"] == "26002"


def test_an_unknown_failure_switch_stops_the_start():
    with pytest.raises(ValueError) as excinfo:
        create_app({"AP_SIM_FAILURE": "418"})
    assert "AP_SIM_FAILURE" in str(excinfo.value)


def test_failure_control_by_route_and_count(sim):
    simulator = sim()
    set_failure = simulator.control(
        "POST", "failure", {"status": 502, "route": "/v3/dss/quotient", "count": 1}
    )
    assert set_failure.status_code == 200
    assert simulator.get(C2S, ANGELA).status_code == 200  # another route
    assert simulator.get(QF, ANGELA).status_code == 502
    assert simulator.get(QF, ANGELA).status_code == 200  # count used up
    simulator.control("POST", "failure", {"status": "503"})
    assert simulator.get(MESRI, PAUL).status_code == 503
    assert simulator.control("POST", "failure", {"status": None}).json() == {"failure": None}
    assert simulator.get(MESRI, PAUL).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"status": 418}, {"status": 502, "count": 0}, {"status": 429, "retry_after": "x"}, {"status": True}],
)
def test_failure_control_refuses_bad_input(sim, body):
    response = sim().control("POST", "failure", body)
    assert response.status_code == 400 and response.json()["erreur"]


def test_latency_control_request_log_and_reset(sim):
    simulator = sim()
    assert simulator.control("POST", "latency", {"ms": 150}).json() == {"ms": 150}
    simulator.get(QF, ANGELA)
    simulator.get(QF, ANGELA, token=None)
    log = simulator.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [("GET", QF, 200), ("GET", QF, 401)]
    assert all(entry["duration_ms"] >= 150 for entry in log)
    assert simulator.control("POST", "latency", {}).status_code == 400
    assert simulator.control("DELETE", "requests").status_code == 204 and simulator.requests() == []
    simulator.control("POST", "failure", {"status": 502})
    assert simulator.control("POST", "reset").status_code == 204
    assert simulator.get(QF, ANGELA).status_code == 200  # no failure left
    assert simulator.requests()[0]["duration_ms"] < 150  # no latency left


def test_test_controls_can_be_switched_off(sim):
    simulator = sim({"AP_SIM_TEST_CONTROLS": "0"})
    assert simulator.control("POST", "reset").status_code == 404
    assert simulator.control("GET", "requests").status_code == 404


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
