"""« Je donne mon avis » after a deposit, and the counts per démarche in the back-office.

The citizen must be signed in and have deposited a dossier of the démarche (checked, not stored), and
the form is rate-limited per address: enough to keep the counts honest without linking an opinion to anyone.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from wtforms import TextAreaField

from demarche.auth import session as auth_session
from demarche.auth.guards import agent_required, current_agent, login_required
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.feedback import services
from demarche.feedback.settings import settings
from demarche.procedures import PROCEDURES
from demarche.validation import FrenchForm, Text


class FeedbackForm(FrenchForm):
    """The opinion's free text (the face and the reference are checked by the view and the service)."""

    comment = TextAreaField("Commentaire", validators=[Text(multiline=True, max_length=services.COMMENT_MAX)])


bp = Blueprint("feedback", __name__)
agent_bp = Blueprint("feedback_agent", __name__, url_prefix="/agents")
RATE = "10 per hour"


@bp.post("/demarches/<slug>/avis")
@login_required
def give(slug: str):
    """Record the opinion, then back to the receipt it was given from."""
    form = FeedbackForm()
    valid = form.validate_on_submit()
    if slug not in PROCEDURES or form.csrf_token.errors or not (valid or form.comment.errors):
        abort(400)
    reference = request.form.get("reference", "")
    owned = db.session.scalar(db.select(Dossier.id).filter_by(
        reference=reference, procedure=slug, citizen_id=auth_session.citizen().citizen_id))
    if owned is None:
        abort(404)
    try:
        if form.comment.errors:
            raise services.FeedbackRefused(form.comment.errors[0])
        services.record(slug, settings().organisation_siret,
                        request.form.get("rating", ""), form.comment.data or "")
    except services.FeedbackRefused as refused:
        flash(f"Votre avis n’a pas été enregistré : {refused}", "error")
    else:
        flash("Merci pour votre avis. Il est anonyme : il n’est relié ni à votre nom, ni à votre demande.", "success")
    return redirect(url_for("journey.receipt", slug=slug, reference=reference, _anchor="avis"), code=303)


@agent_bp.get("/avis")
@agent_required
def summary():
    """How the citizens rated each démarche of the agent's organisation."""
    siret = current_agent().siret
    return render_template("feedback/summary.html", counts=services.counts(siret), ratings=services.RATINGS,
                           comments=services.recent_comments(siret), procedures=PROCEDURES,
                           labels={code: label for code, label, _ in services.RATINGS})
