"""The same-person check: a certified answer is used only if the FranceConnect birth date is one of the
allocataires' (CAF/MSA) or of the declarants' (DGFiP)."""

from __future__ import annotations

from dataclasses import replace

from demarche.identity import PivotIdentity
from demarche.providers.api_particulier.models import Personne, QuotientFamilialResult
from demarche.providers.api_particulier.sources import BIRTHDATE_AMONG_ALLOCATAIRES as birthdate_among_allocataires
from demarche.providers.impot_particulier import Declarant, SituationIR
from demarche.providers.impot_particulier.sources import BIRTHDATE_AMONG_DECLARANTS as birthdate_among_declarants

ANGELA = PivotIdentity("Angela Claire Louise", "DUBOIS", "1962-08-24", "female", "75107", "99100")
MARC = Personne("LEROY", None, "MARC ANTOINE", "1964-02-11", "M")


def test_among_the_allocataires():
    family = QuotientFamilialResult(allocataires=(MARC, replace(MARC, date_naissance="1962-08-24")), enfants=None,
                                    adresse=None, quotient_familial=None)
    assert birthdate_among_allocataires(family, ANGELA)
    namesake = replace(family, allocataires=(MARC,))
    assert not birthdate_among_allocataires(namesake, ANGELA)
    assert not birthdate_among_allocataires(replace(family, allocataires=None), ANGELA)  # nothing to check with
    assert not birthdate_among_allocataires(family, replace(ANGELA, birthdate=""))


def test_among_the_declarants():
    household = SituationIR(2025, 29840, 4.0, "M", 3, "", declarants=(
        Declarant("DUBOIS", "ANGELA", "1962-08-24"), Declarant("LEROY", "MARC", "1964-02-11")))
    assert birthdate_among_declarants(household, ANGELA)
    assert birthdate_among_declarants(household, replace(ANGELA, birthdate="1964-02-11"))  # declarant 2
    assert not birthdate_among_declarants(household, replace(ANGELA, birthdate="1990-01-01"))
    assert not birthdate_among_declarants(replace(household, declarants=None), ANGELA)
