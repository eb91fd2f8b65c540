"""The certified data a draft and a dossier keep: written once after the fetch, read through typed models.

Stored shape (JSON, read as is by the back-office, the exports and « Mes données »):
{source key: {"data": the model's fields the démarche keeps, "provenance": {platform, provider, route,
request_id (X-Request-ID, or the DGFiP's X-Correlation-ID), retrieved_at (ISO, UTC), modality, year (the
DGFiP's income year), answer ("not_found" when the data is what the provider's « not found » certifies)}}}.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from demarche.providers import SourceResult
from demarche.providers.api_particulier import revive

if TYPE_CHECKING:
    from demarche.procedures.base import DataSource


@dataclass(frozen=True)
class Provenance:
    platform: str  # « API Particulier » or « API Impôt particulier »
    provider: str  # the organisation as the démarche declares it, e.g. « Cnous (Crous) »
    route: str
    request_id: str  # X-Request-ID, or the X-Correlation-ID sent to the DGFiP
    retrieved_at: str  # ISO, UTC; shown with dates.display
    modality: str  # france_connect | identite
    year: str = ""  # the DGFiP's income year (« 2025 »), "" for API Particulier
    answer: str = ""  # "not_found": the provider has no file, and the data is what that certifies (DataSource)


def snapshot(source: DataSource, result: SourceResult, modality: str) -> dict[str, Any]:
    """What is stored of an answer: only the source's `fields`, and where they come from. A « not found » is an
    answer when the source says what it certifies (DataSource.not_found: « not a C2S beneficiary »)."""
    value = result.value if result.ok else source.not_found
    data = asdict(value)
    if source.fields is not None:
        data = {name: value for name, value in data.items() if name in source.fields}
    retrieved_at = (result.retrieved_at or datetime.now(UTC)).replace(tzinfo=None).isoformat(timespec="seconds")
    year = getattr(value, "annee_revenus", None)
    provenance = Provenance(source.platform, source.provider_of(value), result.route, result.request_id,
                            retrieved_at, modality, str(year) if year else "", "" if result.ok else "not_found")
    return {"data": data, "provenance": asdict(provenance)}


class Certified:
    """A draft's or a dossier's certified data, one typed model per source (None when not certified)."""

    def __init__(self, sources: Sequence[DataSource], snapshots: dict[str, Any] | None):
        self.sources, self._snapshots = tuple(sources), snapshots or {}
        self._values = {s.key: revive(s.route.model, self._snapshots[s.key].get("data") or {})
                        for s in self.sources if s.key in self._snapshots}

    def get(self, source: DataSource) -> Any:
        """The source's model (e.g. QuotientFamilialResult), or None."""
        return self._values.get(source.key)

    def provenance(self, source: DataSource) -> Provenance | None:
        stored = (self._snapshots.get(source.key) or {}).get("provenance")
        if not stored:
            return None
        provenance = Provenance(**{name: stored.get(name, "") for name in Provenance.__dataclass_fields__})
        value = self.get(source)  # who answered, from the data (« CAF »), for snapshots stored before it was kept
        return replace(provenance, provider=source.provider_of(value)) if value is not None else provenance

    def provenances(self) -> list[Provenance]:
        return [p for p in (self.provenance(s) for s in self.sources) if p]

    def __bool__(self) -> bool:
        return bool(self._values)
