"""Checks before a certified answer is used: it must be about the person logged in with FranceConnect.

A provider answers for a household; the service makes sure the FranceConnect birth date is one of its
members', as etalab/formulaire-qf does before using a quotient familial
(https://github.com/etalab/formulaire-qf/blob/main/app/interactors/verify_family_quotient.rb). A failed check
means the data is not kept at all, and the citizen fills the form in.
"""

from __future__ import annotations

from demarche.identity import PivotIdentity
from demarche.providers.api_particulier.models import QuotientFamilialResult
from demarche.providers.impot_particulier import SituationIR


def birthdate_among_allocataires(value: QuotientFamilialResult, identity: PivotIdentity) -> bool:
    """The CAF/MSA file's allocataires include someone born on the FranceConnect birth date."""
    return bool(identity.birthdate) and identity.birthdate in {p.date_naissance for p in value.allocataires or ()}


def birthdate_among_declarants(value: SituationIR, identity: PivotIdentity) -> bool:
    """The tax household's declarant 1 or 2 (dateNaisDec1/dateNaisDec2) was born on the FranceConnect birth date."""
    return bool(identity.birthdate) and identity.birthdate in value.birth_dates
