"""The e-mail account's first step: « Votre identité », typed instead of certified by FranceConnect.

Nothing is fetched here nor before the deposit: the person fills the form themselves (the manual path),
and may agree at the deposit that an agent checks the declaration (demarche/identity_checks).
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from demarche import signals
from demarche.auth import session as auth_session
from demarche.auth.email_login import ISSUER as EMAIL_ISSUER
from demarche.auth.guards import login_required
from demarche.declared_identity import DeclaredIdentity
from demarche.declared_identity.forms import IdentityForm
from demarche.dossiers.models import Dossier
from demarche.identity_checks import services as identity_checks
from demarche.journey import services
from demarche.journey import session as journey_session
from demarche.journey.settings import settings
from demarche.procedures import PROCEDURES
from demarche.procedures.base import Procedure

bp = Blueprint("declaration", __name__)


def declared() -> DeclaredIdentity | None:
    """The identity this e-mail account declared in this session, if any."""
    data = auth_session.declared_identity()
    return DeclaredIdentity.from_dict(data) if data else None


@bp.route("/demarches/<slug>/identite", methods=["GET", "POST"])
@login_required
def declare(slug: str):
    """Type the identity (a search re-displays the communes of that name at the birth date), then the form."""
    procedure, login = PROCEDURES.get(slug) or abort(404), auth_session.citizen()
    if not login.by_email:
        return redirect(url_for("journey.consent", slug=slug), code=303)
    earlier = declared()
    form = IdentityForm() if request.method == "POST" or earlier is None else IdentityForm.of(earlier)
    searching = request.form.get("action") == "chercher"
    if request.method == "POST" and not searching and form.validate():
        auth_session.keep_declared_identity(form.declared().to_dict())
        signals.identity_declared.send(form.declared())
        record = services.record_consent(procedure, citizen_id=login.citizen_id, citizen_key=login.user_key,
                                         accepted=False)
        journey_session.keep_draft(slug, services.new_draft(procedure, record).id)
        return redirect(url_for("journey.review", slug=slug), code=303)
    communes = form.communes()
    status = 400 if request.method == "POST" and not searching else 200
    return render_template("declared_identity/declare.html", procedure=procedure, form=form, communes=communes,
                           searching=searching), status


def authentication(login: auth_session.CitizenLogin) -> dict:
    """What the dossier keeps of an e-mail sign-in: the address proved, not an identity."""
    return {"provider": "courriel", "issuer": EMAIL_ISSUER, "sub": login.sub, "acr": None,
            "auth_time": login.auth_time}


def agreement_text(procedure: Procedure) -> str:
    return identity_checks.agreement_text(procedure)


def record_agreement(procedure: Procedure, dossier: Dossier) -> None:
    """The separate, explicit answer to « J’accepte que la mairie vérifie ma déclaration… », recorded."""
    login = auth_session.citizen()
    identity_checks.record_agreement(procedure, dossier, citizen_id=login.citizen_id, citizen_key=login.user_key,
                                     recipient=settings().recipient,
                                     agreed=request.form.get("verification_agreement") == "oui")
