"""What the task queue runs: the jobs and relay sources that service modules declare, without importing the queue.

A module declares `@job("name")` for work identified by a database id, and `@relay_source` for a query
listing the work the relay must hand to the queue again. demarche/tasks binds them to the queue at start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

JOBS: dict[str, Callable[..., None]] = {}
RELAY_SOURCES: list[Callable[[datetime], Iterable[tuple[str, int]]]] = []


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
