"""The agents' delivery log: their organisation's webhooks and what was sent to them (/agents/webhooks)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from demarche.auth.guards import agent_required, current_agent
from demarche.extensions import db
from demarche.pagination import PAGE_SIZE, Page, page_number
from demarche.webhooks.events import EVENT_TYPES
from demarche.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

bp = Blueprint("webhooks", __name__, url_prefix="/agents")
STATES = {"pending": ("En attente", "info"), "delivered": ("Reçu", "success"), "failed": ("Abandonné", "error")}


@bp.get("/webhooks")
@agent_required
def log():
    """The organisation's endpoints, then its deliveries, newest first, each with its last attempt."""
    siret = current_agent().siret
    endpoints = db.session.scalars(db.select(WebhookEndpoint).filter_by(siret=siret)
                                   .order_by(WebhookEndpoint.id)).all()
    query = (db.select(WebhookDelivery).join(WebhookEvent).where(WebhookEvent.siret == siret)
             .order_by(WebhookDelivery.id.desc()))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0
    number = page_number(request.args.get("page"), total)  # bounded before it becomes an OFFSET
    deliveries = db.session.scalars(query.offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)).unique().all()
    return render_template("webhooks/log.html", endpoints=endpoints, deliveries=deliveries,
                           last_attempts=_last_attempts([d.id for d in deliveries]), states=STATES,
                           event_types=EVENT_TYPES, page=Page(list(deliveries), number, total))


def _last_attempts(ids: list[int]) -> dict[int, WebhookAttempt]:
    if not ids:
        return {}
    latest = (db.select(db.func.max(WebhookAttempt.id)).where(WebhookAttempt.delivery_id.in_(ids))
              .group_by(WebhookAttempt.delivery_id))
    attempts = db.session.scalars(db.select(WebhookAttempt).where(WebhookAttempt.id.in_(latest)))
    return {attempt.delivery_id: attempt for attempt in attempts}
