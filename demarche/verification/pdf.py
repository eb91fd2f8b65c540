"""The attestation's verification block: a QR code (segno) of the public verification URL and the code
to type, drawn at the current position of an fpdf2 document."""

from __future__ import annotations

import io

import segno
from flask import current_app
from fpdf import FPDF

from demarche.dossiers.settings import settings
from demarche.verification.codes import code_for

QR_SIZE_MM = 32


def verification_url(reference: str) -> str:
    """Where the QR code leads: the public page, no login, this attestation's code in the path."""
    return f"{current_app.config['SETTINGS'].public_url}/verifier/{code_for(reference)}"


def draw_verification(pdf: FPDF, reference: str) -> None:
    """QR code on the left, the code and how to use it on the right; a new page if it does not fit."""
    if pdf.get_y() + QR_SIZE_MM + 5 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(4)
    image = io.BytesIO()
    # Error correction « M » (15 %): readable from a crumpled print; segno needs no imaging library.
    segno.make(verification_url(reference), error="m").save(image, kind="png", scale=8, border=4)
    top, left = pdf.get_y(), pdf.l_margin
    pdf.image(image, x=left, y=top, w=QR_SIZE_MM, h=QR_SIZE_MM,
              alt_text=f"Code QR menant à la page de vérification de cette attestation, code {code_for(reference)}")
    pdf.set_xy(left + QR_SIZE_MM + 4, top + 4)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "Vérifier cette attestation", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    public = settings().public_url
    pdf.multi_cell(0, 5, f"Scannez le code QR, ou saisissez le code ci-dessous sur {public}/verifier :",
                   new_x="LEFT", new_y="NEXT")
    pdf.set_font("Courier", "B", 12)
    pdf.cell(0, 7, code_for(reference), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE_MM + 2))
