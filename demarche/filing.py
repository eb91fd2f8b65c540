"""How a dossier was filed, as its authentication trace says: by the citizen, or at a counter by an agent for a
person present (demarche/counter). Read by every page, the exports and the webhooks; imports nothing."""

from __future__ import annotations

PROVIDER = "guichet"  # the dossier's authentication["provider"] when filed at the counter


def filed_for(dossier) -> dict | None:
    """{"agent", "agent_email", "organisation_siret", "person", "mandate_id"} of a dossier filed at the counter."""
    trace = getattr(dossier, "authentication", None) or {}
    return trace.get("counter") if trace.get("provider") == PROVIDER else None
