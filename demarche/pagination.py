"""One page of a long list (the agents' dossiers, journal and webhook deliveries): its rows and what the DSFR
pagination component needs (https://www.systeme-de-design.gouv.fr/composants/pagination)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    """One page of results and what the pagination needs."""

    items: list[Any]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def page_number(requested: int | str | None, total: int) -> int:
    """A page that exists: 1 for anything that is not a number, the last page for a number beyond it
    (an offset of 2**63 rows is an error in the database, not an empty page)."""
    try:
        number = int(requested or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(1, number), max(1, -(-total // PAGE_SIZE)))
