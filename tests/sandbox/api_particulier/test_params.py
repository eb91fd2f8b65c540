"""The query-parameter checks: recipient SIRET, pivot identity per provider family, INE."""

from __future__ import annotations

import pytest

from demarche_sandbox.api_particulier.params import is_siret
from tests.sandbox.ap_conftest_helpers import ANGELA, PAUL
from tests.sandbox.api_particulier.conftest import CNOUS, MESRI, QF


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
    ("value", "valid"),
    [
        ("21750001600019", True),  # Ville de Paris
        ("13002526500013", True),  # DINUM
        ("35600000000015", True),  # a La Poste establishment: digit sum multiple of 5, not Luhn
        ("21750001600018", False),
        ("2175000160001", False),
        ("2175000160001a", False),
        ("２１７５０００１６０００１９", False),  # full-width digits are digits to Python, not to a SIRET
    ],
)
def test_the_simulators_own_siret_check(value, valid):
    assert is_siret(value) is valid
