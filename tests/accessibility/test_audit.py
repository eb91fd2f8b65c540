"""The RGAA self-audit: the vendored criteria are the official 106, the grid gives each one a result with
a reason on every page type of the sample, and the statement and the footer say what the grid computes."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

import pytest

from demarche.accessibility.audit import (
    CRITERIA_FILE,
    Audit,
    Finding,
    GridError,
    PageType,
    check,
    load,
    read_criteria,
)


def test_the_vendored_criteria_are_the_106_of_rgaa_4_1_2():
    """The copy is whole (its sha256 is checked with the other official files, tests/test_vendored_specs.py)."""
    document = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    assert document["wcag"] == {"version": 2.1}
    assert [len(t["criteria"]) for t in document["topics"]] == [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12]
    criteria = read_criteria()
    assert len(criteria) == 106 and list(criteria)[:2] == ["1.1", "1.2"] and list(criteria)[-1] == "13.12"
    assert criteria["11.13"].startswith("La finalité d’un champ de saisie peut-elle être déduite")
    assert "](#" not in "".join(criteria.values())  # glossary links made plain text


def test_the_grid_gives_every_criterion_one_result_with_a_reason_on_every_page_type():
    audit = load()
    keys = [p.key for p in audit.pages]
    for required in ("accueil", "consentement", "formulaire-prerempli", "formulaire-manuel", "accuse-reception",
                     "attestation", "mes-demarches", "mes-donnees", "messagerie", "correction", "verification",
                     "agents-liste", "agents-dossier", "erreur"):
        assert required in keys
    for criterion in audit.criteria:
        for key in keys:
            cell = audit.cell(criterion, key)
            assert cell.status in ("C", "NC", "NA") and len(cell.reason) > 20, (criterion, key)


def tiny(*findings: Finding) -> Audit:
    pages = (PageType("a", "Page A", "/a"), PageType("b", "Page B", "/b"))
    return Audit({"1.1": "Images ?", "3.2": "Contraste ?", "13.1": "Temps ?"}, pages, findings)


COMPLETE = (Finding("1.1", "NA", ("a", "b"), "Aucune image ici."), Finding("3.2", "C", ("a", "b"), "Contrastes."),
            Finding("13.1", "NC", ("a",), "Session non prolongeable."), Finding("13.1", "C", ("b",), "Sans session."))


def test_a_grid_that_forgets_a_page_names_one_twice_or_one_outside_the_sample_is_refused():
    check(tiny(*COMPLETE))
    with pytest.raises(GridError) as missing:
        check(tiny(*COMPLETE[:3]))
    with pytest.raises(GridError) as twice:
        check(tiny(*COMPLETE, Finding("3.2", "NC", ("b",), "Deux fois.")))
    with pytest.raises(GridError) as unknown:
        check(tiny(*COMPLETE[:3], Finding("13.1", "C", ("b", "z"), "Page inconnue.")))
    with pytest.raises(GridError) as no_reason:
        check(tiny(*COMPLETE[:3], replace(COMPLETE[3], reason=" ")))
    assert "sans statut ['b']" in str(missing.value) and "statut en double ['b']" in str(twice.value)
    assert "['z']" in str(unknown.value) and "justification" in str(no_reason.value)


def test_the_rate_counts_criteria_met_on_every_page_among_those_applicable_somewhere():
    """RGAA method: 1.1 applies nowhere (left out); 13.1 fails on one page, so it fails: 1 of 2, 50 %."""
    audit = tiny(*COMPLETE)
    assert (audit.applicable, audit.validated) == (["3.2", "13.1"], ["3.2"])
    assert (audit.rate, audit.status) == (50, "partiellement")
    assert audit.page_rate("a") == 50 and audit.page_rate("b") == 100 and audit.mean_rate == 75
    all_met = tiny(*COMPLETE[:2], Finding("13.1", "C", ("a", "b"), "Prolongeable."))
    assert (all_met.rate, all_met.status) == (100, "totalement")
    below = tiny(Finding("1.1", "NC", ("a", "b"), "Sans alternative."), Finding("3.2", "NC", ("a",), "Trop pâle."),
                 Finding("3.2", "C", ("b",), "Contrastes."), Finding("13.1", "C", ("a", "b"), "Prolongeable."))
    assert (round(below.rate, 1), below.status) == (33.3, "non")


def test_the_statement_and_the_footer_state_the_computed_result(client):
    audit = load()
    page = client.get("/accessibilite").get_data(as_text=True)
    rate = f"{audit.rate:.1f}".replace(".", ",")
    assert f"{rate} % des critères du RGAA version 4.1.2 sont respectés" in page
    assert f"{len(audit.validated)} critères respectés sur {len(audit.applicable)} applicables" in page
    assert f"est <strong>{audit.status} conforme</strong>" in page
    for criterion, _, _ in audit.non_conformities():
        assert f"Critère {criterion}" in page
    for heading in ("Résultats des tests", "Non-conformités", "Dérogations pour charge disproportionnée",
                    "Technologies utilisées", "Environnement de test", "Retour d’information et contact",
                    "Voies de recours", "version HTML accessible"):
        assert heading in page
    assert "https://www.defenseurdesdroits.fr/nous-contacter-355" in page and "Libre réponse 71120" in page
    footer = re.search(r'href="/accessibilite">([^<]*)</a>', client.get("/").get_data(as_text=True)).group(1)
    assert footer == f"Accessibilité : {audit.status} conforme"


def test_the_grid_is_offered_for_download_as_the_repository_keeps_it(client):
    response = client.get("/accessibilite/grille-audit-rgaa.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert {r["critere"] for r in rows} == set(load().criteria)


# Endpoints that serve no page a person reads: the machine interface, static files, probes, a JSON status.
NOT_PAGES = {"static", "dsfr.dsfr_file", "pages.healthz", "pages.readyz", "journey.waiting_status"}


def test_every_page_of_the_service_belongs_to_a_page_type_of_the_sample(make_app):
    """A new page (a new route) fails here until its type is in echantillon.csv, and so in the grid."""
    app = make_app(PROCONNECT_ISSUER="http://127.0.0.1:9/api/v2", PROCONNECT_CLIENT_ID="x",
                   PROCONNECT_CLIENT_SECRET="y")  # with the back-office
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    pages = endpoints - NOT_PAGES - {e for e in endpoints if e.startswith("api.")}
    sampled = {route for page in load().pages for route in page.routes}
    assert pages - sampled == set(), "pages missing from demarche/accessibility/data/echantillon.csv"
    assert sampled - endpoints == set(), "routes of echantillon.csv the service no longer has"
