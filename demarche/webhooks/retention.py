"""How long the webhooks' log is kept: delivered events for 30 days, then deleted with their attempts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from demarche import tasks
from demarche.extensions import db
from demarche.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent

KEPT = timedelta(days=30)  # long enough for agents to answer « did you send it? », short for a log


@tasks.purge()
def purge(now: datetime) -> dict[str, int]:
    """Delete deliveries delivered before now - 30 days, their attempts, and events left without delivery."""
    old = select(WebhookDelivery.id).where(WebhookDelivery.status == "delivered",
                                           WebhookDelivery.delivered_at < now - KEPT)
    ids = list(db.session.scalars(old))
    db.session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids))
                       .execution_options(synchronize_session=False))
    count = db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(ids))
                               .execution_options(synchronize_session=False)).rowcount
    db.session.execute(delete(WebhookEvent).where(WebhookEvent.created_at < now - KEPT,
                                                  WebhookEvent.id.not_in(select(WebhookDelivery.event_id)))
                       .execution_options(synchronize_session=False))
    return {"envois de webhooks": count}
