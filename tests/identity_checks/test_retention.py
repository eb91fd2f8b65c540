"""What a check keeps and for how long: the person's agreement lives as long as its dossier (the journey's
purge of unused consents leaves it), the calls' journal 36 months, even after the dossier is gone."""

from __future__ import annotations

from datetime import timedelta

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.identity_checks.models import IdentityCheck, IdentityCheckCall
from demarche.models import ConsentRecord, utcnow
from tests.identity_checks.test_email_path import CLAIRE, file, reference_of, verify


def purge(app, now) -> str:
    result = app.test_cli_runner().invoke(args=["purge", "--now", now.strftime("%Y-%m-%d %H:%M:%S")])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_agreement_stays_with_its_dossier_and_the_journal_for_36_months(app):
    browser, receipt = file(app, "claire@exemple.fr", CLAIRE, "720")
    verify(app, reference_of(receipt))
    browser.close()
    purge(app, utcnow() + timedelta(days=30))  # past a draft's lifetime: unused consents go, not this one
    with app.app_context():
        check = db.session.scalar(db.select(IdentityCheck))
        consent = db.session.get(ConsentRecord, check.consent_id)
        assert consent is not None and consent.kind == "verification"
    output = purge(app, utcnow() + timedelta(days=35 * 31))  # the dossier's retention is over, not the journal's
    assert "journal des vérifications d’identité : 0 supprimé(s)" in output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Dossier)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(IdentityCheck)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(IdentityCheckCall)) == 1
    purge(app, utcnow() + timedelta(days=37 * 31))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(IdentityCheckCall)) == 0
