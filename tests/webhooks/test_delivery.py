"""Deliveries by a real Huey worker on Redis to the sample receiver over HTTP on loopback: signed, in order per
dossier, exactly once after deduplication when the receiver was down for a while, retried on the schedule,
and given up after the last retry with the endpoint disabled and the agents told by e-mail."""

import json
from datetime import timedelta

import httpx
from standardwebhooks import Webhook

from demarche.extensions import db
from demarche.models import OutboxMessage, utcnow
from demarche.webhooks import delivery as delivery_module
from demarche.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.backoffice.factories import COMMUNE, MARIE, THOMAS, allow, make_dossier
from tests.tasks.fixtures import FAST_RETRIES, wait_for
from tests.webhooks.helpers import add_webhook, deliveries, endpoint, record


def test_an_event_reaches_the_receiver_signed_without_personal_data(make_app, redis_env, start_worker, receivers):
    app = make_app(**redis_env)
    receiver = receivers()
    _, secret = add_webhook(app, receiver.url)
    receiver.start(secret)
    start_worker(app)
    reference = make_dossier(app)
    record(app, reference, "dossier.depose")
    [event] = wait_for(receiver.events, what="the event at the receiver")
    assert (event["type"], event["reference"], event["status"]) == ("dossier.depose", reference, "depose")
    [sent] = wait_for(lambda: [d for d in deliveries(app) if d.status == "delivered"], what="delivered")
    assert sent.attempts == 1 and event["id"] == sent.event.message_id
    body = json.loads(sent.event.body)
    assert set(body) == {"id", "type", "timestamp", "data"}
    assert set(body["data"]) == {"reference", "procedure", "status"}
    assert "DUBOIS" not in sent.event.body and "angela" not in sent.event.body.lower()
    with app.app_context():
        [attempt] = db.session.scalars(db.select(WebhookAttempt)).all()
        assert (attempt.status_code, attempt.error) == (200, None)


def test_the_signature_verifies_with_the_official_library(make_app, receivers):
    app = make_app()  # no REDIS_URL in tests: each job runs at once, in the request
    received = []
    server = _capture(received)
    try:
        _, secret = add_webhook(app, server.url + "/hook")
        record(app, make_dossier(app), "dossier.depose")
    finally:
        server.stop()
    [(headers, body)] = received
    assert Webhook(secret).verify(body, headers)["type"] == "dossier.depose"
    assert headers["webhook-id"].startswith("msg_") and headers["webhook-signature"].startswith("v1,")


def test_receiver_down_then_back_every_event_once_in_order(make_app, redis_env, start_worker, receivers):
    app = make_app(**redis_env)
    app.config["WEBHOOK_RETRY_SCHEDULE"] = FAST_RETRIES
    receiver = receivers()
    _, secret = add_webhook(app, receiver.url)  # not started: connection refused
    start_worker(app, workers=3)
    first, second = make_dossier(app), make_dossier(app)
    for reference in (first, second):
        record(app, reference, "dossier.depose")
        record(app, reference, "dossier.statut_modifie", "en_instruction")
        record(app, reference, "dossier.statut_modifie", "accepte")
    wait_for(lambda: any(d.attempts >= 2 for d in deliveries(app)), what="a retry while the receiver is down")
    assert all(d.status == "pending" for d in deliveries(app))
    # Only the first event of each dossier was tried: the following ones wait for it.
    assert {d.dossier_reference for d in deliveries(app) if d.attempts} == {first, second}
    assert all(d.attempts == 0 for d in deliveries(app) if json.loads(d.event.body)["type"] != "dossier.depose")
    receiver.start(secret)
    wait_for(lambda: all(d.status == "delivered" for d in deliveries(app)), timeout=30, what="every delivery")
    events = receiver.events()
    assert len(events) == 6 and len({e["id"] for e in events}) == 6
    for reference in (first, second):
        assert [e["status"] for e in events if e["reference"] == reference] == ["depose", "en_instruction", "accepte"]


def test_a_duplicate_is_acknowledged_and_not_processed_twice(make_app, redis_env, start_worker, receivers):
    app = make_app(**redis_env)
    receiver = receivers()
    _, secret = add_webhook(app, receiver.url)
    receiver.start(secret)
    start_worker(app)
    record(app, make_dossier(app), "dossier.depose")
    [sent] = wait_for(lambda: [d for d in deliveries(app) if d.status == "delivered"], what="delivered")
    with app.app_context():  # the same event again, as after a lost acknowledgement
        outcome = delivery_module.attempt(db.session.get(WebhookDelivery, sent.id))
    assert outcome.ok
    [event] = receiver.events()
    assert event["deliveries"] == 2


def test_a_failure_is_retried_on_the_standard_webhooks_schedule(make_app, receivers):
    assert delivery_module.RETRY_SCHEDULE == (5, 300, 1800, 7200, 18000, 36000, 36000)
    assert timedelta(hours=24) < timedelta(seconds=sum(delivery_module.RETRY_SCHEDULE)) < timedelta(hours=30)
    app = make_app()
    receiver = receivers()
    _, secret = add_webhook(app, receiver.url)
    receiver.start(secret)
    httpx.post(receiver.url.replace("/webhooks", "/_sim/panne"), json={"active": True})
    before = utcnow()
    record(app, make_dossier(app), "dossier.depose")
    [pending] = deliveries(app)
    assert (pending.status, pending.attempts, pending.locked_at) == ("pending", 1, None)
    wait = (pending.next_attempt_at - before).total_seconds()
    assert 4 <= wait <= 7
    with app.app_context():
        assert db.session.scalar(db.select(WebhookAttempt.error)) == "réponse HTTP 503"


def test_after_the_last_retry_the_webhook_is_disabled_and_agents_emailed(make_app, redis_env, start_worker,
                                                                         receivers, smtp_sink):
    app = make_app(**redis_env, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_sink.port))
    app.config["WEBHOOK_RETRY_SCHEDULE"] = (1.0, 1.0)
    allow(app, MARIE, COMMUNE)
    allow(app, THOMAS, COMMUNE)
    allow(app, "autre@ailleurs.example", "21450123400006")  # another organisation: not told
    receiver = receivers()
    endpoint_id, secret = add_webhook(app, receiver.url)
    start_worker(app)
    reference = make_dossier(app)
    record(app, reference, "dossier.depose")
    record(app, reference, "dossier.statut_modifie", "en_instruction")
    wait_for(lambda: not endpoint(app, endpoint_id).enabled, timeout=20, what="the endpoint disabled")
    first, second = deliveries(app)
    assert (first.status, first.attempts, second.status, second.attempts) == ("failed", 3, "pending", 0)

    def disabled_mails():
        mails = [m for m in smtp_sink.mailbox.messages() if "Webhook désactivé" in m.subject]
        return mails if len(mails) == 2 else None

    mails = wait_for(disabled_mails, what="the e-mails to both agents")
    assert sorted(r for m in mails for r in m.recipients) == sorted([MARIE, THOMAS])
    assert receiver.url in mails[0].body and "/agents/webhooks" in mails[0].body
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 2
    # Fixed and re-enabled: both events go out, in order.
    receiver.start(secret)
    result = app.test_cli_runner().invoke(args=["webhooks", "enable", str(endpoint_id)])
    assert "réactivé : 2 événement(s)" in result.output
    wait_for(lambda: len(receiver.events()) == 2, what="both events after re-enabling")
    assert [e["type"] for e in receiver.events()] == ["dossier.depose", "dossier.statut_modifie"]


def _capture(received: list):
    """A loopback endpoint that keeps each request's headers and body."""
    from flask import Flask, request

    from demarche.devserver import serve

    capture = Flask("capture")

    @capture.post("/hook")
    def hook():
        received.append(({k.lower(): v for k, v in request.headers.items()}, request.get_data(as_text=True)))
        return "", 204

    return serve(lambda _url: capture)
