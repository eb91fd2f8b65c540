"""The agents' exports (demarche/backoffice/export.py) whatever a dossier holds: characters XML refuses are
replaced, formulas neutralised in CSV and XLSX, and only an export that was produced is journaled."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from demarche.backoffice import export
from demarche.extensions import db
from demarche.models import AccessLog
from tests.backoffice.factories import agent_login, make_dossier, open_dossier
from tests.backoffice.factories import export as download

# Every character XML 1.0 refuses (https://www.w3.org/TR/xml/#charsets), and the bidi controls that would
# make a cell read differently from what it holds.
REFUSED = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def xlsx_cells(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body), read_only=True)["Dossiers"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("char", REFUSED + BIDI, ids=[f"U+{ord(c):04X}" for c in REFUSED + BIDI])
def test_a_character_a_spreadsheet_cannot_hold_is_replaced(char):
    header, rows = ["Nom"], [[f"DU{char}BOIS"]]
    assert xlsx_cells(export.to_xlsx(header, rows))[1] == ["DU\ufffdBOIS"]
    assert csv_cells(export.to_csv(header, rows))[1] == ["DU\ufffdBOIS"]


def test_tabs_and_line_breaks_inside_a_cell_are_kept():
    rows = [["3 rue des Écoles\r\n45000\tDémarche"]]
    # XML normalises a line break to \n (https://www.w3.org/TR/xml/#sec-line-ends)
    assert xlsx_cells(export.to_xlsx(["Adresse"], rows))[1] == ["3 rue des Écoles\n45000\tDémarche"]
    assert csv_cells(export.to_csv(["Adresse"], rows))[1] == rows[0]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_prefixed(start):
    """OWASP's advice for CSV injection (https://owasp.org/www-community/attacks/CSV_Injection), XLSX too."""
    value = f"{start}HYPERLINK(\"http://evil.example\")"
    assert xlsx_cells(export.to_xlsx(["Nom"], [[value]]))[1] == [f"'{value}".replace("\r", "\n")]
    assert csv_cells(export.to_csv(["Nom"], [[value]]))[1] == [f"'{value}"]


def test_a_stored_control_character_no_longer_breaks_the_agents_pages(bo_app, browsers):
    """Data stored before input was checked: every tab listing it, its page and both exports still answer."""
    reference = make_dossier(bo_app, family_name="DU\x1bBOIS\x00", email="angela\x0b@example.fr")
    browser = browsers(bo_app)
    agent_login(browser)
    for statut in ("depose", "tous"):
        assert reference in browser.get(f"http://localhost/agents/dossiers?statut={statut}").text
    assert open_dossier(browser, reference).status == 200
    xlsx = download(browser, "xlsx", statut="tous")
    assert xlsx.status_code == 200
    header, row = xlsx_cells(xlsx.data)
    assert row[header.index("Demandeur")] == "Angela Claire Louise DU\ufffdBOIS\ufffd"
    assert row[header.index("Adresse électronique")] == "angela\ufffd@example.fr"
    header, row = csv_cells(download(browser, "csv", statut="tous").data)
    assert row[header.index("Demandeur")] == "Angela Claire Louise DU\ufffdBOIS\ufffd"
    with bo_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AccessLog)
                                 .filter_by(action="export")) == 2


def test_an_export_that_fails_is_not_journaled(bo_app, browsers, monkeypatch):
    """Fault injection: whatever breaks while the file is built, the journal does not say it was handed over."""
    make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)

    def broken(header, rows):
        raise OSError("disk full")

    monkeypatch.setattr(export, "to_xlsx", broken)
    response = download(browser, "xlsx")
    assert response.status_code == 500 and "Erreur inattendue" in response.get_data(as_text=True)
    with bo_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AccessLog)) == 0
