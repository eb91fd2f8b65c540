"""HTTP exchanges with API Particulier: timeouts, bounded retries, size limits, logging, status mapping.

Follows the developer docs ("Configurer vos timeout", "Gérer les erreurs", "Respecter la volumétrie"),
summarised in shared docs §5–§6 and security §4 (retries only for idempotent GETs, within a budget).
"""

from __future__ import annotations

import json
import logging
import random
import time
from typing import Any

import httpx

from demarche import resilience
from demarche.api_particulier_errors import (
    ApiParticulierError,
    InvalidResponse,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    Unprocessable,
    error_class,
)

logger = logging.getLogger("demarche.api_particulier")

CONNECT_TIMEOUT = 3.0
MAX_RESPONSE_BYTES = 1_000_000  # the largest documented answer is a few kB (security §4.8)
RETRYABLE_STATUSES = frozenset({502, 503, 504})


class _RedactQueryString(logging.Filter):
    """httpx logs every request's full URL at INFO; here the query string holds names and birth dates."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                a.copy_with(query=None) if isinstance(a, httpx.URL) else a for a in record.args
            )
        return True


if not any(isinstance(f, _RedactQueryString) for f in logging.getLogger("httpx").filters):
    logging.getLogger("httpx").addFilter(_RedactQueryString())


class HttpSession:
    """A pooled httpx client plus the retry policy; thread-safe, shared by concurrent calls."""

    def __init__(
        self,
        base_url: str,
        timeout: float,
        total_budget: float,
        user_agent: str,
        max_retries: int,
        backoff: float,
    ):
        self.timeout = timeout  # per attempt, as the docs advise (5 s); connect 3 s
        self.total_budget = total_budget  # all attempts and waits included, never exceeded
        self.max_retries = max_retries
        self.backoff = backoff  # first retry after backoff × [0.5, 1.5) s, then doubling
        headers = {"User-Agent": user_agent, "Accept": "application/json"}
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, follow_redirects=False)
        self._guard = resilience.guard_for("api_particulier")  # None outside an app: unguarded

    def close(self) -> None:
        self._http.close()

    def get(self, route: str, params: dict[str, Any], bearer: str) -> tuple[Any, str]:
        """GET with bounded retries (502/503/504, connect errors, 429 if Retry-After fits the budget)."""
        deadline = time.monotonic() + self.total_budget
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._guarded_attempt(route, params, bearer, attempt, deadline)
            except (ProviderUnavailable, RateLimited) as error:
                delay = self._retry_delay(error, attempt)
                if delay is None or time.monotonic() + delay >= deadline:
                    raise
                time.sleep(delay)

    def _retry_delay(self, error: ApiParticulierError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when this error must not be retried."""
        if attempt > self.max_retries:
            return None
        if isinstance(error, RateLimited):
            return error.retry_after
        if not error.retryable:
            return None
        return self.backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not crypto

    # --- resilience hook (demarche/resilience): quota, bulkhead, circuit breaker. Carry over when moving. ---
    def _guarded_attempt(self, route: str, params: dict[str, Any], bearer: str, attempt: int, deadline: float):
        """_attempt inside the provider's guard; a refusal becomes the "unavailable"/"rate limited" failure."""
        if self._guard is None:
            return self._attempt(route, params, bearer, attempt, deadline)
        key = resilience.token_key(bearer or "no-token")
        try:
            with self._guard.call(key, is_failure=lambda error: isinstance(error, ProviderUnavailable)):
                try:
                    return self._attempt(route, params, bearer, attempt, deadline)
                except RateLimited as error:
                    self._guard.rate_limited(key, error.retry_after)
                    raise
        except resilience.QuotaExceeded as refusal:
            raise RateLimited(route, detail=refusal.reason) from refusal
        except resilience.Refused as refusal:
            raise ProviderUnavailable(route, detail=refusal.reason) from refusal
    # --- end of the resilience hook ---

    def _attempt(self, route: str, params: dict[str, Any], bearer: str, attempt: int, deadline: float):
        """One HTTP exchange: returns (payload, request_id) or raises the mapped exception."""
        per_attempt = min(self.timeout, deadline - time.monotonic())
        if per_attempt <= 0:
            raise ProviderTimeout(route, detail="budget épuisé")
        timeout = httpx.Timeout(per_attempt, connect=min(CONNECT_TIMEOUT, per_attempt))
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        started, status, request_id = time.monotonic(), None, ""
        try:
            with self._http.stream("GET", route, params=params, headers=headers, timeout=timeout) as response:
                status, request_id = response.status_code, response.headers.get("X-Request-ID", "")
                raw = _read_bounded(response, route, started + per_attempt)
        except httpx.TimeoutException as exc:
            retryable = isinstance(exc, httpx.ConnectTimeout)
            raise ProviderTimeout(route, detail=type(exc).__name__, retryable=retryable) from exc
        except httpx.TransportError as exc:
            retryable = isinstance(exc, httpx.ConnectError)
            raise ProviderUnavailable(route, detail=type(exc).__name__, retryable=retryable) from exc
        finally:
            _log_call(route, status, started, request_id, attempt)
        payload = _json_or_none(raw)
        _raise_for_status(route, response, payload, request_id)
        return payload, request_id


def _read_bounded(response: httpx.Response, route: str, attempt_deadline: float) -> bytes:
    """The body, refusing more than MAX_RESPONSE_BYTES or a trickle past the attempt's deadline."""
    ids = {"request_id": response.headers.get("X-Request-ID", "")}
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_RESPONSE_BYTES:
        raise InvalidResponse(route, response.status_code, detail="réponse trop volumineuse", **ids)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise InvalidResponse(route, response.status_code, detail="réponse trop volumineuse", **ids)
        if time.monotonic() > attempt_deadline:
            raise ProviderTimeout(route, response.status_code, detail="réponse trop lente", **ids)
        chunks.append(chunk)
    return b"".join(chunks)


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _raise_for_status(route: str, response: httpx.Response, payload: Any, request_id: str) -> None:
    """Map a non-200 answer to its exception, keeping the first error's code, detail and provider."""
    status = response.status_code
    if status == 200:
        if not isinstance(payload, dict):
            raise InvalidResponse(route, status, request_id=request_id, detail="JSON attendu")
        return
    errors = payload.get("errors") if isinstance(payload, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    meta = first.get("meta") if isinstance(first.get("meta"), dict) else {}
    source = first.get("source") if isinstance(first.get("source"), dict) else {}
    kwargs: dict[str, Any] = {
        "code": str(first.get("code", "")),
        "request_id": request_id,
        "detail": str(first.get("detail", "")),
        "provider": str(meta.get("provider", "")),
        "retryable": status in RETRYABLE_STATUSES,
    }
    cls = error_class(status)
    if cls is Unprocessable:
        kwargs["parameter"] = str(source.get("parameter", ""))
    if cls is RateLimited:
        kwargs["retry_after"] = resilience.retry_after_seconds(response.headers)  # Retry-After, RateLimit-Reset
    raise cls(route, status, **kwargs)


def _log_call(route: str, status: int | None, started: float, request_id: str, attempt: int) -> None:
    """One line per HTTP exchange: path only (the query holds identities), never tokens or bodies."""
    latency_ms = round((time.monotonic() - started) * 1000)
    logger.info(
        "GET %s -> %s in %d ms (attempt %d, X-Request-ID %s)",
        route,
        status if status is not None else "no response",
        latency_ms,
        attempt,
        request_id or "-",
        extra={
            "route": route,
            "status": status,
            "latency_ms": latency_ms,
            "attempt": attempt,
            "request_id": request_id,
        },
    )
