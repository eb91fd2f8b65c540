"""The households file: each FranceConnect-linked declarant is a real FranceConnect test identity, the
households cover the scenarios the documentation promises, and matching follows the pivot identity."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from demarche_sandbox.impot_particulier.foyers import assessment, find_foyer, load_foyers, mask

ROOT = Path(__file__).resolve().parents[3]
SANDBOX = ROOT / "sandbox" / "demarche_sandbox"


def fc_identities() -> dict[str, dict]:
    path = SANDBOX / "franceconnect" / "data" / "franceconnect-test-identities.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["login"]: row for row in csv.DictReader(handle) if row.get("login")}


def caf_msa_logins() -> set[str]:
    """Logins with a quotient familial (CAF or MSA) in the API Particulier simulator."""
    path = SANDBOX / "api_particulier" / "data" / "personas.json"
    personas = json.loads(path.read_text(encoding="utf-8"))["personas"]
    return {p["login"] for p in personas if "quotient_familial" in p["apis"]}


def pivot(row: dict) -> dict:
    return {key: row[key] for key in ("given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry")}


def test_every_linked_declarant_is_found_from_their_franceconnect_identity():
    identities, foyers = fc_identities(), load_foyers()
    linked = {d["fc_login"]: foyer.id for foyer in foyers for d in foyer.declarants if "fc_login" in d}
    assert linked == {"test": "dubois-leroy", "avec_nom_dusage": "dubois-mercier", "caractères_spéciaux": "dubinore",
                      "nom_composé": "trois-dupre", "sans_mail": "dufour"}
    for login, foyer_id in linked.items():
        assert find_foyer(foyers, pivot(identities[login])).id == foyer_id, login
    assert find_foyer(foyers, pivot(identities["moins_25_ans"])) is None  # attached to his parents' household


def test_one_different_pivot_field_finds_nobody():
    angela = pivot(fc_identities()["test"])
    for key, other in (("birthdate", "1962-08-25"), ("gender", "male"), ("birthplace", "75108"),
                       ("given_name", "Angela")):
        assert find_foyer(load_foyers(), {**angela, key: other}) is None, key


def test_the_scenarios_the_documentation_promises():
    foyers = {foyer.id: foyer for foyer in load_foyers()}
    assert len(foyers["dubois-leroy"].declarants) == 2 and foyers["dubois-leroy"].avis["N-1"]["sitFam"] == "M"
    assert foyers["dubinore"].avis["N-1"]["sitParIso"] == "T" and foyers["dubinore"].avis["N-1"]["pac"]["nbPac"] >= 1
    assert "nom_composé" not in caf_msa_logins()  # the taxpayer unknown to the CAF and the MSA
    assert {"test", "avec_nom_dusage", "caractères_spéciaux"} <= caf_msa_logins()


def test_parts_are_consistent_with_the_household():
    """Quotient familial rules (CGI art. 194, 195): 1 or 2 parts, +0.5 for each of the first two
    dependants, +1 from the third, +0.5 for a single parent (case T), +0.5 for a disability card."""
    for foyer in load_foyers():
        for key, avis in foyer.avis.items():
            n = avis["pac"]["nbPac"]
            parts = (2 if avis["sitFam"] in ("M", "O") else 1) + 0.5 * min(n, 2) + max(n - 2, 0)
            parts += 0.5 if avis.get("sitParIso") == "T" else 0
            parts += 0.5 if foyer.id == "dubois-mercier" else 0  # Pierre MERCIER's disability card (AAH)
            assert avis["nbPart"] == parts, (foyer.id, key)


def test_an_unmasked_answer_and_the_masks():
    foyer = next(f for f in load_foyers() if f.id == "dubois-leroy")
    full = assessment(foyer, 2025, date(2026, 9, 1))
    assert full["nmNaiDec2"] == "LEROY" and full["dptNaissDec1"] == "75"
    assert mask(full, frozenset({"dgfip_nbpac"})) == {"pac": {"nbPac": 3}}
    assert set(mask(full, frozenset({"dgfip_decl"}))) == {f"{f}Dec{n}" for n in (1, 2) for f in
                                                           ("nmNai", "nmUsa", "prnm", "dateNais", "dptNaiss")}
    assert mask(full, frozenset({"dgfip_annee_n_moins_1"})) == {}
    assert assessment(foyer, 2021, date(2026, 9, 1)) is None
