"""Instruction: déposé → en instruction → accepté / refusé / classé sans suite, each move recorded (who,
when, from, to, why) and announced to the citizen by e-mail over real SMTP; the transactional outbox keeps
what could not be sent, and `flask send-mail` sends it later."""

import logging
import threading

import pytest

from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.models import OutboxMessage
from tests.backoffice.factories import MARIE, THOMAS, agent_login, csrf_token, make_dossier, open_dossier


def decide(browser, reference: str, decision: str, motive: str = ""):
    page = open_dossier(browser, reference)
    return browser.submit(page, "/instruction", decision=decision, motive=motive)


def dossier(app, reference: str) -> tuple[Dossier, list[DossierEvent]]:
    with app.app_context():
        item = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        events = db.session.scalars(db.select(DossierEvent).filter_by(dossier_id=item.id)
                                    .order_by(DossierEvent.id)).all()
        db.session.expunge_all()
        return item, events


@pytest.mark.parametrize(("decision", "label", "phrase"), [
    ("accepte", "Accepté", "a été accepté"),
    ("refuse", "Refusé", "a été refusé"),
    ("sans_suite", "Classé sans suite", "a été classé sans suite"),
])
def test_each_move_is_recorded_and_mailed(bo_app, browsers, smtp_sink, decision, label, phrase):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    page = decide(browser, reference, "en_instruction")
    assert "est maintenant « En instruction »" in page.text
    page = decide(browser, reference, decision, "Motif détaillé de la décision.")
    assert f"est maintenant « {label} »" in page.text and "Motif détaillé de la décision." in page.text
    item, events = dossier(bo_app, reference)
    assert item.status == decision
    assert [(e.actor, e.from_status, e.to_status, e.motive) for e in events[1:]] == [
        (MARIE, "depose", "en_instruction", None),
        (MARIE, "en_instruction", decision, "Motif détaillé de la décision.")]
    assert events[-1].at == item.updated_at
    first, last = smtp_sink.mailbox.messages()[::-1]
    assert first.recipients == ("angela.dubois@example.fr",)
    assert first.subject == f"Votre dossier n° {reference} : en instruction"
    assert "est en cours d’instruction" in first.body
    assert last.subject == f"Votre dossier n° {reference} : {label.lower()}"
    assert phrase in last.body and "Motif :\nMotif détaillé de la décision." in last.body
    assert "Bonjour Angela Claire Louise DUBOIS" in last.body and "http://localhost/mes-demarches" in last.body
    with bo_app.app_context():
        assert all(m.sent_at and m.attempts == 1 for m in db.session.scalars(db.select(OutboxMessage)))


def test_a_decision_needs_a_motive(bo_app, browsers, smtp_sink):
    reference = make_dossier(bo_app, status="en_instruction")
    browser = browsers(bo_app)
    agent_login(browser)
    page = decide(browser, reference, "refuse", "   ")
    assert page.status == 400 and "Indiquez le motif de la décision" in page.text
    assert dossier(bo_app, reference)[0].status == "en_instruction" and smtp_sink.mailbox.messages() == []


def test_only_the_allowed_moves_are_offered_and_accepted(bo_app, browsers):
    reference = make_dossier(bo_app)
    browser = browsers(bo_app)
    agent_login(browser)
    page = open_dossier(browser, reference)
    assert "Passer en instruction" in page.text and "Accepter" not in page.text
    response = browser.service.post(f"/agents/dossiers/{reference}/instruction",
                                    data={"decision": "accepte", "motive": "x", "csrf_token": csrf_token(page)})
    assert response.status_code == 303 and dossier(bo_app, reference)[0].status == "depose"
    assert "n’est pas possible depuis l’état actuel" in open_dossier(browser, reference).text
    done = make_dossier(bo_app, status="accepte")
    assert "il n’y a plus de décision à prendre" in open_dossier(browser, done).text


def test_two_agents_deciding_at_once_make_one_move(bo_app, browsers, smtp_sink):
    reference = make_dossier(bo_app, status="en_instruction")
    marie, thomas = browsers(bo_app), browsers(bo_app)
    agent_login(marie)
    agent_login(thomas, THOMAS)
    pages = [open_dossier(b, reference) for b in (marie, thomas)]
    results = []
    barrier = threading.Barrier(2)

    def act(browser, page, decision):
        barrier.wait()
        results.append(browser.submit(page, "/instruction", decision=decision, motive="Décision."))

    threads = [threading.Thread(target=act, args=(b, p, d))
               for b, p, d in zip((marie, thomas), pages, ("accepte", "refuse"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    item, events = dossier(bo_app, reference)
    assert len(events) == 2 and item.status == events[-1].to_status
    assert sum("est maintenant «" in r.text for r in results) == 1
    assert sum("modifié entre-temps" in r.text or "n’est pas possible" in r.text for r in results) == 1
    assert len(smtp_sink.mailbox.messages()) == 1


def test_without_smtp_the_message_waits_in_the_outbox_then_send_mail_sends_it(make_bo_app, browsers, smtp_sink,
                                                                                caplog):
    app = make_bo_app(SMTP_HOST="127.0.0.1", SMTP_PORT="9")  # nothing listens on port 9
    reference = make_dossier(app)
    browser = browsers(app)
    agent_login(browser)
    with caplog.at_level(logging.INFO, logger="demarche.mail"):
        page = decide(browser, reference, "en_instruction")
    assert "En instruction" in page.text and dossier(app, reference)[0].status == "en_instruction"
    assert smtp_sink.mailbox.messages() == []
    assert "angela.dubois@example.fr" not in caplog.text and "e-mail not sent" in caplog.text
    with app.app_context():
        message = db.session.scalars(db.select(OutboxMessage)).one()
        assert message.sent_at is None and message.attempts == 1 and message.last_error
    fixed = make_bo_app(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_sink.port), DATABASE_URL=app.config[
        "SQLALCHEMY_DATABASE_URI"])
    result = fixed.test_cli_runner().invoke(args=["send-mail"])
    assert "1 courriel(s) envoyé(s), 0 en échec." in result.output
    assert [m.subject for m in smtp_sink.mailbox.messages()] == [f"Votre dossier n° {reference} : en instruction"]
    assert "0 courriel(s) envoyé(s)" in fixed.test_cli_runner().invoke(args=["send-mail"]).output  # never twice
