"""Sending one delivery: in order per (endpoint, dossier), signed, to the checked address, retried with backoff.

At least once: a delivery stays pending until the receiver answers 2xx (the receiver deduplicates on
webhook-id). Event n+1 of a dossier waits until event n reached that endpoint. After the last retry the
endpoint is disabled and the organisation's agents are told by e-mail (demarche/webhooks/notify.py).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from flask import current_app
from sqlalchemy import or_, update
from sqlalchemy.orm import aliased

from demarche import tasks
from demarche.extensions import db
from demarche.models import utcnow
from demarche.webhooks import notify, signing, ssrf
from demarche.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from demarche.webhooks.settings import settings

log = logging.getLogger("demarche.webhooks")
# Standard Webhooks' suggested schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
# (about 28 hours in all): https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
RETRY_SCHEDULE: tuple[float, ...] = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
TIMEOUT = httpx.Timeout(15.0, connect=5.0)  # the specification asks receivers to answer within 15 s
LOCK_TIMEOUT = timedelta(minutes=2)  # a worker that died leaves its claim; another may take it after this


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: the HTTP status, or a French error for the agents' log."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_schedule() -> tuple[float, ...]:
    return tuple(current_app.config.get("WEBHOOK_RETRY_SCHEDULE", RETRY_SCHEDULE))


@tasks.job("deliver_webhook")
def deliver(delivery_id: int) -> None:
    """The queue's job: attempt this delivery if it is due, enabled, first of its stream and not taken."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != "pending" or not delivery.endpoint.enabled:
        return
    if _blocked(delivery) or not _claim(delivery_id):
        return
    outcome = attempt(delivery)
    db.session.add(WebhookAttempt(delivery_id=delivery.id, status_code=outcome.status_code, error=outcome.error,
                                  duration_ms=outcome.duration_ms))
    delivery.attempts += 1
    delivery.locked_at = None
    if outcome.ok:
        delivery.status, delivery.delivered_at = "delivered", utcnow()
        db.session.commit()
        log.info("webhook delivered", extra={"context": {"delivery_id": delivery_id, "attempts": delivery.attempts}})
        _hand_over_next(delivery)
    else:
        _failed(delivery, outcome)


def attempt(delivery: WebhookDelivery, now: datetime | None = None) -> Outcome:
    """POST the event's body, signed, to the endpoint's address as checked now (no redirect followed)."""
    endpoint, event, started = delivery.endpoint, delivery.event, time.perf_counter()
    try:
        target = ssrf.check(endpoint.url, allow_loopback=settings().allow_loopback)
    except ssrf.UnsafeUrl as refused:
        return Outcome(None, f"adresse refusée : {refused}"[:255], 0)
    url, host, extensions = target.request_parts()
    body = event.body
    headers = {**signing.headers(signing_secrets(endpoint, now), event.message_id, body), **host}
    db.session.commit()  # no transaction left open while waiting on the network
    try:
        with httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
            response = client.post(url, content=body.encode(), headers=headers, extensions=extensions)
    except httpx.TimeoutException:
        return Outcome(None, "délai dépassé", _ms(started))
    except httpx.HTTPError as error:
        return Outcome(None, f"connexion impossible ({type(error).__name__})", _ms(started))
    error = None if 200 <= response.status_code < 300 else f"réponse HTTP {response.status_code}"
    return Outcome(response.status_code, error, _ms(started))


def signing_secrets(endpoint: WebhookEndpoint, now: datetime | None = None) -> list[str]:
    """The current secret, plus the previous one during a rotation's grace period."""
    now = now or utcnow()
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        return [endpoint.secret, endpoint.previous_secret]
    return [endpoint.secret]


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _blocked(delivery: WebhookDelivery) -> bool:
    """Whether an earlier event of the same dossier has not reached this endpoint yet."""
    return db.session.scalar(db.select(WebhookDelivery.id).where(
        WebhookDelivery.endpoint_id == delivery.endpoint_id,
        WebhookDelivery.dossier_reference == delivery.dossier_reference,
        WebhookDelivery.id < delivery.id, WebhookDelivery.status != "delivered").limit(1)) is not None


def _claim(delivery_id: int) -> bool:
    """Take the delivery atomically, only when due: two workers never send it at once, nor a retry early."""
    now = utcnow()
    claimed = db.session.execute(update(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
        WebhookDelivery.next_attempt_at <= now + timedelta(seconds=1),
        or_(WebhookDelivery.locked_at.is_(None), WebhookDelivery.locked_at < now - LOCK_TIMEOUT),
    ).values(locked_at=now)).rowcount
    db.session.commit()
    return claimed == 1


def _failed(delivery: WebhookDelivery, outcome: Outcome) -> None:
    """Schedule the next retry, or give up: mark failed, disable the endpoint, tell the agents."""
    schedule = retry_schedule()
    context = {"delivery_id": delivery.id, "attempts": delivery.attempts, "error": outcome.error}
    if delivery.attempts > len(schedule):
        delivery.status = "failed"
        notify.disable(delivery.endpoint, outcome.error or "")
        db.session.commit()
        log.warning("webhook disabled after the last retry", extra={"context": context})
        return
    delay = schedule[delivery.attempts - 1]
    delivery.next_attempt_at = utcnow() + timedelta(seconds=delay)
    db.session.commit()
    log.info("webhook attempt failed, retry scheduled", extra={"context": {**context, "delay_s": delay}})
    tasks.enqueue("deliver_webhook", delivery.id, delay=delay)


def _hand_over_next(delivery: WebhookDelivery) -> None:
    """Enqueue the next pending event of the same dossier for this endpoint, now that this one arrived."""
    following = db.session.scalar(db.select(WebhookDelivery.id).where(
        WebhookDelivery.endpoint_id == delivery.endpoint_id,
        WebhookDelivery.dossier_reference == delivery.dossier_reference,
        WebhookDelivery.id > delivery.id, WebhookDelivery.status == "pending")
        .order_by(WebhookDelivery.id).limit(1))
    if following is not None:
        tasks.enqueue("deliver_webhook", following)


@tasks.relay_source
def due(cutoff: datetime) -> list[tuple[str, int]]:
    """For the relay: the first pending delivery of each stream, due before `cutoff`, of enabled endpoints."""
    earlier = aliased(WebhookDelivery)
    head = ~db.select(earlier.id).where(
        earlier.endpoint_id == WebhookDelivery.endpoint_id,
        earlier.dossier_reference == WebhookDelivery.dossier_reference,
        earlier.id < WebhookDelivery.id, earlier.status != "delivered").exists()
    ids = db.session.scalars(db.select(WebhookDelivery.id).join(WebhookEndpoint).where(
        WebhookDelivery.status == "pending", WebhookEndpoint.enabled.is_(True),
        WebhookDelivery.next_attempt_at < cutoff,
        or_(WebhookDelivery.locked_at.is_(None), WebhookDelivery.locked_at < utcnow() - LOCK_TIMEOUT), head)
        .order_by(WebhookDelivery.id).limit(500)).all()
    return [("deliver_webhook", delivery_id) for delivery_id in ids]
