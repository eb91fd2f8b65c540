"""`flask purge` with a moved clock (--now): each status's retention counted from the last event, the
dossier going with its events, e-mails, journal lines and consent; drafts, sessions, old journal lines and
inactive accounts too; « en instruction » never."""

from datetime import timedelta

from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.models import AccessLog, Citizen, ConsentRecord, OutboxMessage, Prefill, WebSession, utcnow
from tests.backoffice.factories import make_dossier


def purge(app, now) -> str:
    result = app.test_cli_runner().invoke(args=["purge", "--now", now.strftime("%Y-%m-%d %H:%M:%S")])
    assert result.exit_code == 0, result.output
    return result.output


def remaining(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(db.select(Dossier.reference)))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def with_traces(app, reference: str) -> None:
    """An e-mail and an access-journal line naming the dossier, as instruction leaves them."""
    with app.app_context():
        item = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        db.session.add(OutboxMessage(dossier_id=item.id, kind="status", recipient="a@example.fr", subject="s",
                                     body="b"))
        db.session.add(AccessLog(agent_email="agent@example.fr", siret="21750001600019", action="view",
                                 dossier_id=item.id, detail={}))
        db.session.commit()


def test_purge_follows_each_status_retention_from_the_last_event(app):
    now = utcnow()
    accepted = make_dossier(app, status="accepte", submitted_at=now - timedelta(days=10))
    processing = make_dossier(app, status="en_instruction", submitted_at=now - timedelta(days=900))
    make_dossier(app, status="sans_suite")  # 90 days
    refused = make_dossier(app, status="refuse")
    filed = make_dossier(app)
    with_traces(app, accepted)
    out = purge(app, now + timedelta(days=100))
    assert "dossiers : 1 supprimé(s)" in out and remaining(app) == {accepted, processing, refused, filed}
    out = purge(app, now + timedelta(days=400))
    assert "dossiers : 3 supprimé(s)" in out and "courriels : 1 supprimé(s)" in out
    assert "lignes du journal des accès : 1 supprimé(s)" in out and "accords : 3 supprimé(s)" in out
    assert remaining(app) == {processing}  # a dossier being processed is never purged
    assert count(app, DossierEvent) == 1 and count(app, ConsentRecord) == 1
    assert count(app, OutboxMessage) == 0 and count(app, AccessLog) == 0
    assert "comptes inactifs : 4 supprimé(s)" in out and count(app, Citizen) == 1


def test_a_later_event_restarts_the_clock(app):
    now = utcnow()
    reference = make_dossier(app, status="accepte", submitted_at=now - timedelta(days=500))
    with app.app_context():
        item = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        db.session.add(DossierEvent(dossier_id=item.id, at=now, actor="agent@example.fr", kind="status_changed",
                                    from_status="en_instruction", to_status="accepte", motive="ok"))
        db.session.commit()
    purge(app, now + timedelta(days=300))
    assert remaining(app) == {reference}
    purge(app, now + timedelta(days=366))
    assert remaining(app) == set()


def test_drafts_sessions_and_orphan_consents_expire(app):
    now = utcnow()
    reference = make_dossier(app, status="en_instruction")
    with app.app_context():
        citizen_id = db.session.scalar(db.select(Dossier.citizen_id).filter_by(reference=reference))
        consent = ConsentRecord(citizen_id=citizen_id, citizen_key="k", procedure="cantine", text_version="v",
                                categories=[], decision="accepted", modality="france_connect",
                                recipient="21750001600019", outcome="success")
        db.session.add(consent)
        db.session.flush()
        db.session.add(Prefill(citizen_id=citizen_id, procedure="cantine", consent_id=consent.id, mode="certified",
                               idempotency_key="draft-1", expires_at=now + timedelta(hours=24)))
        db.session.add(WebSession(id="s" * 64, data={}, citizen_id=citizen_id, expires_at=now + timedelta(hours=12)))
        db.session.commit()
    out = purge(app, now + timedelta(hours=1))
    assert "brouillons : 0 supprimé(s)" in out and "sessions : 1 supprimé(s)" in out  # idle for 60 min > 30
    out = purge(app, now + timedelta(days=3))
    assert "brouillons : 1 supprimé(s)" in out and "accords : 1 supprimé(s)" in out
    assert count(app, ConsentRecord) == 1 and remaining(app) == {reference}


def test_a_zero_retention_means_never(make_app):
    app = make_app(RETENTION_DAYS_ACCEPTE="0", RETENTION_DAYS_INACTIVE_ACCOUNT="0")
    reference = make_dossier(app, status="accepte", submitted_at=utcnow() - timedelta(days=3000))
    assert "dossiers : 0 supprimé(s)" in purge(app, utcnow())
    assert remaining(app) == {reference}
