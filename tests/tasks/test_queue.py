"""The queue end to end: a deposit with the broker stopped still succeeds, and its e-mail and webhook event
go out once the broker is back (the relay); the embedded worker of the demo; immediate mode in tests."""

import re

from demarche.extensions import db
from demarche.models import OutboxMessage
from demarche.tasks import relay
from tests.backoffice.factories import make_dossier
from tests.browser import Browser
from tests.journeys import login
from tests.tasks.fixtures import closed_port, wait_for
from tests.webhooks.helpers import add_webhook, deliveries, record

CHOICES = {"school": "jules-ferry", "days": ["lundi", "mardi"], "diet": "vegetarien"}


def deposit(app) -> str:
    """The citizen's whole journey up to the receipt; the dossier's reference."""
    browser = Browser(app.test_client())
    try:
        page = browser.submit(login(browser), "/consentement", button="Récupérer mes données", accept="yes")
        if "/api/v2/interaction/" in page.url:
            page = browser.submit(page, "", button="Continuer")
        receipt = browser.submit(page, "/formulaire", children=["0"], **CHOICES)
    finally:
        browser.close()
    assert "Votre demande a bien été envoyée" in receipt.text
    return re.search(r"CAN-\d{4}-[A-Z0-9]{6}", receipt.text).group(0)


def test_a_deposit_with_the_broker_stopped_goes_out_when_it_returns(make_journey_app, redis_env, start_worker,
                                                                    receivers, smtp_sink):
    smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_sink.port)}
    stopped = make_journey_app(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0", **smtp)
    receiver = receivers()
    _, secret = add_webhook(stopped, receiver.url)
    receiver.start(secret)
    reference = deposit(stopped)
    [waiting] = deliveries(stopped)
    assert (waiting.dossier_reference, waiting.status, waiting.attempts) == (reference, "pending", 0)
    with stopped.app_context():
        assert db.session.scalar(db.select(OutboxMessage.sent_at)) is None
    assert receiver.events() == [] and smtp_sink.mailbox.messages() == []
    # The broker is back: the scheduler's relay hands the queue what the deposit could not.
    back = make_journey_app(**redis_env, **smtp)  # same database
    back.config["TASKS_RELAY_GRACE_SECONDS"] = 0
    start_worker(back)
    back.extensions["tasks"].tasks["relay"]()  # what the scheduler enqueues every minute
    [event] = wait_for(receiver.events, what="the webhook event")
    assert (event["type"], event["reference"]) == ("dossier.depose", reference)
    [mail] = wait_for(smtp_sink.mailbox.messages, what="the receipt e-mail")
    assert mail.subject == f"Votre dossier n° {reference} a bien été déposé"
    back.extensions["tasks"].tasks["relay"]()  # again: nothing is sent twice
    wait_for(lambda: not back.extensions["tasks"].huey.pending_count(), what="the queue drained")
    assert len(receiver.events()) == 1 and receiver.events()[0]["deliveries"] == 1
    assert len(smtp_sink.mailbox.messages()) == 1


def test_without_redis_the_demo_runs_an_embedded_worker(make_app, receivers, smtp_sink):
    app = make_app(DEMARCHE_ENV="demo", SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_sink.port))
    state = app.extensions["tasks"]
    assert state.embedded and not state.huey.immediate
    receiver = receivers()
    _, secret = add_webhook(app, receiver.url)
    receiver.start(secret)
    try:
        app.test_client().get("/")  # the first request starts the worker thread
        assert state.consumer is not None
        record(app, make_dossier(app), "dossier.depose")
        wait_for(receiver.events, what="the event, delivered by the embedded worker")
    finally:
        state.consumer.stop(graceful=True)


def test_in_the_tests_without_redis_each_job_runs_at_once(make_app, receivers):
    app = make_app()
    assert app.extensions["tasks"].huey.immediate and not app.extensions["tasks"].embedded
    receiver = receivers()
    _, secret = add_webhook(app, receiver.url)
    receiver.start(secret)
    record(app, make_dossier(app), "dossier.depose")
    assert len(receiver.events()) == 1  # no waiting: delivered when the app context ended


def test_the_relay_hands_over_nothing_younger_than_its_grace(make_app, redis_env):
    app = make_app(**redis_env)
    add_webhook(app, "http://127.0.0.1:9/hook")
    record(app, make_dossier(app), "dossier.depose")
    huey = app.extensions["tasks"].huey
    huey.flush()  # as if the after-commit hand-over had been lost
    with app.app_context():
        assert relay.relay() == 0
        assert relay.relay(grace_seconds=0) == 1
    assert huey.pending_count() == 1
