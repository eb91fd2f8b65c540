"""Social pricing tools the démarches share: euros, price brackets by quotient familial, percent reductions."""

from __future__ import annotations

from dataclasses import dataclass

from demarche.numbers import french


def euros(cents: int) -> str:
    """« 2,10 € », « 1 250,00 € »."""
    return f"{french(cents / 100, decimals=2)} €"


@dataclass(frozen=True)
class Bracket:
    """A price for quotients familiaux up to `ceiling` (None: no ceiling, also for an unknown one)."""

    code: str
    ceiling: int | None
    price_cents: int
    unit: str = ""  # « par repas »

    @property
    def label(self) -> str:
        """« Tarif B : 2,10 € par repas »."""
        return f"Tarif {self.code} : {euros(self.price_cents)} {self.unit}".strip()

    def to_dict(self) -> dict:
        """As stored in a dossier's answers."""
        return {"code": self.code, "ceiling": self.ceiling, "price_cents": self.price_cents, "label": self.label}


def bracket_for(brackets: tuple[Bracket, ...], quotient_familial: int | None) -> Bracket:
    """The bracket of a quotient familial, brackets in increasing order; unknown means the last one."""
    if quotient_familial is None:
        return brackets[-1]
    return next(b for b in brackets if b.ceiling is None or quotient_familial <= b.ceiling)


@dataclass(frozen=True)
class Reduction:
    code: str  # e.g. "boursier", "solidaire", "plein"
    percent: int
    reason: str  # what the citizen reads, e.g. « étudiant boursier, échelon 5 »

    def apply(self, full_cents: int) -> int:
        return full_cents * (100 - self.percent) // 100

    def label(self, what: str, full_cents: int) -> str:
        """« <what> : 8,00 € au lieu de 32,00 € (-75 %, <reason>) », or « <what> : 32,00 € (plein tarif) »."""
        if not self.percent:
            return f"{what} : {euros(full_cents)} (plein tarif)"
        price = euros(self.apply(full_cents))
        return f"{what} : {price} au lieu de {euros(full_cents)} (-{self.percent} %, {self.reason})"


FULL_PRICE = Reduction("plein", 0, "plein tarif")


def most_favourable(*candidates: Reduction | None) -> Reduction:
    """The largest reduction among those that apply (None: does not); the first one wins a tie."""
    return max([FULL_PRICE, *filter(None, candidates)], key=lambda reduction: reduction.percent)
