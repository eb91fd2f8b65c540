"""The events sent to webhooks, recorded in the transaction that makes them happen (transactional outbox).

Payload (Standard Webhooks' suggested shape: type, timestamp, data): the dossier's reference, démarche and
status, never personal data; the receiver reads the dossier through the API with its own token.
"""

from __future__ import annotations

import json
import secrets
from typing import Protocol

from demarche import tasks
from demarche.extensions import db
from demarche.filing import filed_for
from demarche.models import utcnow
from demarche.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

EVENT_TYPES = {
    "dossier.depose": "Dossier déposé",
    "dossier.statut_modifie": "Statut modifié",
    "dossier.supprime": "Dossier supprimé (durée de conservation écoulée)",
    # The correction loop (demarche/dossiers/transitions.py): each comes with its dossier.statut_modifie.
    "dossier.correction_demandee": "Correction demandée à l’usager",
    "dossier.correction_effectuee": "Correction effectuée par l’usager",
}
RESERVED: set[str] = set()  # types announced to receivers before they are sent (none at the moment)


class DossierLike(Protocol):
    """A Dossier, or a row with the same columns (the purge reads them before deleting)."""

    reference: str
    procedure: str
    status: str
    organisation_siret: str | None


def record(event_type: str, dossier: DossierLike, *, previous_status: str | None = None) -> WebhookEvent | None:
    """Add the event and one delivery per endpoint of the dossier's organisation to the current transaction.

    The deliveries are handed to the task queue once the caller commits; nothing is recorded when no
    endpoint listens. Disabled endpoints get their deliveries too: they go out, in order, once re-enabled.
    """
    if event_type not in EVENT_TYPES or event_type in RESERVED:
        raise ValueError(f"unknown or reserved event type {event_type!r}")
    if not dossier.organisation_siret:
        return None
    endpoints = db.session.scalars(db.select(WebhookEndpoint).where(
        WebhookEndpoint.siret == dossier.organisation_siret,
        (WebhookEndpoint.procedure.is_(None)) | (WebhookEndpoint.procedure == dossier.procedure))).all()
    if not endpoints:
        return None
    now, message_id = utcnow(), "msg_" + secrets.token_urlsafe(18)
    data = {"reference": dossier.reference, "procedure": dossier.procedure, "status": dossier.status}
    if previous_status:
        data["previous_status"] = previous_status
    filed = filed_for(dossier)
    if filed:  # filed at a desk by an agent, for the person (whose name stays in the API: docs/webhooks.md)
        data["filed_for"] = {"filed_by": filed["agent"], "organisation_siret": filed["organisation_siret"]}
    body = json.dumps({"id": message_id, "type": event_type, "timestamp": f"{now.isoformat(timespec='seconds')}Z",
                       "data": data}, ensure_ascii=False, separators=(",", ":"))
    event = WebhookEvent(message_id=message_id, type=event_type, dossier_reference=dossier.reference,
                         procedure=dossier.procedure, siret=dossier.organisation_siret, body=body, created_at=now)
    db.session.add(event)
    for endpoint in endpoints:
        delivery = WebhookDelivery(event=event, endpoint=endpoint, dossier_reference=dossier.reference,
                                   next_attempt_at=now, created_at=now)
        db.session.add(delivery)
        tasks.later("deliver_webhook", delivery)
    return event
