"""Background work: jobs recorded in the database by the transaction that decides them, handed to a Huey queue
after the commit, and a relay that hands over again whatever the broker did not take (docs/taches-de-fond.md)."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, g, has_app_context
from huey import Huey, crontab
from huey.api import TaskWrapper
from redis import RedisError
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from demarche import metrics
from demarche.extensions import db
from demarche.tasks import queue
from demarche.tasks.registry import JOBS, PERIODIC, job, periodic, purge, relay_source

__all__ = ["crontab", "enqueue", "init_app", "job", "later", "periodic", "purge", "relay_source"]
log = logging.getLogger("demarche.tasks")
_PENDING, _COMMITTED = "tasks_pending", "tasks_committed"


@dataclass
class TaskQueue:
    """The app's queue: the Huey instance, its tasks by job name, the embedded consumer if any."""

    huey: Huey
    tasks: dict[str, TaskWrapper]
    embedded: bool
    consumer: object | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    """Bind every declared job and periodic task to this app's queue; hand committed work over when each app
    context ends. The features declaring them are imported by the factory first (demarche/app.py)."""
    from demarche.tasks import cli, relay, retention  # noqa: F401 - the relay and the nightly purge are periodic

    settings = app.config["SETTINGS"]
    huey = queue.build(settings)
    tasks = {name: huey.task(name=name)(_in_context(app, function)) for name, function in JOBS.items()}
    tasks["relay"] = huey.periodic_task(crontab(minute="*"), name="relay")(_in_context(app, relay.relay))
    for name, declared in PERIODIC.items():
        tasks[name] = huey.periodic_task(declared.schedule, name=name)(_in_context(app, declared.function))
    app.extensions["tasks"] = TaskQueue(huey, tasks, embedded=not settings.redis_url and not huey.immediate)
    _listen()
    app.teardown_appcontext(_hand_over_on_teardown)
    if app.extensions["tasks"].embedded:
        app.before_request(start_embedded_worker)
    cli.register(app)


def _listen() -> None:
    """Follow every session's commits and rollbacks (once per process, whatever the number of apps)."""
    for name, listener in (("after_commit", _committed), ("after_rollback", _rolled_back)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _in_context(app: Flask, function: Callable[..., None]) -> Callable[..., None]:
    """Run the job in an app context; whatever it raises reaches Huey, which retries it when asked (RetryTask)
    or logs it. A job never loses work meanwhile: an outbox job's row stays for the relay."""
    @functools.wraps(function)
    def run(*args, **kwargs) -> None:
        with app.app_context():
            try:
                function(*args, **kwargs)
            except BaseException:
                db.session.rollback()
                raise
    return run


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


def _hand_over_on_teardown(_error: BaseException | None) -> None:
    try:
        hand_over()
    except Exception:  # never break a response: the relay hands the work over later
        log.exception("hand-over to the task queue failed")


def enqueue(job_name: str, *args, delay: float | None = None, expires: float | None = None) -> bool:
    """Give a job to the broker; False if it is unreachable (the outbox row stays, the relay retries).
    `expires`: seconds after which a job not started yet is dropped (Huey's `expires`)."""
    state: TaskQueue = current_app.extensions["tasks"]
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


def start_embedded_worker() -> None:
    """Without REDIS_URL, outside the tests: start the in-process consumer once (first request or the demo)."""
    state: TaskQueue = current_app.extensions["tasks"]
    if not state.embedded or state.consumer is not None:
        return
    with state.lock:
        if state.consumer is None:
            state.consumer = queue.consumer(state.huey, workers=2, periodic=True, embedded=True)
            state.consumer.start()
            metrics.start_sampler(current_app._get_current_object())
            log.info("embedded task worker started")
