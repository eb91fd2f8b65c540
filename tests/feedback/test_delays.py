"""« 90 % des dossiers traités en moins de N jours », from the deposit and decision events of the last
three months, hidden below the minimum number of decided dossiers."""

from datetime import timedelta

from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.feedback.delays import expected_days, processing_days
from demarche.models import utcnow
from tests.backoffice.factories import make_dossier


def decided(app, days: float, ago: float = 5, decision: str = "accepte") -> str:
    """A dossier deposited `days` before its decision, decided `ago` days ago."""
    decided_at = utcnow() - timedelta(days=ago)
    reference = make_dossier(app, status=decision, submitted_at=decided_at - timedelta(days=days))
    with app.app_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        db.session.add_all([
            DossierEvent(dossier_id=dossier.id, at=decided_at - timedelta(days=days / 2), actor="agent@x",
                         kind="status_changed", from_status="depose", to_status="en_instruction"),
            DossierEvent(dossier_id=dossier.id, at=decided_at, actor="agent@x", kind="status_changed",
                         from_status="en_instruction", to_status=decision)])
        db.session.commit()
    return reference


def test_the_90th_percentile_of_recent_decisions_in_whole_days(app):
    for days in (1, 2, 2, 3, 3, 4, 5, 6, 8.5, 30):  # the 9th of 10 (nearest rank) took 8.5 days
        decided(app, days, decision="refuse" if days == 2 else "accepte")
    decided(app, 100, ago=120)  # decided before the window: not counted
    make_dossier(app, status="en_instruction")  # not decided: not counted
    with app.app_context():
        assert len(processing_days("cantine")) == 10
        assert expected_days("cantine") == 9  # 90 % took at most 8.5 days: « en moins de 9 jours »
        assert expected_days("transport") is None


def test_hidden_below_the_minimum(make_app):
    app = make_app(EXPECTATIONS_MIN_DOSSIERS="4")
    for days in (1, 2, 3):
        decided(app, days)
    with app.app_context():
        assert expected_days("cantine") is None
    decided(app, 3)
    with app.app_context():
        assert expected_days("cantine") == 4  # 3 days exactly: « en moins de 4 jours »
