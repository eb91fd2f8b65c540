"""Helpers of the issue-12 tests (messagerie, verification, transparency, opinions): a citizen logged in
through the FranceConnect simulator who owns a dossier, next to agents logged in through ProConnect's."""

from __future__ import annotations

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import Citizen
from tests.backoffice.factories import make_dossier
from tests.browser import Browser
from tests.journeys import login


def citizen_with_dossier(app, browser: Browser, **dossier) -> str:
    """Log `browser` in as the FranceConnect test identity and give that citizen a new dossier; its reference."""
    login(browser)
    reference = make_dossier(app, **dossier)
    with app.app_context():
        citizen = db.session.scalars(db.select(Citizen).filter(Citizen.sub.not_like("sub-%"))
                                     .order_by(Citizen.id.desc())).first()
        db.session.scalar(db.select(Dossier).filter_by(reference=reference)).citizen_id = citizen.id
        db.session.commit()
    return reference
