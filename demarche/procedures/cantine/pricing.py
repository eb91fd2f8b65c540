"""Price brackets of the school canteen, from the CAF/MSA quotient familial (fictional commune)."""

from __future__ import annotations

from demarche.procedures.pricing import Bracket, bracket_for, euros, up_to

BRACKETS = (
    Bracket("A", up_to(400), 100, "par repas"),
    Bracket("B", up_to(700), 210, "par repas"),
    Bracket("C", up_to(1000), 320, "par repas"),
    Bracket("D", up_to(1400), 410, "par repas"),
    Bracket("E", None, 490, "par repas"),  # full price, also when the quotient familial is unknown
)


def price_for(quotient_familial: int | None) -> Bracket:
    return bracket_for(BRACKETS, quotient_familial)


def price_table() -> tuple[str, tuple[str, ...], list[tuple[str, str, str]]]:
    """Every bracket, for the form of a family without a certified quotient familial."""
    rows = [(b.code, str(b.ceiling) if b.ceiling else "au-delà, ou non communiqué",
             f"{euros(b.price_cents)} {b.unit}") for b in BRACKETS]
    caption = "Tarifs selon le quotient familial ; le tarif calculé d’après votre déclaration est provisoire"
    return caption, ("Tarif", "Quotient familial", "Prix"), rows
