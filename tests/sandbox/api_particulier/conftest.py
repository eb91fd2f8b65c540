"""Fixtures of the API Particulier simulator tests: the simulator factory (every body it sends is checked
against the official v3 OpenAPI, see ap_conftest_helpers.ApSim), the FranceConnect simulator for
citizens' tokens, and the routes and people the tests ask about."""

from __future__ import annotations

import pytest

from tests.sandbox import ap_conftest_helpers
from tests.sandbox.ap_conftest_helpers import ANGELA, FranceConnect

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
HUGO = {
    **ANGELA,
    "nomNaissance": "MEUNIER",
    "prenoms[]": ["Hugo"],
    "sexeEtatCivil": "M",
    "anneeDateNaissance": 1990,
    "moisDateNaissance": 12,
    "jourDateNaissance": 19,
    "codeCogInseeCommuneNaissance": "75119",
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
