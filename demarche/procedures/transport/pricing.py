"""Fares of the student transport pass (fictional network): full price by pass and zone, reduced by the
Crous échelon (0bis to 7, API Particulier CNOUS route) or by the solidarity fare of C2S beneficiaries.

When both apply, the more favourable one is kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

PASSES = {"mensuel": "Abonnement mensuel", "annuel": "Abonnement annuel"}
ZONES = {"urbain": "Zone 1 (réseau urbain)", "agglomeration": "Zones 1 et 2 (agglomération)",
         "departement": "Zones 1 à 3 (département)"}
FULL_PRICE_CENTS = {
    ("mensuel", "urbain"): 3200, ("mensuel", "agglomeration"): 4800, ("mensuel", "departement"): 7200,
    ("annuel", "urbain"): 32000, ("annuel", "agglomeration"): 48000, ("annuel", "departement"): 72000,
}
ECHELONS = ("0bis", "1", "2", "3", "4", "5", "6", "7")
ECHELON_PERCENT = {"0bis": 50, "1": 50, "2": 50, "3": 75, "4": 75, "5": 75, "6": 100, "7": 100}
SOLIDARITY_PERCENT = 75  # tarif solidaire of the complémentaire santé solidaire (C2S)


@dataclass(frozen=True)
class Reduction:
    code: str  # "boursier", "solidaire" or "plein"
    percent: int
    reason: str  # what the citizen reads, e.g. « étudiant boursier, échelon 5 »


FULL_FARE = Reduction("plein", 0, "plein tarif")


def best_reduction(echelon: str | None, c2s: bool) -> Reduction:
    """The most favourable reduction for a Crous échelon (None: not a boursier) and a C2S right."""
    candidates = [FULL_FARE]
    if echelon in ECHELON_PERCENT:
        label = "0 bis" if echelon == "0bis" else echelon
        candidates.append(Reduction("boursier", ECHELON_PERCENT[echelon], f"étudiant boursier, échelon {label}"))
    if c2s:
        candidates.append(Reduction("solidaire", SOLIDARITY_PERCENT, "tarif solidaire (C2S)"))
    return max(candidates, key=lambda reduction: reduction.percent)  # the first one wins a tie


def euros(cents: int) -> str:
    """« 8,00 € »."""
    return f"{cents / 100:.2f} €".replace(".", ",")


@dataclass(frozen=True)
class Fare:
    pass_type: str
    zone: str
    full_price_cents: int
    reduction: Reduction

    @property
    def price_cents(self) -> int:
        return self.full_price_cents * (100 - self.reduction.percent) // 100

    @property
    def label(self) -> str:
        """« Abonnement mensuel, zone 1 (réseau urbain) : 8,00 € au lieu de 32,00 € (étudiant boursier…) »."""
        head = f"{PASSES[self.pass_type]}, {ZONES[self.zone][0].lower()}{ZONES[self.zone][1:]}"
        if not self.reduction.percent:
            return f"{head} : {euros(self.price_cents)} (plein tarif)"
        return (f"{head} : {euros(self.price_cents)} au lieu de {euros(self.full_price_cents)} "
                f"(-{self.reduction.percent} %, {self.reduction.reason})")

    def to_dict(self) -> dict:
        return {**asdict(self), "price_cents": self.price_cents, "label": self.label}


def fare_for(pass_type: str, zone: str, reduction: Reduction) -> Fare:
    return Fare(pass_type, zone, FULL_PRICE_CENTS[(pass_type, zone)], reduction)


def fare_table(reduction: Reduction) -> list[dict]:
    """Every pass and zone with its price, for the review page (no JavaScript: all shown at once)."""
    return [{"pass": PASSES[p], "zone": ZONES[z], "price": euros(fare_for(p, z, reduction).price_cents),
             "full": euros(FULL_PRICE_CENTS[(p, z)])} for p in PASSES for z in ZONES]
