"""What the relay hands over: the first pending delivery of each (endpoint, dossier) stream once due, of enabled
endpoints only, never one a worker holds; unsent e-mails when SMTP is configured."""

from datetime import timedelta

from demarche import mail
from demarche.extensions import db
from demarche.models import OutboxMessage, utcnow
from demarche.webhooks import delivery
from demarche.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.backoffice.factories import make_dossier
from tests.webhooks.helpers import add_webhook, deliveries, record


def test_only_the_head_of_each_stream_is_due(make_app, redis_env):
    app = make_app(**redis_env)  # no worker: everything stays pending
    add_webhook(app, "http://127.0.0.1:9/a")
    disabled_id, _ = add_webhook(app, "http://127.0.0.1:9/b")
    first, second = make_dossier(app), make_dossier(app)
    for reference in (first, second):
        record(app, reference, "dossier.depose")
        record(app, reference, "dossier.statut_modifie", "en_instruction")
    rows = deliveries(app)
    heads = [d.id for d in rows if d.endpoint_id != disabled_id and d.event.type == "dossier.depose"]
    later = utcnow() + timedelta(seconds=1)
    with app.app_context():
        db.session.get(WebhookEndpoint, disabled_id).enabled = False
        db.session.commit()
        assert delivery.due(later) == [("deliver_webhook", i) for i in heads]
        assert delivery.due(utcnow() - timedelta(minutes=5)) == []  # not due yet
        db.session.get(WebhookDelivery, heads[0]).locked_at = utcnow()  # a worker is sending it
        db.session.commit()
        assert delivery.due(later) == [("deliver_webhook", heads[1])]
        db.session.get(WebhookDelivery, heads[1]).status = "delivered"
        db.session.commit()
        following = next(d.id for d in rows if d.dossier_reference == second and d.event.type != "dossier.depose"
                         and d.endpoint_id != disabled_id)
        assert delivery.due(later) == [("deliver_webhook", following)]


def test_unsent_e_mails_are_due_only_with_smtp(make_app, redis_env):
    for smtp, expected in (("", 0), ("127.0.0.1", 1)):
        app = make_app(**redis_env, SMTP_HOST=smtp)
        with app.app_context():
            db.session.add(OutboxMessage(kind="status", recipient="a@example.fr", subject="s", body="b"))
            db.session.commit()
            assert len(mail.unsent(utcnow() + timedelta(seconds=1))) == expected
            db.session.execute(db.delete(OutboxMessage))
            db.session.commit()
