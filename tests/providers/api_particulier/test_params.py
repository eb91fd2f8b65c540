"""Query parameters of API Particulier: the pivot identity mapping per provider family, the SIRET check."""

from __future__ import annotations

import pytest

from demarche.identity import PivotIdentity
from demarche.providers.api_particulier.params import CNOUS, DSS, MESRI, identity_params, is_valid_siret
from tests.providers.api_particulier.people import ANGELA, PIERRE
from tests.sandbox.ap_conftest_helpers import ANGELA as ANGELA_QUERY


def test_identity_is_mapped_to_the_parameters_api_particulier_expects():
    assert identity_params(ANGELA, DSS) == ANGELA_QUERY  # the query the simulator's tests send for her
    assert identity_params(PIERRE, DSS)["nomUsage"] == "DUBOIS"
    student = identity_params(PIERRE, CNOUS)
    assert "nomUsage" not in student and "codeCogInseePaysNaissance" not in student
    assert identity_params(ANGELA, MESRI)["prenoms[]"] == ["Angela"]
    abroad = PivotIdentity("Jean", "TARGE", "1992-00-00", "unspecified", "", "99217")
    assert identity_params(abroad, DSS) == {
        "nomNaissance": "TARGE",
        "prenoms[]": ["Jean"],
        "anneeDateNaissance": 1992,
        "codeCogInseePaysNaissance": "99217",
    }


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("21750001600019", True),
        ("13002526500013", True),
        ("21750001600018", False),
        ("2175000160001", False),
        ("2175000160001A", False),
        ("35600000000010", True),
        ("35600000000011", False),
        ("١٣٠٠٢٥٢٦٥٠٠٠١٣", False),
    ],
)
def test_siret_check(value, valid):
    assert is_valid_siret(value) is valid
