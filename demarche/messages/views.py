"""The messagerie's pages: the citizen's thread (from « Mes démarches » and the receipt), the agents'
form on the back-office dossier page, and the journal line of an agent reading the citizen's messages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from demarche import ratelimit
from demarche.auth import session as auth_session
from demarche.auth.guards import agent_required, current_agent, login_required
from demarche.dates import display
from demarche.dossiers import access
from demarche.dossiers.access import dossier_for_agent
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.messages import services
from demarche.procedures import PROCEDURES
from demarche.validation import FrenchForm, Text


class MessageForm(FrenchForm):
    """A message of either side; services.clean() trims it and refuses an empty one."""

    body = TextAreaField("Votre message", validators=[Text(multiline=True, max_length=services.MAX_LENGTH)])


bp = Blueprint("messages", __name__)
agent_bp = Blueprint("messages_agent", __name__, url_prefix="/agents")


def _own_dossier(reference: str) -> Dossier:
    dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference,
                                                             citizen_id=auth_session.citizen().citizen_id))
    return dossier or abort(404)  # another citizen's reference is indistinguishable from a wrong one


@bp.route("/mes-demarches/<reference>/messages", methods=["GET", "POST"])
@login_required
def citizen_thread(reference: str):
    """The thread of one of the citizen's dossiers; opening it from the service clears the unread marker."""
    dossier, form, error, status = _own_dossier(reference), MessageForm(), None, 200
    if request.method == "POST":
        error, status = _send(dossier, form)
        if error is None:
            flash("Votre message a été envoyé. Vous serez prévenu par courriel de la réponse.", "success")
            return redirect(url_for(".citizen_thread", reference=reference), code=303)
    unread = services.unread_counts([dossier.id], "citizen").get(dossier.id, 0)
    if unread and same_site_navigation():
        services.read(dossier, "citizen")
        db.session.commit()
        unread = 0
    return render_template("messages/citizen.html", dossier=dossier, procedure=PROCEDURES.get(dossier.procedure),
                           thread=services.thread(dossier.id), form=form, error=error, unread=unread,
                           draft=request.form.get("body", "") if error else "",
                           max_length=services.MAX_LENGTH), status


def _send(dossier: Dossier, form: MessageForm) -> tuple[str | None, int]:
    """Post the citizen's message, within their limit (each one notifies the organisation); the page's error
    and status if it was not sent: the text stays in the form either way."""
    error = _form_error(form)
    if error is None:
        try:
            services.clean(form.body.data or "")
        except services.MessageRefused as refused:
            error = str(refused)
    if error:
        return error, 400
    refusal = ratelimit.spend("message")
    if refusal:
        return (f"{ratelimit.ACTIONS['message']} : pour que les agents puissent les lire, vous pourrez envoyer "
                f"celui-ci à partir du {display(refusal.at)}. Votre texte est conservé ci-dessous ; il n’a pas "
                "été envoyé."), 429
    services.post(dossier, form.body.data or "")
    return None, 200


def _form_error(form: MessageForm) -> str | None:
    """Why the text breaks the free-text rule, or None; a missing or wrong CSRF token is a 400."""
    if form.validate_on_submit():
        return None
    if form.csrf_token.errors or not form.body.errors:
        abort(400)
    return form.body.errors[0]


@bp.post("/mes-demarches/<reference>/messages/lu")
@login_required
def citizen_mark_read(reference: str):
    """« Marquer comme lu », for a thread opened from a link of another site (an e-mail in a webmail)."""
    dossier = _own_dossier(reference)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.read(dossier, "citizen")
    db.session.commit()
    return redirect(url_for(".citizen_thread", reference=reference), code=303)


def same_site_navigation() -> bool:
    """Did the citizen open the page from the service itself, or type its address? A GET changes nothing
    when another site sent the browser here (Fetch Metadata, https://www.w3.org/TR/fetch-metadata/): a link
    elsewhere must not clear the unread marker. A browser that sends no Sec-Fetch-Site gets the button."""
    return request.headers.get("Sec-Fetch-Site") in ("same-origin", "none")


@agent_bp.post("/dossiers/<reference>/messages")
@agent_required
def agent_post(reference: str):
    """An agent's message; the citizen receives an e-mail with a link to the thread."""
    dossier = dossier_for_agent(reference)
    refused = _refusal(dossier, MessageForm(), agent=current_agent())
    if refused:
        flash(f"Le message n’a pas été envoyé : {refused}", "error")
    else:
        flash("Message envoyé. L’usager est prévenu par courriel (sans le contenu du message).", "success")
    return redirect(url_for("backoffice.dossier", reference=reference, _anchor="messagerie"), code=303)


def _refusal(dossier: Dossier, form: MessageForm, agent=None) -> str | None:
    """Post the form's message; why it was not sent, in French, or None."""
    error = _form_error(form)
    if error:
        return error
    try:
        services.post(dossier, form.body.data or "", agent=agent)
    except services.MessageRefused as refused:
        return str(refused)
    return None


def agent_read(dossier: Dossier) -> None:
    """The agent opens the dossier page, thread included: unread citizen messages become read, journaled."""
    unread = services.read(dossier, "agent")
    if unread:
        access.record("message_read", dossier, detail={"messages": unread})
