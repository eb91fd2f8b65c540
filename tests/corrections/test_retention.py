"""Retention of the correction loop: a dossier waiting for the citizen's correction is never purged by default
(RETENTION_DAYS_EN_ATTENTE_DE_CORRECTION=0, like « en instruction »); with a duration it goes, with its renewal
invitations."""

from __future__ import annotations

from datetime import timedelta

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import utcnow
from demarche.renewal.models import RenewalInvitation
from tests.backoffice.factories import make_dossier
from tests.backoffice.test_retention import purge, remaining


def test_a_dossier_waiting_for_a_correction_is_kept(make_app):
    app = make_app()
    long_ago = utcnow() - timedelta(days=3000)
    waiting = make_dossier(app, status="en_attente_de_correction", submitted_at=long_ago)
    accepted = make_dossier(app, status="accepte", submitted_at=long_ago)
    with app.app_context():
        dossier_id = db.session.scalar(db.select(Dossier.id).filter_by(reference=accepted))
        db.session.add(RenewalInvitation(dossier_id=dossier_id, school_year=2027))
        db.session.commit()
    purge(app, utcnow())
    assert remaining(app) == {waiting}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RenewalInvitation)) == 0


def test_a_duration_for_the_waiting_state_is_honoured(make_app):
    app = make_app(RETENTION_DAYS_EN_ATTENTE_DE_CORRECTION="30")
    waiting = make_dossier(app, status="en_attente_de_correction", submitted_at=utcnow() - timedelta(days=31))
    recent = make_dossier(app, status="en_attente_de_correction", submitted_at=utcnow() - timedelta(days=29))
    purge(app, utcnow())
    assert remaining(app) == {recent} and waiting not in remaining(app)
