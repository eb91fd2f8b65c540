"""Work handed to the queue once its transaction commits: `later()` notes it in the session, the commit listener
keeps what was committed, the end of the app context enqueues it; a broker that does not answer leaves it to
the relay (the outbox row stays)."""

from __future__ import annotations

import logging

from flask import current_app, g, has_app_context
from redis import RedisError
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from demarche.extensions import db

log = logging.getLogger("demarche.tasks")
_PENDING, _COMMITTED = "tasks_pending", "tasks_committed"


def listen() -> None:
    """Follow every session's commits and rollbacks (once per process, whatever the number of apps)."""
    for name, listener in (("after_commit", _committed), ("after_rollback", _rolled_back)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def later(job_name: str, row: db.Model) -> None:
    """Run `job_name(row.id)` once the current transaction commits (nothing if it rolls back)."""
    db.session.info.setdefault(_PENDING, []).append((job_name, row))


def _committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    if pending and has_app_context():  # identities are known without SQL after a commit
        g.setdefault(_COMMITTED, []).extend((name, inspect(row).identity[0]) for name, row in pending
                                            if inspect(row).has_identity)


def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def hand_over() -> None:
    """Enqueue what the transactions of this app context committed (also done when the context ends)."""
    for name, ident in g.pop(_COMMITTED, []):
        if not enqueue(name, ident):
            break  # broker down: don't make the request wait once per job; the relay hands them all over


def hand_over_on_teardown(_error: BaseException | None) -> None:
    try:
        hand_over()
    except Exception:  # never break a response: the relay hands the work over later
        log.exception("hand-over to the task queue failed")


def enqueue(job_name: str, *args, delay: float | None = None, expires: float | None = None) -> bool:
    """Give a job to the broker; False if it is unreachable (the outbox row stays, the relay retries).
    `expires`: seconds after which a job not started yet is dropped (Huey's `expires`)."""
    state = current_app.extensions["tasks"]
    task = state.tasks[job_name]
    try:
        if delay:
            task.schedule(args, delay=delay, expires=expires)
        else:
            call = task.s(*args)
            call.expires = expires
            state.huey.enqueue(call)
    except (RedisError, OSError) as error:
        log.warning("broker unreachable: job left to the relay",
                    extra={"context": {"job": job_name, "error": type(error).__name__}})
        return False
    return True