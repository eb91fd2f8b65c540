"""Each commune code's validity periods and names since 1943, rebuilt from INSEE's COG files (2017 vintage).

INSEE's `France2017.txt` lists every code that existed since 1943 with its last name, and `historiq2017.txt`
every event (creation, fusion, change of department, renaming) with its effective date; file formats:
https://www.insee.fr/fr/information/2666684 (« Fichier des communes » and « Historique des communes »).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DATA = Path(__file__).parent / "data"
ORIGIN = date(1943, 1, 1)  # INSEE's history starts there
# Mayotte's communes entered the COG when Mayotte became a department (loi organique n° 2010-1486,
# https://www.legifrance.gouv.fr/loda/id/JORFTEXT000023239624); historiq2017 has no event for it.
MAYOTTE = date(2011, 3, 31)

# Event codes (MOD) of historiq: the code stops being a commune (absorbed, associated, delegated, deleted)…
_ENDS = {300, 310, 311, 312, 330, 331, 332, 333}
# … or becomes one (created, restored); 410/411 move a commune to another department: a new code
# starts, the old one (DEPANC) ends.
_STARTS = {200, 210}
_MOVES = {410, 411}
_RENAMES = {100, 110, 111, 120, 130}
# TNCC: the article written before the name (https://www.insee.fr/fr/information/2560684#tncc).
_ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


@dataclass
class CodeHistory:
    """One commune code: when it was a commune, and the names it had."""

    code: str
    last_name: str
    periods: list[tuple[date, date | None]] = field(default_factory=list)
    renames: list[tuple[date, str]] = field(default_factory=list)  # (effective, name before it)

    @property
    def keys(self) -> set[str]:
        """Every name the code had, as searched."""
        return {self.last_name, *(name for _, name in self.renames)}

    def valid_on(self, day: date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in self.periods)

    def name_on(self, day: date) -> str:
        """The name in force on that day: the old name of the first renaming after it, else the last one."""
        for effective, before in sorted(self.renames):
            if day < effective:
                return before
        return self.last_name

    @property
    def department(self) -> str:
        return self.code[:3] if self.code.startswith("97") else self.code[:2]


def _label(article: str, name: str) -> str:
    return f"{_ARTICLES.get(article, '')}{name}"


def _day(text: str) -> date:
    day, month, year = text.split("-")
    return date(int(year), int(month), int(day))


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="cp1252", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))[1:]


def _last_names() -> dict[str, str]:
    """Every code of France2017 (current, associated, merged, moved, arrondissement, delegated) → its name."""
    names = {}
    for row in _rows("France2017.txt"):
        actual, dep, com, tncc, nccenr = row[0], row[5], row[6], row[11], row[15]
        if actual == "9":  # a canton fraction repeats a commune already listed
            continue
        names.setdefault(dep + com, _label(tncc, nccenr))
    return names


def _periods(events: list[tuple[date, bool]]) -> list[tuple[date, date | None]]:
    """Turn (date, starts) events into periods; a code whose first event is a start did not exist before it."""
    events.sort()
    active_since: date | None = None if events and events[0][1] else ORIGIN
    periods = []
    for day, starts in events:
        if starts and active_since is None:
            active_since = day
        elif not starts and active_since is not None:
            periods.append((active_since, day))
            active_since = None
    if active_since is not None:
        periods.append((active_since, None))
    return periods


def load() -> dict[str, CodeHistory]:
    """Every commune code since 1943 with its periods and names."""
    names = _last_names()
    events: dict[str, list[tuple[date, bool]]] = defaultdict(list)
    renames: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for row in _rows("historiq2017.txt"):
        code, effective, mod = row[0] + row[3], _day(row[6]), int(row[8])
        if mod in _ENDS and row[13] == code:
            # A commune nouvelle keeping the code of one of its parts: that part's name was the code's name.
            renames[code].append((effective, _label(row[19], row[20])))
        elif mod in _ENDS:
            events[code].append((effective, False))
        elif mod in _STARTS:
            events[code].append((effective, True))
        elif mod in _MOVES and row[16]:
            events[code].append((effective, True))
            events[row[16]].append((effective, False))
        elif mod in _RENAMES and row[22]:
            renames[code].append((effective, _label(row[21], row[22])))
            names.setdefault(code, _label(row[19], row[20]))
    for code in names:
        if code.startswith("976"):
            events[code].append((MAYOTTE, True))
    return {code: CodeHistory(code, name, _periods(events.get(code, [])), renames.get(code, []))
            for code, name in names.items()}
