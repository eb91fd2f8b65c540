"""Price brackets of the school canteen, from the CAF/MSA quotient familial (fictional commune)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Bracket:
    code: str
    ceiling: int | None  # highest quotient familial of the bracket; None = no ceiling
    price_cents: int

    @property
    def label(self) -> str:
        euros = f"{self.price_cents / 100:.2f}".replace(".", ",")
        return f"Tarif {self.code} : {euros} € par repas"

    def to_dict(self) -> dict:
        return {**asdict(self), "label": self.label}


BRACKETS = (
    Bracket("A", 400, 100),
    Bracket("B", 700, 210),
    Bracket("C", 1000, 320),
    Bracket("D", 1400, 410),
    Bracket("E", None, 490),  # full price, also when the quotient familial is unknown
)


def bracket_for(quotient_familial: int | None) -> Bracket:
    """The bracket of a quotient familial; unknown means the full price."""
    if quotient_familial is None:
        return BRACKETS[-1]
    return next(b for b in BRACKETS if b.ceiling is None or quotient_familial <= b.ceiling)
