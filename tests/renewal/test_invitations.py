"""The renewal invitations: from RENEWAL_INVITATION_DATE, one e-mail per accepted dossier of the school year that
ends, only to the families who asked and have not renewed, never twice (also when run through the task queue)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from demarche.config import ConfigurationError, load_settings
from demarche.dates import local
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import OutboxMessage, utcnow
from demarche.renewal import invitations
from demarche.renewal.models import RenewalInvitation
from tests.backoffice.factories import make_dossier
from tests.test_config import PRODUCTION


def dossier(app, *, status: str = "accepte", reminder: bool = True, filed: datetime, email: str) -> str:
    reference = make_dossier(app, status=status, submitted_at=filed, email=email)
    with app.app_context():
        db.session.execute(db.update(Dossier).filter_by(reference=reference).values(renewal_reminder=reminder))
        db.session.commit()
    return reference


def run(app, today: date) -> int:
    with app.app_context():
        return invitations.send_due(today)


def test_only_the_families_who_asked_are_invited_once_from_the_date(app, smtp_sink):
    last_year = datetime(2026, 9, 20)  # the school year 2026-2027
    invited = dossier(app, filed=last_year, email="oui@example.fr")
    dossier(app, filed=last_year, reminder=False, email="pas-demande@example.fr")
    dossier(app, filed=last_year, status="refuse", email="refuse@example.fr")
    dossier(app, filed=datetime(2025, 9, 20), email="trop-ancien@example.fr")  # 2025-2026: not this year's
    renewed = dossier(app, filed=last_year, email="deja-renouvele@example.fr")
    with app.app_context():
        db.session.execute(db.update(Dossier).filter_by(reference=make_dossier(app)).values(renewal_of=renewed))
        db.session.commit()

    assert run(app, date(2027, 5, 31)) == 0  # before the commune's date (default 06-01)
    assert run(app, date(2027, 6, 1)) == 1
    assert run(app, date(2027, 6, 2)) == 0  # idempotent: one invitation per dossier and school year
    assert run(app, date(2027, 9, 15)) == 0  # past the window
    [mail] = smtp_sink.mailbox.messages()
    assert mail.recipients == ("oui@example.fr",)
    assert mail.subject == "Réinscription à la restauration scolaire pour l’année 2027-2028"
    assert f"http://localhost/demarches/cantine/recu/{invited}" in mail.body and "Renouveler pour" in mail.body
    with app.app_context():
        [row] = db.session.scalars(db.select(RenewalInvitation)).all()
        assert row.school_year == 2027
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 1


def test_the_daily_job_of_the_task_queue_sends_them(make_bo_app, smtp_sink):
    today = local(utcnow()).date()
    app = make_bo_app(RENEWAL_INVITATION_DATE=f"{today:%m-%d}")
    dossier(app, filed=datetime(today.year - 1, today.month, today.day, 12), email="parent@example.fr")
    job = app.extensions["tasks"].tasks["renewal_invitations"]
    job()  # the queue runs jobs at once in the tests (Huey's immediate mode)
    job()
    assert [m.recipients for m in smtp_sink.mailbox.messages()] == [("parent@example.fr",)]


def test_the_date_is_checked_at_start():
    assert load_settings(PRODUCTION).renewal_invitation_date == "06-01"
    assert load_settings({**PRODUCTION, "RENEWAL_INVITATION_DATE": "05-15"}).renewal_invitation_date == "05-15"
    for wrong in ("13-01", "6-1", "juin"):
        with pytest.raises(ConfigurationError, match="RENEWAL_INVITATION_DATE"):
            load_settings({**PRODUCTION, "RENEWAL_INVITATION_DATE": wrong})
