"""Background work: jobs recorded in the database by the transaction that decides them, handed to a Huey queue
after the commit, and a relay that hands over again whatever the broker did not take (docs/taches-de-fond.md)."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from huey import Huey, crontab
from huey.api import TaskWrapper

from demarche.extensions import db
from demarche.tasks import cli, handover, queue, relay, retention  # noqa: F401 - relay and retention are periodic
from demarche.tasks.handover import enqueue, hand_over, later
from demarche.tasks.registry import JOBS, PERIODIC, WORKER_STARTS, job, on_worker_start, periodic, purge, relay_source

__all__ = ["crontab", "enqueue", "hand_over", "init_app", "job", "later", "on_worker_start", "periodic", "purge",
           "relay_source", "stop_embedded_worker"]
log = logging.getLogger("demarche.tasks")


@dataclass
class TaskQueue:
    """The app's queue: the Huey instance, its tasks by job name, the embedded consumer if any, and the event
    that tells what runs beside the jobs (on_worker_start) that this process stopped consuming."""

    huey: Huey
    tasks: dict[str, TaskWrapper]
    embedded: bool
    consumer: object | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopped: threading.Event = field(default_factory=threading.Event)


def init_app(app: Flask) -> None:
    """Bind every declared job and periodic task to this app's queue; hand committed work over when each app
    context ends. The features declaring them are imported by the factory first (demarche/app.py)."""
    settings = app.config["SETTINGS"]
    huey = queue.build(settings)
    tasks = {name: huey.task(name=name)(_in_context(app, function)) for name, function in JOBS.items()}
    for name, declared in PERIODIC.items():
        tasks[name] = huey.periodic_task(declared.schedule, name=name)(_in_context(app, declared.function))
    app.extensions["tasks"] = TaskQueue(huey, tasks, embedded=not settings.redis_url and not huey.immediate)
    handover.listen()
    app.teardown_appcontext(handover.hand_over_on_teardown)
    if app.extensions["tasks"].embedded:
        app.before_request(start_embedded_worker)
    cli.register(app)


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


def stop_embedded_worker(app: Flask) -> None:
    """Stop the in-process consumer and what started beside it (an app that is dropped: the tests)."""
    state: TaskQueue = app.extensions["tasks"]
    state.stopped.set()
    with state.lock:
        if state.consumer is not None:
            state.consumer.stop()
            state.consumer = None


def start_embedded_worker() -> None:
    """Without REDIS_URL, outside the tests: start the in-process consumer once (first request or the demo)."""
    state: TaskQueue = current_app.extensions["tasks"]
    if not state.embedded or state.consumer is not None:
        return
    with state.lock:
        if state.consumer is None:
            state.consumer = queue.consumer(state.huey, workers=2, periodic=True, embedded=True)
            state.consumer.start()
            for start in WORKER_STARTS:
                start(current_app._get_current_object())
            log.info("embedded task worker started")
