"""Messages are kept and purged with their dossier (`flask purge`); a tombstone keeps only a digest."""

from datetime import timedelta

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.messages import services
from demarche.messages.models import DossierMessage, MessageThread
from demarche.models import utcnow
from demarche.verification.models import PurgedReference
from tests.backoffice.factories import make_dossier
from tests.backoffice.test_retention import count, purge


def test_the_thread_goes_with_the_dossier_and_only_a_digest_stays(app):
    old = make_dossier(app, status="sans_suite", submitted_at=utcnow() - timedelta(days=100))
    kept = make_dossier(app, status="en_instruction", submitted_at=utcnow() - timedelta(days=400))
    with app.test_request_context():
        for reference in (old, kept):
            dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
            services.post(dossier, f"Au sujet de {reference}")
    assert count(app, DossierMessage) == 2 and count(app, MessageThread) == 2
    output = purge(app, utcnow())
    assert "messages : 1 supprimé(s)" in output
    with app.app_context():
        assert [m.body for m in db.session.scalars(db.select(DossierMessage))] == [f"Au sujet de {kept}"]
        assert count(app, MessageThread) == 1
        [tombstone] = db.session.scalars(db.select(PurgedReference)).all()
        assert old not in tombstone.digest and len(tombstone.digest) == 64
    purge(app, utcnow())  # twice: one tombstone still
    assert count(app, PurgedReference) == 1
