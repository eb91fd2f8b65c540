"""A démarche reopened from one of the citizen's dossiers: its correction, with data certified again under a new
consent, or its renewal for the next school year. The session remembers it (auth/session.py) from the button,
through the usual consent → FranceConnect → prefill path, to the form."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from demarche.auth import session as auth_session
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.journey import session as journey_session
from demarche.models import Prefill, utcnow
from demarche.procedures.base import Procedure
from demarche.procedures.certified import Certified
from demarche.procedures.formdata import as_formdata, declared


@dataclass(frozen=True)
class FollowUp:
    kind: str  # correction | renewal
    dossier: Dossier


def own_dossier(reference: str) -> Dossier:
    """The signed-in citizen's dossier; 404 for another's (indistinguishable from a wrong reference)."""
    dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
    if dossier is None or dossier.citizen_id != auth_session.citizen().citizen_id:
        abort(404)
    return dossier


def start(kind: str, dossier: Dossier):
    """Remember the dossier, then « Ce qui va se passer »: a new consent, as for any démarche."""
    journey_session.forget_draft(dossier.procedure)  # a draft left from before is not this one's
    journey_session.start_follow_up(dossier.procedure, kind, dossier.reference)
    return redirect(url_for("journey.consent", slug=dossier.procedure, dossier=dossier.reference), code=303)


def current(slug: str) -> FollowUp | None:
    """The follow-up under way for this démarche, if its dossier is still the citizen's."""
    found = journey_session.follow_up(slug)
    if not found:
        return None
    dossier = db.session.scalar(db.select(Dossier).filter_by(reference=found[1]))
    if dossier is None or dossier.citizen_id != auth_session.citizen().citizen_id:
        journey_session.forget_follow_up(slug)
        return None
    return FollowUp(found[0], dossier)


def on_consent_page(slug: str) -> FollowUp | None:
    """The consent page was opened from the follow-up's button (?dossier=<reference>), or the citizen started a
    new démarche: then the follow-up is forgotten."""
    follow = current(slug)
    if follow and request.args.get("dossier") != follow.dossier.reference:
        journey_session.forget_follow_up(slug)
        return None
    return follow


def draft_for(slug: str) -> Prefill | None:
    """The citizen's live draft of this démarche (the certified data of the new consent), or None."""
    draft_id = journey_session.draft_id(slug)
    draft = draft_id and db.session.get(Prefill, draft_id)
    if not draft or draft.citizen_id != auth_session.citizen().citizen_id or draft.expires_at <= utcnow():
        return None
    return draft


def renewal_start(procedure: Procedure, follow: FollowUp | None, certified: Certified) -> MultiDict | None:
    """A renewal's form starts with last time's declared answers; any other form starts empty."""
    if not follow or follow.kind != "renewal":
        return None
    old = follow.dossier
    return as_formdata(procedure.renewal_data(old.form_data, old.answers or {}, certified))


def submission(form, follow: FollowUp | None, answers: dict) -> tuple[dict, dict]:
    """The answers and the dossier's other columns at submission: the declared form data, the opt-in, and
    for a renewal its school year and the dossier it renews."""
    from demarche.dossiers.renewal import school_year

    extra = {"form_data": declared(form, request.form),
             "renewal_reminder": bool("renewal_reminder" in form and form.renewal_reminder.data)}
    if follow and follow.kind == "renewal":
        answers = {**answers, "school_year": school_year(follow.dossier) + 1}
        extra["renewal_of"] = follow.dossier.reference
    return answers, extra
