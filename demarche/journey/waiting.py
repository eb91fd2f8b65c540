"""« Nous récupérons vos données… »: the page that follows a prefill job (jobs.py), and where the citizen lands
when it ends. Progressive enhancement: without JavaScript the page reloads itself every few seconds; with
it, a small script asks a JSON status that answers the moment the job is done (a bounded long poll) and
an aria-live region says what is happening (https://www.w3.org/WAI/WCAG22/Techniques/aria/ARIA22).
"""

from __future__ import annotations

import logging
import math
import threading
from datetime import timedelta

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, update

from demarche.auth import session as auth_session
from demarche.auth.guards import login_required
from demarche.extensions import db
from demarche.journey import jobs, progress, refresh, services
from demarche.journey import session as journey_session
from demarche.journey.credentials import Credentials
from demarche.journey.settings import settings
from demarche.models import ConsentRecord, Prefill, utcnow
from demarche.procedures import PROCEDURES
from demarche.procedures.base import Procedure
from demarche.providers.results import FailureKind

log = logging.getLogger("demarche.journey")
LONG_POLL = 2.0  # seconds a status request may wait for the job
# Status requests allowed to wait at once, per process: the others answer at once, so that a crowd of waiting
# families never holds the threads that serve everyone else's pages (issue 18). A waiting request costs a
# thread and nothing else (no CPU: progress.wait_done blocks on Redis; no database connection).
LONG_POLL_SLOTS = threading.BoundedSemaphore(8)
NO_SCRIPT_REFRESH = 2  # seconds between two reloads of the page without JavaScript
GIVE_UP_GRACE = 5  # seconds past the citizen's patience before the page concludes for a job that never ran
LOST_AFTER = 5  # seconds after the consent before a job missing from Redis counts as lost (its marker follows it)


def start(procedure: Procedure, consent: ConsentRecord, credentials: Credentials, draft: Prefill | None = None):
    """Hand the calls to the queue and show the waiting page. If the broker is unreachable, the calls are made
    here as before the queue existed (still paced, bulkheaded and behind the circuit): nothing is lost."""
    if jobs.start(consent, credentials, draft):
        return redirect(url_for("journey.waiting", slug=procedure.slug, consent_id=consent.id), code=303)
    # No database connection is held while the calls wait for the quota (each process's small share without
    # Redis) and for the provider: the rows are loaded, the session let go, and taken back for the draft. A
    # crowd of such requests would otherwise hold every pooled connection (measured: bench/redis_outage.py).
    rows = [row for row in (consent, draft) if row is not None]
    for row in rows:
        db.session.refresh(row)
    db.session.close()
    results = services.fetch(procedure, consent, fc_token=credentials.fc_token, identity=credentials.identity)
    for row in rows:
        db.session.add(row)
    services.prefill(procedure, consent, fc_token=credentials.fc_token, identity=credentials.identity, draft=draft,
                     results=results)
    return land(procedure, consent)


def land(procedure: Procedure, consent: ConsentRecord):
    """The review page with the draft this consent filled (a refresh: with a word on how it went)."""
    draft = db.session.scalar(db.select(Prefill).filter_by(consent_id=consent.id, citizen_id=consent.citizen_id))
    if draft is None:  # submitted meanwhile, or expired
        return redirect(url_for("journey.consent", slug=procedure.slug), code=303)
    if consent.kind == "refresh":
        _say_how_the_refresh_went(procedure, draft)
    else:
        journey_session.keep_draft(procedure.slug, draft.id)
    return redirect(url_for("journey.review", slug=procedure.slug), code=303)


def _say_how_the_refresh_went(procedure: Procedure, draft: Prefill) -> None:
    failed = [s.name for s in procedure.sources
              if draft.failures.get(s.key, refresh.CURRENT_ANSWERS[0]) not in refresh.CURRENT_ANSWERS]
    if failed:
        flash(f"La mise à jour n’a pas abouti auprès de : {', '.join(failed)} ; vos données précédentes sont "
              "conservées. Les explications figurent ci-dessous.", "warning")
    else:
        flash("Vos données certifiées ont été mises à jour.", "success")


def _own(slug: str, consent_id: int) -> tuple[Procedure, ConsentRecord]:
    procedure = PROCEDURES.get(slug) or abort(404)
    consent = db.session.get(ConsentRecord, consent_id)
    if consent is None or consent.citizen_id != auth_session.citizen().citizen_id or consent.procedure != slug:
        abort(404)
    return procedure, consent


def _pending(consent: ConsentRecord) -> bool:
    return consent.outcome in (jobs.PENDING, "concluding")


@login_required
def page(slug: str, consent_id: int):
    """GET: the waiting page, or the form once the job has ended; POST: « remplir moi-même sans attendre »."""
    procedure, consent = _own(slug, consent_id)
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        _give_up(procedure, consent)
    elif _lost(consent):
        _give_up(procedure, consent)
    if not _pending(consent):
        return land(procedure, consent)
    return render_template("journey/waiting.html", procedure=procedure, consent=consent, form=FlaskForm(),
                           message=wait_message(_estimate(consent)), refresh_every=NO_SCRIPT_REFRESH)


@login_required
def status(slug: str, consent_id: int):
    """JSON for the page's script: {"done", "next", "wait", "message"}; `?attendre=1` waits a little for the end.
    Once done, `next` is already the form (the draft is kept in the session here): one step fewer."""
    procedure, consent = _own(slug, consent_id)
    consent_id, done = consent.id, not _pending(consent)
    waited = False
    if not done and request.args.get("attendre") == "1" and LONG_POLL_SLOTS.acquire(blocking=False):
        try:
            db.session.close()  # no database connection is held while waiting
            done, waited = progress.wait_done(consent_id, LONG_POLL), True
        finally:
            LONG_POLL_SLOTS.release()
    consent = db.session.get(ConsentRecord, consent_id)
    if _lost(consent):
        _give_up(procedure, consent)
    if not _pending(consent):
        return jsonify(done=True, next=land(procedure, consent).location, wait=None, message=None, poll_ms=0)
    wait = _estimate(consent)
    return jsonify(done=False, next=url_for("journey.waiting", slug=slug, consent_id=consent_id), wait=wait,
                   message=wait_message(wait), poll_ms=poll_after(wait, waited))


def poll_after(wait: int, waited: bool) -> int:
    """Milliseconds before the script asks again: at once after a long poll; else (every slot taken: a crowd)
    about a quarter of the wait, between 2 and 5 s, so that a crowd of waiting pages stays a small load (120
    families asking every second were most of the service's work while a provider hung: bench/hang.py)."""
    return 0 if waited else max(2000, min(5000, wait * 250))


def _lost(consent: ConsentRecord) -> bool:
    """The job will not come: the citizen's patience has passed (a job lost in a worker that died), or, a few
    seconds after the consent, Redis answers without the job's marker — it restarted without persistence and
    lost its queue: the family learns it at once instead of after its whole patience (bench/redis_outage.py)."""
    if consent.outcome != jobs.PENDING:
        return False
    now = utcnow()
    if now > _give_up_at(consent):
        return True
    if now > consent.created_at + timedelta(seconds=LOST_AFTER) and progress.lost_with_the_queue(consent.id):
        log.warning("prefill job lost with the queue", extra={"context": {"consent": consent.id}})
        return True
    return False


def _give_up_at(consent: ConsentRecord):
    return consent.created_at + timedelta(seconds=settings().prefill_patience + GIVE_UP_GRACE)


def _give_up(procedure: Procedure, consent: ConsentRecord) -> None:
    """Conclude without the job (it never ran, or the citizen chose not to wait): the manual path, unless the
    job concluded first. The quota's message when the job was waiting for the quota, else « unavailable »."""
    taken = db.session.execute(
        update(ConsentRecord).where(ConsentRecord.id == consent.id, ConsentRecord.outcome == jobs.PENDING)
        .values(outcome="concluding").execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.rollback()
        db.session.refresh(consent)
        return
    kind = FailureKind.RATE_LIMITED if progress.seconds_to_wait(consent.id, 0) > 0 else FailureKind.UNAVAILABLE
    draft = db.session.scalar(db.select(Prefill).filter_by(id=journey_session.draft_id(procedure.slug) or 0,
                                                           citizen_id=consent.citizen_id))
    services.without_calls(procedure, consent, draft if consent.kind == "refresh" else None, kind=kind,
                           why="the citizen did not wait")


def _estimate(consent: ConsentRecord) -> int:
    """Whole seconds the citizen may still wait (0: a few seconds at most)."""
    window = utcnow() - timedelta(seconds=settings().prefill_patience)
    ahead = db.session.scalar(db.select(func.count()).select_from(ConsentRecord).where(
        ConsentRecord.outcome == jobs.PENDING, ConsentRecord.id < consent.id, ConsentRecord.created_at > window))
    return math.ceil(progress.seconds_to_wait(consent.id, ahead or 0))


def wait_message(seconds: int | None) -> str:
    """What the page says of the wait, in plain French."""
    if not seconds or seconds < 5:
        return "Cela prend en général quelques secondes."
    rounded = 5 * math.ceil(seconds / 5)
    if rounded < 60:
        return f"Les administrations sont très sollicitées : attente estimée à environ {rounded} secondes."
    return (f"Les administrations sont très sollicitées : attente estimée à environ {math.ceil(rounded / 60)} "
            "minute(s).")
