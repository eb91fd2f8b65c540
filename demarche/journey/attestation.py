"""The « attestation de dépôt » PDF (fpdf2): reference, date, summary with the origin of each value.
fpdf2 cannot tag a PDF (no structure, no reading order), so the same content is also served as an
accessible HTML page (templates/journey/attestation.html), as RGAA criterion 13.3 allows
(https://accessibilite.numerique.gouv.fr/methode/criteres-et-tests/#13.3)."""

from __future__ import annotations

from fpdf import FPDF

from demarche import counter
from demarche.dates import display
from demarche.dossiers.models import Dossier
from demarche.procedures.base import Procedure
from demarche.verification.pdf import draw_verification

ORIGINS = {"franceconnect": "FranceConnect", "certified": "certifié", "declared": "déclaré par l'usager",
           "computed": "calculé"}
# The PDF core fonts are Latin-1: typographic signs outside it are written plainly.
_PLAIN = str.maketrans({"’": "'", "€": "EUR", "œ": "oe", "Œ": "OE", "—": "-", "…": "...", "\u202f": " "})


def _text(value: str) -> str:
    return value.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def _para(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph across the page, the cursor back at the left margin on the next line."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def provenances(dossier: Dossier) -> str:
    """« Direction générale des Finances publiques (DGFiP) via API Impôt particulier, revenus 2025, le … »."""
    parts = []
    for snapshot in (dossier.certified or {}).values():
        p = snapshot.get("provenance") or {}
        year = f", revenus {p['year']}" if p.get("year") else ""
        parts.append(f"{p.get('provider', '')} via {p.get('platform', '')}{year}, le {display(p.get('retrieved_at'))}"
                     f", requête {p.get('request_id') or '-'}")
    return " ; ".join(parts) or "aucune ici"


def notice(procedure: Procedure, dossier: Dossier) -> str:
    """The closing paragraph, in the PDF and in its HTML version alike."""
    return ("Aucune pièce justificative n’a été demandée : les données marquées « certifié » ont été transmises "
            f"par les organismes qui les détiennent ({provenances(dossier)}), avec l’accord de l’usager "
            f"({procedure.consent.legal_basis}). L’identité a été certifiée par FranceConnect.")


def render_attestation(procedure: Procedure, dossier: Dossier, commune: str) -> bytes:
    """The PDF as bytes."""
    pdf = FPDF(format="A4")
    pdf.set_title(_text(f"Attestation de dépôt {dossier.reference}"))
    pdf.set_author(_text(commune))
    pdf.set_lang("fr-FR")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    _para(pdf, 5, _text(f"RÉPUBLIQUE FRANÇAISE\n{commune}"))
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 16)
    _para(pdf, 8, _text("Attestation de dépôt"))
    pdf.set_font("Helvetica", "", 11)
    _para(pdf, 6, _text(f"{procedure.title}\nNuméro de dossier : {dossier.reference}\n"
                               f"Déposé le {display(dossier.submitted_at)} (heure de Paris)"
                               + (f"\n{filed}" if (filed := counter.filed_for_text(dossier)) else "")))
    pdf.ln(4)
    for line in procedure.summary(dossier.identity, dossier.answers, dossier.certified):
        pdf.set_font("Helvetica", "B", 10)
        _para(pdf, 5, _text(f"{line.label} ({ORIGINS.get(line.origin, line.origin)})"))
        pdf.set_font("Helvetica", "", 10)
        _para(pdf, 5, _text(line.value or "-"))
        pdf.ln(1)
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 9)
    _para(pdf, 5, _text(notice(procedure, dossier)))
    # Verification (demarche/verification): QR code and signed code of the public page /verifier.
    draw_verification(pdf, dossier.reference)
    # End of the verification block.
    return bytes(pdf.output())
