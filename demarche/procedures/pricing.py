"""Social pricing tools the démarches share: euros, limits said exactly (« jusqu’à » / « inférieur à »), price
brackets by quotient familial, tariffs decided by alternative criteria in order, percent reductions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from demarche.numbers import french


def euros(cents: int) -> str:
    """« 2,10 € », « 1 250,00 € »."""
    return f"{french(cents / 100, decimals=2)} €"


@dataclass(frozen=True)
class Limit:
    """A limit as the délibération says it: « jusqu’à 700 » (up_to, inclusive) or « inférieur à 900 » (below)."""

    value: int
    inclusive: bool

    def admits(self, amount: int) -> bool:
        return amount <= self.value if self.inclusive else amount < self.value

    def __str__(self) -> str:
        return f"{'jusqu’à' if self.inclusive else 'inférieur à'} {french(self.value)}"


def up_to(value: int) -> Limit:
    """« jusqu’à 700 »: 700 included."""
    return Limit(value, inclusive=True)


def below(value: int) -> Limit:
    """« inférieur à 900 »: 900 excluded."""
    return Limit(value, inclusive=False)


@dataclass(frozen=True)
class Bracket:
    """A price for quotients familiaux within `ceiling` (None: no ceiling, also for an unknown one)."""

    code: str
    ceiling: Limit | None
    price_cents: int
    unit: str = ""  # « par repas »

    @property
    def label(self) -> str:
        """« Tarif B : 2,10 € par repas »."""
        return f"Tarif {self.code} : {euros(self.price_cents)} {self.unit}".strip()

    def to_dict(self) -> dict:
        """As stored in a dossier's answers."""
        return {"code": self.code, "ceiling": self.ceiling and self.ceiling.value, "price_cents": self.price_cents,
                "limit": str(self.ceiling or ""), "label": self.label}


def bracket_for(brackets: tuple[Bracket, ...], quotient_familial: int | None) -> Bracket:
    """The bracket of a quotient familial, brackets in increasing order; unknown means the last one."""
    if quotient_familial is None:
        return brackets[-1]
    return next(b for b in brackets if b.ceiling is None or b.ceiling.admits(quotient_familial))


@dataclass(frozen=True)
class Criterion:
    """One condition a tariff may rest on, read from one fact, as the citizen reads it (`says`)."""

    fact: str  # e.g. "quotient_familial", "c2s"
    says: str  # « quotient familial inférieur à 900 € »
    test: Callable[[Any], bool]

    def holds(self, facts: Mapping[str, Any]) -> bool:
        """An unknown fact (None) meets no criterion."""
        value = facts.get(self.fact)
        return value is not None and bool(self.test(value))


def within(fact: str, what: str, limit: Limit, unit: str = "") -> Criterion:
    """« quotient familial inférieur à 900 € »."""
    return Criterion(fact, f"{what} {limit} {unit}".strip(), limit.admits)


def holds(fact: str, says: str) -> Criterion:
    """A yes/no fact, e.g. holds("c2s", "bénéficiaire de la complémentaire santé solidaire")."""
    return Criterion(fact, says, bool)


@dataclass(frozen=True)
class Tariff:
    """A fixed price, given when any of its criteria holds (alternatives, tried in order); none: always."""

    name: str  # « Tarif solidaire »
    price_cents: int
    when: tuple[Criterion, ...] = ()
    unit: str = ""  # « par an »

    @property
    def label(self) -> str:
        """« Tarif solidaire : 10,00 € par an »."""
        return f"{self.name} : {euros(self.price_cents)} {self.unit}".strip()

    @property
    def conditions(self) -> str:
        """« quotient familial inférieur à 900 € ou bénéficiaire de la complémentaire santé solidaire »."""
        return " ou ".join(criterion.says for criterion in self.when) or "dans les autres cas"


def tariff_for(tariffs: Sequence[Tariff], facts: Mapping[str, tuple[Any, str]]) -> dict:
    """The first tariff one of whose criteria holds, as the answers store it (Procedure.price_key): its label,
    `basis` (the criterion that decided), and `provisional` when that criterion rests on a declared fact.
    facts: {name: (value, origin)}; the last tariff should have no criterion (the price otherwise)."""
    values = {name: value for name, (value, _) in facts.items()}
    for tariff in tariffs:
        decided = next((c for c in tariff.when if c.holds(values)), None)
        if decided or not tariff.when:
            return {"name": tariff.name, "price_cents": tariff.price_cents, "label": tariff.label,
                    "basis": decided.says if decided else "",
                    "provisional": bool(decided) and facts[decided.fact][1] == "declared"}
    raise ValueError("no tariff applies: end the list with a tariff without criteria")


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
