"""Exports of the filtered list: CSV (UTF-8 with BOM, « ; », for Excel in French) and XLSX (openpyxl).

One column per value of the summary plus « <label> (origine) » saying where it comes from: certifié
(API Particulier), certifié FranceConnect, déclaré par l’usager or calculé. A cell that a spreadsheet
would run as a formula is prefixed with « ' » (OWASP, CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from demarche.backoffice.provenance import certified_sources, describe
from demarche.dates import display
from demarche.models import Dossier
from demarche.procedures import PROCEDURES
from demarche.statuses import label

ORIGINS = {"certified": "certifié", "franceconnect": "certifié FranceConnect", "declared": "déclaré par l’usager",
           "computed": "calculé"}
FIXED = ("Numéro de dossier", "Démarche", "État", "Déposé le", "Dernière mise à jour", "Authentification",
         "Source des données certifiées")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table(dossiers: list[Dossier]) -> tuple[list[str], list[list[str]]]:
    """The header and one row per dossier; value columns are the union of every dossier's labels."""
    records, labels = [], {}
    for dossier in dossiers:
        record = _record(dossier)
        records.append(record)
        labels.update(dict.fromkeys(name for name in record if name not in FIXED))
    header = [*FIXED, *labels]
    return header, [[record.get(name, "") for name in header] for record in records]


def _record(dossier: Dossier) -> dict[str, str]:
    procedure = PROCEDURES.get(dossier.procedure)
    auth = dossier.authentication or {}
    record = {
        "Numéro de dossier": dossier.reference,
        "Démarche": procedure.title if procedure else dossier.procedure,
        "État": label(dossier.status),
        "Déposé le": display(dossier.submitted_at),
        "Dernière mise à jour": display(dossier.updated_at),
        "Authentification": f"{auth.get('provider', '')} {auth.get('acr', '')} le {display(auth.get('auth_time'))}",
        "Source des données certifiées": " ; ".join(describe(s) for s in certified_sources(procedure, dossier)),
    }
    if procedure is None:
        return record
    seen = Counter()
    for line in procedure.summary(dossier.identity, dossier.answers, dossier.certified):
        seen[line.label] += 1
        name = line.label if seen[line.label] == 1 else f"{line.label} {seen[line.label]}"
        record[name] = line.value
        record[f"{name} (origine)"] = ORIGINS.get(line.origin, line.origin)
    return record


def _safe(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with a BOM and « ; » separators: what Excel opens directly in France."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_safe(str(cell)) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    """One sheet « Dossiers », every cell as text."""
    from openpyxl import Workbook  # here, not at import: 8 MB per worker for a rare agent's export

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dossiers")
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(str(cell)) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
