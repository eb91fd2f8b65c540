"""The e-mail account's first step: « Votre identité », typed instead of certified by FranceConnect.

Nothing is fetched here nor before the deposit: the person fills the form themselves (the manual path),
and may agree at the deposit that an agent checks the declaration (demarche/identity_checks).
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from demarche import signals
from demarche.auth import session as auth_session
from demarche.declared_identity import DeclaredIdentity
from demarche.declared_identity.forms import IdentityForm
from demarche.journey import services
from demarche.pages import login_required
from demarche.procedures import PROCEDURES

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
        auth_session.keep_draft(slug, services.new_draft(procedure, record).id)
        return redirect(url_for("journey.review", slug=slug), code=303)
    communes = form.communes()
    status = 400 if request.method == "POST" and not searching else 200
    return render_template("declared_identity/declare.html", procedure=procedure, form=form, communes=communes,
                           searching=searching), status
