"""Birthplaces for API Particulier's identité modality: a commune code valid at the birth date, or a country.

A commune's code depends on the date (communes merged, renamed, moved: Seine 1968, Corsica 1976), so the
lookup reads INSEE's historical COG (https://particulier.api.gouv.fr/blog/parametre-lieu-naissance-code-cog).
Sources and their limits: docs/specs/SOURCES.md.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from demarche.cog.history import DATA, CodeHistory, load

FRANCE = "99100"  # sent by the service when the person was born in France, never asked (same blog post)
# The history vendored stops at INSEE's 2017 vintage: later births are looked up in the 2017 state.
HISTORY_UNTIL = date(2017, 1, 1)


@dataclass(frozen=True)
class Commune:
    """A commune as it was on a given day."""

    code: str
    name: str
    department: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.department})"


@dataclass(frozen=True)
class Country:
    """A foreign country or territory of INSEE's list (codes 99xxx, which never changed)."""

    code: str
    name: str


def _key(text: str) -> str:
    """Accents, case, hyphens and apostrophes do not matter when searching a name."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(plain.replace("-", " ").replace("'", " ").replace("’", " ").split())


@cache
def _histories() -> dict[str, CodeHistory]:
    return load()


@cache
def _search_keys() -> list[tuple[str, CodeHistory]]:
    """Each name any code ever had, searchable, beside its code's history."""
    return [(_key(name), history) for history in _histories().values() for name in history.keys]


@cache
def _countries() -> dict[str, Country]:
    with (DATA / "pays.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: Country(row["code"], row["libelle"]) for row in csv.DictReader(handle)}


def commune(code: str, born: date) -> Commune | None:
    """The commune of that code on the birth date, or None when the code was not a commune then."""
    history = _histories().get(code)
    if history is None or not history.valid_on(born):
        return None
    return Commune(code, history.name_on(born), history.department)


def search_communes(text: str, born: date, limit: int = 20) -> list[Commune]:
    """Communes valid on the birth date whose name (as it was then) starts with, then contains, the text."""
    wanted = _key(text)
    if len(wanted) < 2:
        return []
    candidates = {history.code for key, history in _search_keys() if wanted in key}
    found = [commune(code, born) for code in candidates]
    matches = [c for c in found if c is not None and wanted in _key(c.name)]
    matches.sort(key=lambda c: (not _key(c.name).startswith(wanted), _key(c.name), c.code))
    return matches[:limit]


def same_name(name: str, typed: str) -> bool:
    """The typed text is this name, whatever the accents, case and hyphens."""
    return _key(name) == _key(typed)


def country(code: str) -> Country | None:
    """A foreign country by its 99xxx code; France (99100) is not one."""
    return _countries().get(code)


def countries() -> list[Country]:
    """Every foreign country and territory, by name."""
    return sorted(_countries().values(), key=lambda c: _key(c.name))
