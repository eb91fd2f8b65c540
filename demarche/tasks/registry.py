"""What the task queue runs, declared by the features themselves without importing the queue (as warehouse's
tasks do: https://github.com/pypi/warehouse/blob/main/warehouse/tasks.py).

A feature declares `@job("name")` for work identified by a database id, `@relay_source` for a query listing
the work the relay must hand to the queue again, `@periodic(schedule)` for work run on a schedule and
`@purge(order)` for its own retention rule, `purge(now) -> {kind: count}`, and `@on_worker_start` for what a
process consuming the queue also runs (the operators' metrics sampler). demarche/tasks binds them to
the app's queue in `init_app`; this module imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

JOBS: dict[str, Callable[..., None]] = {}
RELAY_SOURCES: list[Callable[[datetime], Iterable[tuple[str, int]]]] = []
PERIODIC: dict[str, Periodic] = {}
PURGES: list[Purge] = []
WORKER_STARTS: list[Callable[[Any], None]] = []  # function(app), in a process that starts consuming the queue


@dataclass(frozen=True)
class Periodic:
    """Work run on a schedule: `schedule(datetime) -> bool` (a Huey crontab) says when."""

    schedule: Callable[[datetime], bool]
    function: Callable[[], None]


@dataclass(frozen=True)
class Purge:
    """A feature's retention rule; `order` runs it before (lower) or after (higher) the others' rules."""

    order: int
    function: Callable[[datetime], dict[str, int]]


def job(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare a job run by the queue's workers inside an application context."""

    def register(function: Callable[..., None]) -> Callable[..., None]:
        JOBS[name] = function
        return function

    return register


def relay_source(function: Callable[[datetime], Iterable[tuple[str, int]]]):
    """Declare a query of (job name, id) pairs still to hand over, given the cutoff time."""
    RELAY_SOURCES.append(function)
    return function


def periodic(schedule: Callable[[datetime], bool], name: str | None = None):
    """Declare work the scheduler runs whenever `schedule` matches (e.g. `crontab(hour="3", minute="17")`)."""

    def register(function: Callable[[], None]) -> Callable[[], None]:
        PERIODIC[name or function.__name__] = Periodic(schedule, function)
        return function

    return register


def purge(order: int = 50):
    """Declare a retention rule `function(now) -> {kind: count}` run by `flask purge` and the nightly purge.

    The dossiers go first (order 10: what names them goes with them), the accounts left empty last (90).
    """

    def register(function: Callable[[datetime], dict[str, int]]) -> Callable[[datetime], dict[str, int]]:
        if all(step.function is not function for step in PURGES):
            PURGES.append(Purge(order, function))
        return function

    return register


def on_worker_start(function: Callable[[Any], None]) -> Callable[[Any], None]:
    """Declare `function(app)`, run when a process starts consuming the queue (worker or embedded consumer)."""
    if function not in WORKER_STARTS:
        WORKER_STARTS.append(function)
    return function
