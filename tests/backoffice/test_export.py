"""Exports of the filtered list, CSV and XLSX: one column per value and its origin (certifié / déclaré),
the list's filters, formula cells neutralised, and each export in the access journal."""

import csv
import io

from openpyxl import load_workbook

from demarche.extensions import db
from demarche.models import AccessLog
from tests.backoffice.factories import OTHER_ORG, agent_login, export, make_dossier


def read_csv(body: bytes) -> list[dict]:
    assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 with the BOM
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_flags_the_origin_of_every_value(bo_app, browsers):
    certified = make_dossier(bo_app)
    declared = make_dossier(bo_app, certified=False, given_name="Pierre", family_name="MERCIER")
    make_dossier(bo_app, status="accepte")
    make_dossier(bo_app, siret=OTHER_ORG)
    browser = browsers(bo_app)
    agent_login(browser)
    response = export(browser, "csv", statut="depose", tri="reference")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'attachment; filename="dossiers-depose-' in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    assert [r["Numéro de dossier"] for r in rows] == [certified, declared]
    first, second = rows
    assert first["État"] == "Déposé" and first["Démarche"].startswith("Inscription à la restauration")
    assert first["Quotient familial CAF d’octobre 2026"] == "650"
    assert first["Quotient familial CAF d’octobre 2026 (origine)"] == "certifié"
    assert first["Demandeur (origine)"] == "certifié FranceConnect"
    assert first["École (origine)"] == "déclaré par l’usager" and first["Tarif (origine)"] == "calculé"
    assert first["Source des données certifiées"].startswith("CAF via API Particulier, octobre 2026, récupéré le")
    assert first["Authentification"].startswith("FranceConnect eidas1 le ")
    assert second["Quotient familial"] == "520" and second["Quotient familial (origine)"] == "déclaré par l’usager"
    assert second["Source des données certifiées"] == ""
    with bo_app.app_context():
        log = db.session.scalars(db.select(AccessLog).filter_by(action="export")).one()
        assert log.detail["count"] == 2 and log.detail["references"] == [certified, declared]
        assert log.detail["format"] == "csv" and log.detail["filters"]["statut"] == "depose"


def test_xlsx_export_has_the_same_table(bo_app, browsers):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    csv_rows = read_csv(export(browser, "csv").data)
    response = export(browser, "xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True)["Dossiers"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header == list(csv_rows[0]) and rows[0][0] == reference
    assert rows[0][header.index("Quotient familial CAF d’octobre 2026 (origine)")] == "certifié"


def test_the_export_follows_the_search_and_neutralises_formulas(bo_app, browsers):
    make_dossier(bo_app)
    sneaky = make_dossier(bo_app, family_name="=HYPERLINK(\"http://x\")", email="=cmd@example.fr")
    browser = browsers(bo_app)
    agent_login(browser)
    rows = read_csv(export(browser, "csv", q="HYPERLINK").data)
    assert [r["Numéro de dossier"] for r in rows] == [sneaky]
    assert rows[0]["Demandeur"].startswith("Angela") and rows[0]["Adresse électronique"] == "'=cmd@example.fr"
    with bo_app.app_context():
        log = db.session.scalars(db.select(AccessLog).filter_by(action="export")).one()
        assert log.detail["filters"] == {"statut": "depose", "tri": "recent", "recherche": "oui"}  # not the words
