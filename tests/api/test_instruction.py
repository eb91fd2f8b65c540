"""Instructing through the API: the back-office's rules (guarded transitions, motive for a decision), the
citizen's e-mail, Idempotency-Key retries, and two concurrent decisions of which only one wins."""

from __future__ import annotations

import threading
from datetime import timedelta

from demarche.api import idempotency
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.models import ApiIdempotencyKey
from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import make_dossier


def instruct(client, token: str, reference: str, key: str | None = None, **body):
    headers = bearer(token, **({"Idempotency-Key": key} if key else {}))
    return client.post(f"/api/v1/dossiers/{reference}/instruction", json=body, headers=headers)


def events(app, reference: str) -> list[tuple]:
    with app.app_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        return [(e.actor, e.to_status, e.motive) for e in db.session.scalars(
            db.select(DossierEvent).filter_by(dossier_id=dossier.id, kind="status_changed").order_by(DossierEvent.id))]


def test_a_decision_follows_the_back_office_rules_and_tells_the_citizen(api_app, smtp_sink):
    reference = make_dossier(api_app, email="parent@example.fr")
    client, token = api_app.test_client(), new_token(api_app, scope="instruct", name="Logiciel Cantine+")
    early = instruct(client, token, reference, status="accepte", motive="Trop tôt")
    assert early.status_code == 409 and early.json["code"] == "transition_impossible"
    assert "Déposé" in early.json["detail"]
    moved = instruct(client, token, reference, status="en_instruction")
    assert moved.status_code == 200 and moved.json["dossier"]["status"] == "en_instruction"
    assert moved.json["event"]["actor"] == "api:Logiciel Cantine+"
    no_motive = instruct(client, token, reference, status="refuse", motive="  ")
    assert no_motive.status_code == 422 and no_motive.json["code"] == "motif_obligatoire"
    accepted = instruct(client, token, reference, status="accepte", motive="Inscription validée.")
    assert accepted.status_code == 200 and accepted.json["dossier"]["status_label"] == "Accepté"
    assert events(api_app, reference) == [("api:Logiciel Cantine+", "en_instruction", None),
                                          ("api:Logiciel Cantine+", "accepte", "Inscription validée.")]
    subjects = sorted(m.subject for m in smtp_sink.mailbox.messages())
    assert subjects == [f"Votre dossier n° {reference} : accepté", f"Votre dossier n° {reference} : en instruction"]
    assert all(m.recipients == ("parent@example.fr",) for m in smtp_sink.mailbox.messages())
    assert "Inscription validée." in smtp_sink.mailbox.messages()[0].body


def test_a_retry_with_the_same_idempotency_key_is_harmless(api_app, smtp_sink):
    reference = make_dossier(api_app)
    client, token = api_app.test_client(), new_token(api_app, scope="instruct")
    first = instruct(client, token, reference, key="k-123", status="en_instruction")
    again = instruct(client, token, reference, key="k-123", status="en_instruction")
    assert first.status_code == again.status_code == 200 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert len(events(api_app, reference)) == 1 and len(smtp_sink.mailbox.messages()) == 1
    other = instruct(client, token, reference, key="k-123", status="sans_suite", motive="Autre chose")
    assert other.status_code == 422 and other.json["code"] == "cle_deja_utilisee"
    # A refusal is an answer too: replayed, not re-run.
    refused = instruct(client, token, reference, key="k-456", status="refuse")
    assert refused.status_code == 422 and instruct(client, token, reference, key="k-456", status="refuse").json == \
        refused.json
    # Keys belong to their token: another token's same key is another request.
    other_token = new_token(api_app, scope="instruct", name="Autre logiciel")
    assert instruct(client, other_token, reference, key="k-123", status="en_instruction").status_code == 409
    with api_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ApiIdempotencyKey)) == 3


def test_two_concurrent_decisions_one_wins_the_other_gets_409(api_app):
    reference = make_dossier(api_app, status="en_instruction")
    tokens = [new_token(api_app, scope="instruct", name=name) for name in ("Logiciel A", "Logiciel B")]
    barrier, answers = threading.Barrier(2), {}

    def decide(token: str, status: str) -> None:
        client = api_app.test_client()
        barrier.wait()
        answers[status] = instruct(client, token, reference, status=status, motive=f"Décision {status}")

    threads = [threading.Thread(target=decide, args=(tokens[0], "accepte")),
               threading.Thread(target=decide, args=(tokens[1], "refuse"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [200, 409], {k: v.json for k, v in answers.items()}
    loser = next(a for a in answers.values() if a.status_code == 409)
    assert loser.mimetype == "application/problem+json" and loser.json["code"] in ("conflit", "transition_impossible")
    assert len(events(api_app, reference)) == 1


def test_idempotency_keys_are_forgotten_after_a_day_by_flask_purge(api_app):
    reference = make_dossier(api_app)
    token = new_token(api_app, scope="instruct")
    assert instruct(api_app.test_client(), token, reference, key="old", status="en_instruction").status_code == 200
    with api_app.app_context():
        db.session.execute(db.update(ApiIdempotencyKey).values(created_at=ApiIdempotencyKey.created_at
                                                                   - timedelta(hours=25)))
        db.session.commit()
    output = api_app.test_cli_runner().invoke(args=["purge"]).output
    assert "clés d’idempotence de l’API : 1 supprimé(s)" in output


def test_a_token_keeps_a_bounded_number_of_idempotency_keys(api_app):
    """Issue 19 k: 200 distinct keys on a dossier that does not exist were all stored; now the newest 100."""
    client, token = api_app.test_client(), new_token(api_app, scope="instruct")
    other = new_token(api_app, scope="instruct", name="Autre logiciel")
    assert instruct(client, other, "CAN-2026-AAAAAA", key="k-other", status="en_instruction").status_code == 404
    for number in range(200):
        response = instruct(client, token, "CAN-2026-AAAAAA", key=f"k-{number}", status="en_instruction")
        assert response.status_code == 404
    with api_app.app_context():
        keys = db.session.scalars(db.select(ApiIdempotencyKey.key)).all()
    assert len(keys) == idempotency.KEYS_PER_TOKEN + 1 and "k-other" in keys  # another token's keys stay
    assert {f"k-{n}" for n in range(100, 200)} <= set(keys)  # the newest are the ones kept
    replayed = instruct(client, token, "CAN-2026-AAAAAA", key="k-199", status="en_instruction")
    assert replayed.headers["Idempotent-Replayed"] == "true"
