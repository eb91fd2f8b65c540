"""The citizen's side of the loop: which certified data the correction uses (the dossier's, or the data certified
again under a new consent), and the confirmation that saves the declared answers and what changed."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm

from demarche.dossiers import history, transitions
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.journey import followups
from demarche.journey import session as journey_session
from demarche.models import Prefill
from demarche.procedures.base import Procedure
from demarche.procedures.formdata import declared


def refreshed(dossier: Dossier) -> tuple[Prefill | None, bool]:
    """(draft, failed): the draft of a new consent made for this dossier's correction, when every source the
    dossier had certified came back; failed when such a consent fetched less (the dossier keeps its data)."""
    if journey_session.follow_up(dossier.procedure) != ("correction", dossier.reference):
        return None, False
    draft = followups.draft_for(dossier.procedure)
    if draft is None:
        return None, False
    complete = bool(draft.certified) and set(dossier.certified or {}) <= set(draft.certified)
    return (draft, False) if complete else (None, True)


def pending_request(dossier: Dossier) -> DossierEvent | None:
    return history.pending_request(history.events(dossier))


def confirm(procedure: Procedure, dossier: Dossier, form: FlaskForm, draft: Prefill | None) -> DossierEvent:
    """Save the declared answers (and the certified data of a new consent), record old → new, back to instruction.

    Certified values come from the dossier or the draft, never from the form: build_form() gave the form no
    field for them, so a certified value sent anyway is ignored."""
    snapshots = draft.certified if draft else dossier.certified
    certified = procedure.certified(snapshots)
    # Keys collect() does not produce (a renewal's school year) are kept.
    answers = {**(dossier.answers or {}), **procedure.answers(form, certified)}
    values = {"answers": answers, "form_data": declared(form, request.form)}
    if draft:
        values |= {"certified": draft.certified, "consent_id": draft.consent_id}
    changes = history.changes(procedure, dossier.identity, (dossier.answers, dossier.certified), (answers, snapshots))
    if draft:
        db.session.delete(draft)  # committed with the correction, or not at all
    event = transitions.confirm_correction(dossier, changes, **values)
    journey_session.forget_follow_up(dossier.procedure)
    journey_session.forget_draft(dossier.procedure)
    return event
