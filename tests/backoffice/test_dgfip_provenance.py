"""A dossier priced from the DGFiP's revenu fiscal de référence, as the agent and the citizen read it: the
provenance (API Impôt particulier, DGFiP, route, X-Correlation-ID, income year, time) and the citizen's word
on the data, on the dossier page, in the CSV and XLSX exports, in the PDF and in « Mes données »."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.journey.attestation import provenances
from tests.backoffice.factories import agent_login, export, make_dossier, open_dossier
from tests.backoffice.test_export import read_csv

CORRELATION = "0b8f3c1e-5a7d-4c2b-9e61-3f0d2a4b6c8e"
SNAPSHOT = {"revenu_fiscal": {
    "data": {"annee_revenus": 2025, "revenu_fiscal_reference": 38420, "nombre_parts": 1.0, "situation_famille": "C",
             "personnes_a_charge": 0, "adresse": "8 RUE SAINT FERREOL 13001 MARSEILLE"},
    "provenance": {"platform": "API Impôt particulier", "provider": "Direction générale des Finances publiques (DGFiP)",
                   "route": "/impotparticulier/1.0/situations/ir/assiettes/annrev/2025", "request_id": CORRELATION,
                   "retrieved_at": "2026-11-21T09:15:00", "modality": "france_connect", "year": "2025"},
}}
QUOTIENT = {"value": 3201, "origin": "computed", "kind": "municipal",
            "formula": "38 420 € ÷ 12 mois ÷ 1 part = 3 201", "deliberation": "délibération n° 2026-042"}


def dgfip_dossier(app) -> str:
    reference = make_dossier(app)
    with app.app_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        dossier.certified = SNAPSHOT
        dossier.answers = {**dossier.answers, "quotient_familial": QUOTIENT, "address": None,
                           "price": {"code": "E", "label": "Tarif E : 4,90 € par repas", "provisional": False,
                                     "basis": "votre quotient municipal"},
                           "certified_check": {"correct": False, "comment": "Mon revenu a baissé."}}
        dossier.data_correct, dossier.data_comment = False, "Mon revenu a baissé."
        db.session.commit()
        return reference


def test_the_agent_reads_the_dgfip_provenance_and_the_citizens_word(bo_app, browsers):
    reference = dgfip_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    page = open_dossier(browser, reference).text  # a POST with CSRF, as the list's button
    for fact in ("Direction générale des Finances publiques (DGFiP)", "API Impôt particulier", "revenus 2025",
                 CORRELATION, "/impotparticulier/1.0/situations/ir/assiettes/annrev/2025",
                 "Revenu fiscal de référence 2025 (DGFiP)", "38\u202f420 €", "Quotient municipal",
                 "ne sont pas exactes", "Mon revenu a baissé.", "d’après votre quotient municipal"):
        assert fact in page, fact
    [row] = read_csv(export(browser, "csv").data)
    assert row["Source des données certifiées"].startswith(
        "Direction générale des Finances publiques (DGFiP) via API Impôt particulier, revenus 2025, récupéré le")
    assert CORRELATION in row["Source des données certifiées"]
    assert row["Revenu fiscal de référence 2025 (DGFiP) (origine)"] == "certifié"
    assert row["Quotient municipal (origine)"] == "calculé"
    assert row["Données certifiées exactes selon l’usager"] == "non : « Mon revenu a baissé. »"
    sheet = load_workbook(io.BytesIO(export(browser, "xlsx").data)).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "Données certifiées exactes selon l’usager" in header and "Quotient municipal" in header


def test_the_pdf_names_the_dgfip_and_the_correlation_id(bo_app):
    reference = dgfip_dossier(bo_app)
    with bo_app.app_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        text = provenances(dossier)
    assert text.startswith("Direction générale des Finances publiques (DGFiP) via API Impôt particulier, revenus 2025")
    assert CORRELATION in text
