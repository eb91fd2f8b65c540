"""« Je donne mon avis » after a deposit, and the counts per démarche in the back-office.

The citizen must be signed in and have deposited a dossier of the démarche (checked, not stored), and
the form is rate-limited per address and per account: enough to keep the counts honest without linking an
opinion to anyone. An opinion refused (a rule of the text, or the limit) is never lost: the receipt comes
back with the rating and the comment still in the form, and the reason beside it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from wtforms import TextAreaField

from demarche import ratelimit
from demarche.auth import session as auth_session
from demarche.auth.guards import agent_required, current_agent, login_required
from demarche.dates import display
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
    """Record the opinion, then back to the receipt it was given from; refused, the receipt again with the
    opinion kept in its form."""
    form = FeedbackForm()
    valid = form.validate_on_submit()
    if slug not in PROCEDURES or form.csrf_token.errors or not (valid or form.comment.errors):
        abort(400)
    reference = request.form.get("reference", "")
    owned = db.session.scalar(db.select(Dossier.id).filter_by(
        reference=reference, procedure=slug, citizen_id=auth_session.citizen().citizen_id))
    if owned is None:
        abort(404)
    refusal = _over_limit()
    if refusal:
        reason = (f"Vous avez donné beaucoup d’avis en peu de temps. Vous pourrez envoyer celui-ci à partir du "
                  f"{display(refusal.at)}")
        return _kept(slug, reference, reason, 429, {"Retry-After": str(refusal.retry_after)})
    try:
        if form.comment.errors:
            raise services.FeedbackRefused(form.comment.errors[0])
        services.record(slug, settings().organisation_siret,
                        request.form.get("rating", ""), form.comment.data or "")
    except services.FeedbackRefused as refused:
        return _kept(slug, reference, str(refused), 400)
    flash("Merci pour votre avis. Il est anonyme : il n’est relié ni à votre nom, ni à votre demande.", "success")
    return redirect(url_for("journey.receipt", slug=slug, reference=reference, _anchor="avis"), code=303)


def _over_limit() -> ratelimit.Refusal | None:
    """RATE per client address and per account, every attempt counted (a refused one too)."""
    return (ratelimit.spend_on("feedback", ratelimit.address_key(), RATE)
            or ratelimit.spend_on("feedback:account", ratelimit.account_key(), RATE))


def _kept(slug: str, reference: str, reason: str, status: int, headers: dict | None = None):
    """The receipt again, the opinion as typed in its form and why it was not recorded."""
    kept = {"rating": request.form.get("rating", ""), "comment": request.form.get("comment", ""),
            "error": reason.rstrip(".") + "."}
    # The receipt as its own route renders it, found by endpoint like url_for: feedback imports no journey
    # module (the dossier's clients stay independent: pyproject.toml, import-linter).
    receipt = current_app.view_functions["journey.receipt"]
    return receipt(slug=slug, reference=reference, feedback=kept), status, headers or {}


@agent_bp.get("/avis")
@agent_required
def summary():
    """How the citizens rated each démarche of the agent's organisation."""
    siret = current_agent().siret
    return render_template("feedback/summary.html", counts=services.counts(siret), ratings=services.RATINGS,
                           comments=services.recent_comments(siret), procedures=PROCEDURES,
                           labels={code: label for code, label, _ in services.RATINGS})
