"""Which events are recorded, for whom, and in which transaction: a status change (the back-office's one
function), the purge's deletions, nothing for other organisations or démarches, nothing on rollback."""

import json
from datetime import timedelta

import pytest

from demarche.dossiers import transitions
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import Agent, utcnow
from demarche.tasks import retention
from demarche.webhooks import events
from demarche.webhooks.models import WebhookEvent
from tests.backoffice.factories import MARIE, OTHER_ORG, make_dossier
from tests.webhooks.helpers import add_webhook, deliveries, record

URL = "http://127.0.0.1:9/hook"  # nothing listens: deliveries stay pending, which is all these tests read


def payloads(app) -> list[dict]:
    with app.app_context():
        return [json.loads(e.body) for e in db.session.scalars(db.select(WebhookEvent).order_by(WebhookEvent.id))]


def test_a_status_change_records_its_event_in_the_same_commit(app):
    add_webhook(app, URL)
    reference = make_dossier(app)
    with app.test_request_context():  # the citizen's e-mail has a link: a request context, as in the back-office
        agent = Agent(issuer="pc", sub="s", email=MARIE, given_name="Marie", usual_name="Lambert",
                      siret="21750001600019", uid="1")
        db.session.add(agent)
        db.session.commit()
        transitions.move(db.session.scalar(db.select(Dossier).filter_by(reference=reference)), "en_instruction", agent)
    [payload] = payloads(app)
    assert payload["type"] == "dossier.statut_modifie" and payload["id"].startswith("msg_")
    assert payload["data"] == {"reference": reference, "procedure": "cantine", "status": "en_instruction",
                               "previous_status": "depose"}
    assert payload["timestamp"].endswith("Z")


def test_the_purge_announces_each_deleted_dossier(app):
    add_webhook(app, URL)
    reference = make_dossier(app, status="refuse", submitted_at=utcnow() - timedelta(days=400))
    with app.app_context():
        counts = retention.purge()
    assert counts["dossiers"] == 1
    [payload] = payloads(app)
    assert payload["type"] == "dossier.supprime" and payload["data"]["reference"] == reference
    assert payload["data"]["status"] == "refuse"


def test_only_the_organisation_s_endpoints_for_that_demarche(app):
    add_webhook(app, URL, procedure="transport")  # another démarche
    add_webhook(app, URL, siret=OTHER_ORG)  # another organisation
    record(app, make_dossier(app), "dossier.depose")
    assert payloads(app) == [] and deliveries(app) == []
    add_webhook(app, URL, procedure="cantine")
    add_webhook(app, URL)
    record(app, make_dossier(app), "dossier.depose")
    assert len(payloads(app)) == 1 and len(deliveries(app)) == 2


def test_nothing_is_recorded_when_the_transaction_rolls_back(app):
    add_webhook(app, URL)
    reference = make_dossier(app)
    with app.app_context():
        events.record("dossier.depose", db.session.scalar(db.select(Dossier).filter_by(reference=reference)))
        db.session.rollback()
    assert payloads(app) == [] and deliveries(app) == []


def test_unknown_types_are_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="unknown"):
        events.record("dossier.correction_repondue", Dossier(reference="X", procedure="cantine", status="depose",
                                                              organisation_siret="21750001600019"))
    assert {"dossier.correction_demandee", "dossier.correction_effectuee"} <= set(events.EVENT_TYPES)
