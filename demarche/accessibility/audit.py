"""The RGAA 4.1.2 self-audit: the official criteria (vendored), the sample of page types and the grid
(criterion × page type: C, NC or NA, with the reason), and what the statement derives from them.

Rate and status follow the RGAA's method: a criterion is applicable when it applies to one page of the
sample at least, validated when it is met on every page where it applies; the rate is validated ÷
applicable; « totalement conforme » at 100 %, « partiellement » from 50 %, « non conforme » below
(https://accessibilite.numerique.gouv.fr/obligations/evaluation-conformite/,
https://accessibilite.numerique.gouv.fr/obligations/declaration-accessibilite/).
"""

from __future__ import annotations

import csv
import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CRITERIA_FILE = DATA / "rgaa-4.1.2-criteres.json"
SAMPLE_FILE = DATA / "echantillon.csv"
GRID_FILE = DATA / "grille.csv"
AUDITED_ON = date(2026, 12, 7)  # the day the grid was last checked page by page: change it with the grid
STATUSES = {"C": "conforme", "NC": "non conforme", "NA": "non applicable"}
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # the criteria's Markdown links to the glossary


class GridError(ValueError):
    """The grid does not give exactly one status to each criterion on each page type of the sample."""


@dataclass(frozen=True)
class PageType:
    key: str
    title: str
    example: str  # a URL (or a description) of the page audited for this type
    routes: tuple[str, ...] = ()  # the Flask endpoints whose pages (or downloads) are of this type


@dataclass(frozen=True)
class Finding:
    criterion: str
    status: str  # C, NC or NA
    pages: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Audit:
    criteria: dict[str, str]  # "1.1" → title, in the RGAA's order
    pages: tuple[PageType, ...]
    findings: tuple[Finding, ...]

    def cell(self, criterion: str, page: str) -> Finding:
        return next(f for f in self.findings if f.criterion == criterion and page in f.pages)

    def statuses(self, criterion: str) -> set[str]:
        return self._statuses.get(criterion, set())

    # The audit is read once and never changes: what derives from it is computed once too (every page's footer
    # shows the status; recomputing it from the grid cost more than the rest of the home page).
    @functools.cached_property
    def _statuses(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for finding in self.findings:
            found.setdefault(finding.criterion, set()).add(finding.status)
        return found

    @functools.cached_property
    def applicable(self) -> list[str]:
        return [c for c in self.criteria if self.statuses(c) != {"NA"}]

    @functools.cached_property
    def validated(self) -> list[str]:
        return [c for c in self.applicable if "NC" not in self.statuses(c)]

    @functools.cached_property
    def rate(self) -> float:
        """Validated ÷ applicable criteria, in percent."""
        return 100 * len(self.validated) / len(self.applicable)

    @functools.cached_property
    def status(self) -> str:
        """« totalement », « partiellement » or « non » (conforme), from the rate."""
        if self.rate == 100:
            return "totalement"
        return "partiellement" if self.rate >= 50 else "non"

    def page_rate(self, page: str) -> float | None:
        """One page type's own rate (for the optional « taux moyen »); None when nothing applies."""
        cells = [self.cell(c, page).status for c in self.criteria]
        applicable = [s for s in cells if s != "NA"]
        return 100 * applicable.count("C") / len(applicable) if applicable else None

    @property
    def mean_rate(self) -> float:
        rates = [r for r in (self.page_rate(p.key) for p in self.pages) if r is not None]
        return sum(rates) / len(rates)

    def non_conformities(self) -> list[tuple[str, str, list[Finding]]]:
        """(criterion, title, its NC findings) for every criterion not met somewhere."""
        return [(c, self.criteria[c], [f for f in self.findings if f.criterion == c and f.status == "NC"])
                for c in self.criteria if "NC" in self.statuses(c)]

    def page_title(self, key: str) -> str:
        return next(p.title for p in self.pages if p.key == key)


def read_criteria(path: Path = CRITERIA_FILE) -> dict[str, str]:
    """The RGAA's criteria, « 1.1 » → title in plain text (glossary links removed)."""
    topics = json.loads(path.read_text(encoding="utf-8"))["topics"]
    return {f"{t['number']}.{c['criterium']['number']}": _LINK.sub(r"\1", c["criterium"]["title"])
            for t in topics for c in t["criteria"]}


def read_sample(path: Path = SAMPLE_FILE) -> tuple[PageType, ...]:
    with path.open(encoding="utf-8", newline="") as file:
        return tuple(PageType(row["page"], row["titre"], row["exemple"], tuple(row["routes"].split()))
                     for row in csv.DictReader(file))


def read_findings(path: Path = GRID_FILE) -> tuple[Finding, ...]:
    """The grid's rows: one criterion, a status, the page types it holds for (space-separated), why."""
    with path.open(encoding="utf-8", newline="") as file:
        return tuple(Finding(row["critere"], row["statut"], tuple(row["pages"].split()), row["justification"])
                     for row in csv.DictReader(file))


def check(audit: Audit) -> None:
    """Every criterion has exactly one status on every page type, each with a reason; nothing unknown."""
    keys = {p.key for p in audit.pages}
    for finding in audit.findings:
        if finding.criterion not in audit.criteria:
            raise GridError(f"critère inconnu du RGAA : {finding.criterion}")
        if finding.status not in STATUSES or not finding.reason.strip():
            raise GridError(f"{finding.criterion} : statut {finding.status!r} ou justification manquante")
        if unknown := set(finding.pages) - keys:
            raise GridError(f"{finding.criterion} : types de page hors de l’échantillon {sorted(unknown)}")
    for criterion in audit.criteria:
        named = [p for f in audit.findings if f.criterion == criterion for p in f.pages]
        if sorted(named) != sorted(keys):
            missing, twice = keys - set(named), {p for p in named if named.count(p) > 1}
            raise GridError(f"{criterion} : sans statut {sorted(missing)}, statut en double {sorted(twice)}")


@functools.cache
def load() -> Audit:
    """The audit as the repository holds it, checked (read once per process: the files never change)."""
    audit = Audit(read_criteria(), read_sample(), read_findings())
    check(audit)
    return audit
