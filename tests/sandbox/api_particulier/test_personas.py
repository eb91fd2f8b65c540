"""What the simulator answers about its personas: data, statuses, not-found errors, provider failures."""

from __future__ import annotations

import time
from datetime import date

import pytest

from tests.sandbox.ap_conftest_helpers import ANGELA, PAUL
from tests.sandbox.api_particulier.conftest import (
    AAH,
    ANNE_LAURE,
    C2S,
    CNOUS,
    HUGO,
    JEAN,
    JOELLE,
    MELISSANDRE,
    MESRI,
    PIERRE,
    QF,
    RSA,
)


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


def test_a_quotient_above_the_ceilings_with_the_c2s_answers_at_once(sim):
    """The fast twin of the slow persona (Anne-Laure HUCHE): a tariff case a journey test can play under its
    timeout (a quotient familial of 1 150, and the C2S)."""
    simulator = sim()
    qf, c2s = simulator.get(QF, HUGO), simulator.get(C2S, HUGO)
    assert qf.json()["data"]["quotient_familial"]["valeur"] == 1150 and qf.json()["data"]["enfants"] == []
    assert c2s.json()["data"] == {"est_beneficiaire": True, "avec_participation": False,
                                  "date_debut_droit": "2026-03-01"}


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


# People without FranceConnect (issue 20), as the service's identity check asks for them: born abroad, the
# country's code alone. Every body is checked against the official v3 OpenAPI by the `sim` fixture.
CLAIRE = {"nomNaissance": "MARTIN", "prenoms[]": ["Claire", "Odile"], "anneeDateNaissance": 1984,
          "moisDateNaissance": 5, "jourDateNaissance": 12, "sexeEtatCivil": "F",
          "codeCogInseePaysNaissance": "99100", "codeCogInseeCommuneNaissance": "37261"}
KARIM = {"nomNaissance": "ROBERT", "prenoms[]": ["Karim"], "anneeDateNaissance": 1979, "moisDateNaissance": 11,
         "jourDateNaissance": 3, "sexeEtatCivil": "M", "codeCogInseePaysNaissance": "99352"}
LAN = {"nomNaissance": "NGUYEN", "prenoms[]": ["Thi", "Lan"], "anneeDateNaissance": 1990, "moisDateNaissance": 2,
       "jourDateNaissance": 20, "sexeEtatCivil": "F", "codeCogInseePaysNaissance": "99243"}


def test_the_people_without_franceconnect_answer_the_identite_modality(sim):
    client = sim()
    claire, karim = client.get(QF, CLAIRE).json()["data"], client.get(QF, KARIM).json()["data"]
    assert (claire["quotient_familial"]["valeur"], karim["quotient_familial"]["valeur"]) == (720, 1150)
    assert [p["prenoms"] for p in claire["allocataires"]] == ["CLAIRE ODILE", "THOMAS"]
    unknown = client.get(QF, LAN)
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["code"] == "35003"
