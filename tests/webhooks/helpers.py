"""Webhook test helpers: endpoints, events recorded as the service records them, what the database says."""

from __future__ import annotations

from demarche.config import DEMO_RECIPIENT_SIRET
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.webhooks import cli, events
from demarche.webhooks.models import WebhookDelivery, WebhookEndpoint


def add_webhook(app, url: str, siret: str = DEMO_RECIPIENT_SIRET, procedure: str | None = None) -> tuple[int, str]:
    """Register an endpoint as `flask webhooks add` does; (id, secret)."""
    with app.app_context():
        endpoint = cli.add_endpoint(siret, url, procedure)
        return endpoint.id, endpoint.secret


def record(app, reference: str, event_type: str, status: str | None = None) -> None:
    """Change the dossier's status (if given) and record the event in the same commit; handed over on exit."""
    with app.app_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        previous = dossier.status
        if status:
            dossier.status = status
        events.record(event_type, dossier, previous_status=previous if status else None)
        db.session.commit()


def deliveries(app) -> list[WebhookDelivery]:
    with app.app_context():
        rows = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)).unique().all()
        db.session.expunge_all()
        return list(rows)


def endpoint(app, endpoint_id: int) -> WebhookEndpoint:
    with app.app_context():
        row = db.session.get(WebhookEndpoint, endpoint_id)
        db.session.expunge_all()
        return row
