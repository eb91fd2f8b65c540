"""What every registered démarche holds to: its sources come from the shared
catalogue (never a copy: only the purpose and the default tick are its own), its page and texts exist."""

from __future__ import annotations

import inspect
from dataclasses import replace
from pathlib import Path

import pytest

from demarche.procedures import PROCEDURES
from demarche.providers.api_particulier import sources as api_particulier
from demarche.providers.datasource import DataSource
from demarche.providers.impot_particulier import sources as impot_particulier

CATALOGUE = [value for module in (api_particulier, impot_particulier) for value in vars(module).values()
             if isinstance(value, DataSource)]
EVERY = list(PROCEDURES.values())


@pytest.mark.parametrize("procedure", EVERY, ids=lambda p: p.slug)
def test_its_sources_are_the_catalogues(procedure):
    for source in procedure.sources:
        assert replace(source, purpose="", default=True) in CATALOGUE, f"{source.key} : copie d’une source"


@pytest.mark.parametrize("procedure", EVERY, ids=lambda p: p.slug)
def test_it_says_what_it_is(procedure):
    assert procedure.title and procedure.description and procedure.reference_prefix.isupper()
    assert procedure.consent.version.startswith(procedure.slug) and procedure.consent.purpose
    assert procedure.categories(procedure.sources)  # what a refusal records
    page = Path(inspect.getfile(type(procedure))).parent / "templates" / "form.html"  # demarche/templating.py
    assert '{% extends "journey/form_base.html" %}' in page.read_text(encoding="utf-8")


def test_the_catalogue_keys_are_the_apis_names():
    """The simulators' personas page proposes a démarche by these keys (FC_SIM_DEMARCHES « apis »)."""
    assert {source.key for source in CATALOGUE} == {
        "quotient_familial", "complementaire_sante_solidaire", "etudiant_boursier", "revenu_fiscal"}
