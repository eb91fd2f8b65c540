"""What a démarche gets back from its providers: one typed result per source, fetched concurrently.

Generic over providers: a client fetches its sources with run_concurrently and answers SourceResults.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class FailureKind(StrEnum):
    """Why a source gave no data; stored in drafts and consent outcomes, and chooses the message shown."""

    NOT_FOUND = "not_found"  # the provider has no file for this person: a business answer
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"  # down, too slow, or an unusable answer
    EXPIRED = "expired"  # the citizen's access token (or the service's) was refused
    SCOPE = "scope"  # the service is not entitled to this data
    ERROR = "error"  # anything else, e.g. a refused parameter
    YEAR_UNAVAILABLE = "year_unavailable"  # the DGFiP has no assessment of that income year (410, codeapp 4101)
    MISMATCH = "mismatch"  # the service's own check: the answer is about another person (birth date)


@dataclass(frozen=True)
class SourceRequest:
    """One source a démarche wants: its key, the provider's route (an api_particulier.Route or an
    impot_particulier.Resource) and the FranceConnect scopes granted for it (the DGFiP's year scopes)."""

    key: str  # the démarche's name for the source, the key of the result
    route: Any
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A successful call and its provenance, to be stored next to the data it certifies."""

    data: T
    route: str  # e.g. "/v3/dss/quotient_familial/france_connect", never the query string
    request_id: str  # X-Request-ID (API Particulier) or the X-Correlation-ID sent (DGFiP)
    retrieved_at: datetime  # UTC
    status: int = 200


@dataclass(frozen=True)
class SourceResult:
    """One source's answer: `value` (a typed model) or `failure` with the exception, and its provenance."""

    key: str  # the démarche's name for the source, e.g. "quotient_familial"
    route: str  # path only, e.g. "/v3/dss/quotient_familial/france_connect"
    elapsed_ms: float
    request_id: str = ""  # the provider's X-Request-ID, to give to its support
    status: int | None = None  # HTTP status; None when no answer came
    retrieved_at: datetime | None = None  # UTC, when the value was received
    value: Any = None
    failure: FailureKind | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def timed_result(key: str, call: Callable[[], Fetched], errors: type[Exception]) -> SourceResult:
    """Run one source's call and time it: its Fetched becomes the value, a provider error of type `errors`
    (with route, request_id, status and kind, as each client's base error has) the failure; never raised."""
    started = time.perf_counter()
    try:
        fetched = call()
    except errors as error:
        return SourceResult(key, error.route, _since(started), error.request_id, error.status,
                            failure=error.kind, error=error)
    return SourceResult(key, fetched.route, _since(started), fetched.request_id, fetched.status,
                        fetched.retrieved_at, value=fetched.data)


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def run_concurrently(calls: Mapping[str, Callable[[], T]], prefix: str = "provider") -> dict[str, T]:
    """Run the calls in threads: a prefill costs its slowest provider, not the sum of all of them.

    Each call must catch its own failures (it returns a SourceResult either way).
    """
    if not calls:
        return {}
    (first_key, first_call), *others = calls.items()
    if not others:  # one source (the cantine's quotient familial): no thread to start and join
        return {first_key: first_call()}
    # The calling thread runs one call itself: one thread fewer to start per prefill. A pool per prefill
    # rather than one shared: a shared pool's threads all held by a hanging provider would queue other
    # citizens' calls in front of the bulkhead, unbounded.
    with ThreadPoolExecutor(max_workers=len(others), thread_name_prefix=prefix) as pool:
        futures = {key: pool.submit(call) for key, call in others}
        done = {first_key: first_call()}
    done.update((key, future.result()) for key, future in futures.items())
    return {key: done[key] for key in calls}
