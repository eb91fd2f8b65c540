"""One citizen cannot flood the agents' mailboxes (issue 19, b): a limit per citizen on messages, and at most one
notice per dossier per quiet period, the messages written meanwhile going out as one digest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from demarche.extensions import db
from demarche.mail import OutboxMessage
from demarche.messages import notices
from demarche.messages.models import DossierMessage, MessageThread
from demarche.models import utcnow
from demarche.tasks.relay import relay
from tests.backoffice.factories import MARIE, THOMAS, agent_login, csrf_token, open_dossier
from tests.dossier_life import citizen_with_dossier


@pytest.fixture
def life_app(make_bo_app, fc_sim):
    return make_bo_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")


def write(browser, reference: str, body: str):
    path = f"http://localhost/mes-demarches/{reference}/messages"
    return browser._follow("post", path, {"csrf_token": csrf_token(browser.get(path)), "body": body})


def agents_notices(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(db.select(OutboxMessage).filter_by(kind="message_agents")
                                       .order_by(OutboxMessage.id)))


def end_quiet_period(app) -> None:
    """As if the quiet period had passed: every time of the agents' notices moved back by the period."""
    with app.app_context():
        past = notices.QUIET + timedelta(seconds=61)  # and the relay's grace
        for thread in db.session.scalars(db.select(MessageThread)):
            thread.agents_notified_at = thread.agents_notified_at and thread.agents_notified_at - past
            thread.agents_digest_due_at = thread.agents_digest_due_at and thread.agents_digest_due_at - past
        db.session.commit()
        relay()


def test_a_burst_of_messages_makes_one_notice_then_one_digest(life_app, browsers):
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    for n in range(5):
        assert "Votre message a été envoyé" in write(citizen, reference, f"Question {n}").text
    first = agents_notices(life_app)
    assert sorted(m.recipient for m in first) == [MARIE, THOMAS]  # one each, not five each
    assert all(m.subject == f"Nouveau message de l’usager, dossier n° {reference}" for m in first)
    end_quiet_period(life_app)
    digest = agents_notices(life_app)[len(first):]
    assert sorted(m.recipient for m in digest) == [MARIE, THOMAS]
    assert all(m.subject == f"5 messages non lus de l’usager, dossier n° {reference}" for m in digest)
    assert all("5 messages de l’usager" in m.body and "Question" not in m.body for m in digest)
    end_quiet_period(life_app)  # nothing more was written: no more mail
    assert len(agents_notices(life_app)) == 4
    write(citizen, reference, "Une question après le calme")  # a new period: notified at once
    assert len(agents_notices(life_app)) == 6


def test_no_digest_when_an_agent_read_the_messages_meanwhile(life_app, browsers):
    citizen, agent = browsers(life_app), browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    for n in range(3):
        write(citizen, reference, f"Question {n}")
    agent_login(agent, MARIE)
    open_dossier(agent, reference)  # the agent reads the thread before the period ends
    end_quiet_period(life_app)
    assert len(agents_notices(life_app)) == 2
    with life_app.app_context():
        assert db.session.get(MessageThread, db.session.scalar(db.select(DossierMessage.dossier_id))) \
            .agents_digest_due_at is None


def test_a_citizen_over_the_limit_gets_429_and_keeps_the_text(life_app, browsers):
    citizen = browsers(life_app)
    reference = citizen_with_dossier(life_app, citizen)
    for n in range(10):
        assert write(citizen, reference, f"Question {n}").status == 200
    page = write(citizen, reference, "Une onzième question importante")
    assert page.status == 429 and "beaucoup de messages en peu de temps" in page.text
    assert "Une onzième question importante" in page.text and "il n’a pas été envoyé" in page.text
    assert f"{utcnow().year} à " in page.text  # when it becomes possible again
    with life_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(DossierMessage)) == 10
    # Another address changes nothing: the limit is the account's.
    citizen.service.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert write(citizen, reference, "Depuis ailleurs").status == 429
