"""Where each certified value comes from: the provider, the period, when it was fetched, the request id.

Read from the snapshot the journey stored with the dossier (procedures/certified.py snapshot), so
the back-office shows exactly what was certified at submission, never a fresh call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from demarche.dates import display, month_year
from demarche.dossiers.models import Dossier
from demarche.procedures.base import Procedure
from demarche.providers.api_particulier.sources import ORGANISATIONS as PROVIDER_NAMES


@dataclass(frozen=True)
class CertifiedSource:
    """One certified source of a dossier, as an agent reads it."""

    key: str
    label: str
    provider: str  # « CAF », or the declared provider « CAF ou MSA » when the data does not say
    platform: str  # « API Particulier » or « API Impôt particulier »
    period: str  # « octobre 2026 », « revenus 2025 » (the DGFiP's income year), or ""
    retrieved_at: datetime | None
    request_id: str
    route: str
    modality: str


def certified_sources(procedure: Procedure | None, dossier: Dossier) -> list[CertifiedSource]:
    """Every source whose data was certified for this dossier."""
    sources = {s.key: s for s in procedure.sources} if procedure else {}
    result = []
    for key, snapshot in (dossier.certified or {}).items():
        provenance, data = snapshot.get("provenance") or {}, snapshot.get("data") or {}
        declared = sources.get(key)
        result.append(CertifiedSource(
            key=key, label=declared.label if declared else key,
            provider=_provider(data) or provenance.get("provider", ""), platform=provenance.get("platform", ""),
            period=_period(data) or (f"revenus {provenance['year']}" if provenance.get("year") else ""),
            retrieved_at=_time(provenance.get("retrieved_at")),
            request_id=provenance.get("request_id") or "", route=provenance.get("route", ""),
            modality=provenance.get("modality", ""),
        ))
    return result


def describe(source: CertifiedSource, request: bool = False) -> str:
    """« CAF via API Particulier, octobre 2026, récupéré le 21/11/2026 à 06:10 » (Paris time); request: the
    route and the request id too (X-Request-ID, or the X-Correlation-ID sent to the DGFiP), for the exports."""
    parts = [f"{source.provider} via {source.platform}" if source.platform else source.provider]
    if source.period:
        parts.append(source.period)
    if source.retrieved_at:
        parts.append(f"récupéré le {display(source.retrieved_at)}")
    if request and source.request_id:
        parts.append(f"requête {source.request_id} ({source.route})")
    return ", ".join(parts)


def _nested(data: dict) -> list[dict]:
    """The data and its first-level sub-objects, where providers put fournisseur, mois and annee."""
    return [data, *(value for value in data.values() if isinstance(value, dict))]


def _provider(data: dict) -> str:
    for part in _nested(data):
        if part.get("fournisseur"):
            return PROVIDER_NAMES.get(part["fournisseur"], part["fournisseur"])
    return ""


def _period(data: dict) -> str:
    for part in _nested(data):
        if isinstance(part.get("mois"), int) and 1 <= part["mois"] <= 12 and part.get("annee"):
            return month_year(part["mois"], part["annee"])
    return ""


def _time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None
    except ValueError:
        return None
