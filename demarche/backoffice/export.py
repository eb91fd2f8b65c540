"""Exports of the filtered list: CSV (UTF-8 with BOM, « ; », for Excel in French) and XLSX (openpyxl).

One column per value of the summary plus « <label> (origine) » saying where it comes from: certifié
(API Particulier), certifié FranceConnect, déclaré par l’usager or calculé; then the last correction asked
of the citizen and the last one made (old → new). A cell that a spreadsheet
would run as a formula is prefixed with « ' » (OWASP, CSV injection), and a character XML cannot hold
(or a bidi control that would make a cell read differently) becomes U+FFFD: input refuses them now, but a
dossier stored before must not make every export of its tab fail.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from demarche import counter
from demarche.dates import display
from demarche.dossiers import history
from demarche.dossiers.models import Dossier
from demarche.dossiers.provenance import certified_sources, describe
from demarche.dossiers.states import label
from demarche.procedures import PROCEDURES

ORIGINS = {"certified": "certifié", "franceconnect": "certifié FranceConnect", "declared": "déclaré par l’usager",
           "computed": "calculé"}
FIXED = ("Numéro de dossier", "Démarche", "État", "Déposé le", "Dernière mise à jour", "Authentification",
         "Déposé pour le compte de", "Source des données certifiées", "Données mises à jour par l’usager le",
         "Dernière demande de correction", "Dernière correction de l’usager")
# https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets), plus the bidi embeddings, overrides
# and isolates (https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters).
UNSAFE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u202a-\u202e\u2066-\u2069]")


def table(dossiers: list[Dossier]) -> tuple[list[str], list[list[str]]]:
    """The header and one row per dossier; value columns are the union of every dossier's labels."""
    records, labels = [], {}
    ids = [d.id for d in dossiers]
    requests, answers = history.last_requests(ids), history.last_requests(ids, history.CORRECTED)
    for dossier in dossiers:
        record = _record(dossier)
        if dossier.id in requests:
            request = requests[dossier.id]
            record["Dernière demande de correction"] = f"le {display(request.at)} : {request.motive or ''}"
        if dossier.id in answers:
            answer = answers[dossier.id]
            record["Dernière correction de l’usager"] = f"le {display(answer.at)} : {history.said(answer.changes)}"
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
        "Déposé pour le compte de": counter.filed_for_text(dossier) or "",
        "Source des données certifiées": " ; ".join(describe(s, request=True)
                                                    for s in certified_sources(procedure, dossier)),
        "Données mises à jour par l’usager le": display(dossier.data_refreshed_at),
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
    """A cell a spreadsheet shows as it is: never run as a formula, never refused by the XML writer."""
    value = UNSAFE.sub("\ufffd", value)
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
