"""HTTP exchanges with any data provider: timeouts, bounded retries, size limits, request ids, redacted logs.

Generic: it returns each answer's status and JSON and lets the provider's client map statuses to its
own exceptions. Policy from API Particulier's developer docs (https://particulier.api.gouv.fr/developpeurs):
5 s per attempt, retries only for idempotent GETs on 502/503/504 or a refused connection, 429 honoured when
its Retry-After fits the budget (RFC 9110, https://www.rfc-editor.org/rfc/rfc9110#field.retry-after).
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from demarche import resilience, signals

CONNECT_TIMEOUT = 3.0
MAX_RESPONSE_BYTES = 1_000_000  # the largest documented answer is a few kB
RETRYABLE_STATUSES = frozenset({502, 503, 504})


class TransportError(Exception):
    """No usable HTTP answer: the provider's client turns it into its own exception."""

    def __init__(self, route: str, detail: str, *, status: int | None = None, request_id: str = "",
                 retryable: bool = False):
        super().__init__(f"{route}: {detail}")
        self.route, self.detail, self.status = route, detail, status
        self.request_id, self.retryable = request_id, retryable


class HttpTimeout(TransportError):
    """No answer, or no complete body, within the attempt's time."""


class HttpUnavailable(TransportError):
    """Connection refused or broken."""


class HttpTooLarge(TransportError):
    """A body larger than MAX_RESPONSE_BYTES."""


class HttpRefused(TransportError):
    """Not sent: the provider's circuit is open or its share of our concurrency is taken (demarche/resilience)."""


class HttpQuotaExceeded(TransportError):
    """Not sent: the provider's quota for this token is spent, across every instance (demarche/resilience);
    `retry_in`: seconds until the pacer's next turn, when known."""

    def __init__(self, route: str, detail: str, *, retry_in: float | None = None):
        super().__init__(route, detail)
        self.retry_in = retry_in


@dataclass(frozen=True)
class HttpAnswer:
    """One complete HTTP answer: its status, its JSON (None when not JSON) and its X-Request-ID."""

    route: str
    status: int
    payload: Any
    request_id: str
    retry_after: float | None  # seconds, from the Retry-After header


@dataclass(frozen=True)
class _Call:
    """One request to make, perhaps several times."""

    method: str
    route: str
    bearer: str
    params: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None
    auth: tuple[str, str] | None = None


class _RedactQueryString(logging.Filter):
    """httpx logs every request's full URL at INFO; a provider's query string holds names and birth dates."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                a.copy_with(query=None) if isinstance(a, httpx.URL) else a for a in record.args
            )
        return True


def redact_query_strings() -> None:
    """Keep query strings out of httpx's request log (installed once by providers.init_app, not at import)."""
    if not any(isinstance(f, _RedactQueryString) for f in logging.getLogger("httpx").filters):
        logging.getLogger("httpx").addFilter(_RedactQueryString())


class HttpSession:
    """A pooled httpx client plus the retry policy; thread-safe, shared by concurrent calls."""

    def __init__(self, base_url: str, *, timeout: float, total_budget: float, user_agent: str,
                 max_retries: int, backoff: float, logger: str, provider: str | None = None,
                 guard: resilience.Guard | None = None):
        self.timeout = timeout  # per attempt; connect at most CONNECT_TIMEOUT
        self.total_budget = total_budget  # all attempts and waits included, never exceeded
        self.max_retries = max_retries
        self.backoff = backoff  # first retry after backoff × [0.5, 1.5) s, then doubling
        self._log = logging.getLogger(logger)
        headers = {"User-Agent": user_agent, "Accept": "application/json"}
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, follow_redirects=False)
        # Quota, bulkhead and circuit breaker of this provider (demarche/resilience), handed over by
        # providers.init_app; None for a client used on its own (unguarded).
        self._guard = guard
        self._provider = provider or logger

    def close(self) -> None:
        self._http.close()

    def get(self, route: str, params: dict[str, Any], bearer: str, headers: dict[str, str] | None = None
            ) -> HttpAnswer:
        """GET with bounded retries; the last answer is returned whatever its status. `headers`: a provider's
        own (the DGFiP's X-Correlation-ID, ID_Teleservice, X-FranceConnect-OAuth)."""
        return self._with_retries(_Call("GET", route, bearer, params=params, headers=headers or {}))

    def post_form(self, route: str, form: dict[str, str], auth: tuple[str, str]) -> HttpAnswer:
        """POST a form with HTTP Basic client authentication (an OAuth 2.0 client-credentials token request,
        RFC 6749 section 4.4): no side effect but a new token, so it is retried like a GET."""
        return self._with_retries(_Call("POST", route, "", form=form, auth=auth))

    def _with_retries(self, call: _Call) -> HttpAnswer:
        deadline = time.monotonic() + self.total_budget
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = self._guarded_attempt(call, attempt, deadline)
            except TransportError as error:
                delay = self._retry_delay(attempt, error.retryable, None)
                if delay is None or time.monotonic() + delay >= deadline:
                    raise
            else:
                delay = self._retry_delay(attempt, answer.status in RETRYABLE_STATUSES,
                                          answer.retry_after if answer.status == 429 else None)
                if delay is None or time.monotonic() + delay >= deadline:
                    return answer
            time.sleep(delay)

    def _retry_delay(self, attempt: int, retryable: bool, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None when there must be none."""
        if attempt > self.max_retries:
            return None
        if retry_after is not None:
            return retry_after
        if not retryable:
            return None
        return self.backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not crypto

    def _guarded_attempt(self, call: _Call, attempt: int, deadline: float) -> HttpAnswer:
        """One exchange inside the provider's guard: no answer or a 5xx counts against the circuit, a 429
        pauses every instance, and a refusal is raised before anything is sent."""
        if self._guard is None:
            return self._attempt(call, attempt, deadline)
        key = resilience.token_key(call.bearer or "no-token")
        try:
            with self._guard.call(key, is_failure=lambda error: isinstance(error, TransportError)) as outcome:
                answer = self._attempt(call, attempt, deadline)
                outcome.failed = answer.status in RETRYABLE_STATUSES
        except resilience.QuotaExceeded as refusal:
            raise HttpQuotaExceeded(call.route, refusal.reason, retry_in=refusal.retry_in) from refusal
        except resilience.Refused as refusal:
            raise HttpRefused(call.route, refusal.reason) from refusal
        if answer.status == 429:
            self._guard.rate_limited(key, answer.retry_after)
        return answer

    def _attempt(self, call: _Call, attempt: int, deadline: float) -> HttpAnswer:
        """One HTTP exchange."""
        route = call.route
        per_attempt = min(self.timeout, deadline - time.monotonic())
        if per_attempt <= 0:
            raise HttpTimeout(route, "budget épuisé")
        timeout = httpx.Timeout(per_attempt, connect=min(CONNECT_TIMEOUT, per_attempt))
        headers = {**({"Authorization": f"Bearer {call.bearer}"} if call.bearer else {}), **call.headers}
        started, status, request_id, failure = time.monotonic(), None, "", "unavailable"
        try:
            with self._http.stream(call.method, route, params=call.params, headers=headers, data=call.form,
                                   auth=call.auth, timeout=timeout) as response:
                # The DGFiP sends no X-Request-ID: the X-Correlation-ID the client sent identifies the call.
                status = response.status_code
                request_id = response.headers.get("X-Request-ID", "") or call.headers.get("X-Correlation-ID", "")
                raw = _read_bounded(response, route, started + per_attempt)
        except httpx.TimeoutException as exc:
            failure = "timeout"
            raise HttpTimeout(route, type(exc).__name__, retryable=isinstance(exc, httpx.ConnectTimeout)) from exc
        except httpx.TransportError as exc:
            raise HttpUnavailable(route, type(exc).__name__, retryable=isinstance(exc, httpx.ConnectError)) from exc
        finally:
            self._log_call(call.method, route, status, started, request_id, attempt)
            signals.provider_call.send(self._provider, outcome=_outcome(status) if status else failure,
                                       seconds=time.monotonic() - started)
        retry_after = resilience.retry_after_seconds(response.headers)  # Retry-After, else RateLimit-Reset
        return HttpAnswer(route, response.status_code, _json_or_none(raw), request_id, retry_after)

    def _log_call(self, method: str, route: str, status: int | None, started: float, request_id: str,
                  attempt: int) -> None:
        """One line per HTTP exchange: path only (the query holds identities), never tokens or bodies."""
        latency_ms = round((time.monotonic() - started) * 1000)
        self._log.info(
            "%s %s -> %s in %d ms (attempt %d, X-Request-ID %s)", method, route,
            status if status is not None else "no response", latency_ms, attempt, request_id or "-",
            extra={"route": route, "status": status, "latency_ms": latency_ms, "attempt": attempt,
                   "request_id": request_id},
        )


def _outcome(status: int) -> str:
    """The operators' name of an answer (demarche_provider_calls_total's outcome label)."""
    if status < 400:
        return "ok"
    return {404: "not_found", 429: "429"}.get(status, "5xx" if status >= 500 else "4xx")


def _read_bounded(response: httpx.Response, route: str, attempt_deadline: float) -> bytes:
    """The body, refusing more than MAX_RESPONSE_BYTES or a trickle past the attempt's deadline."""
    ids = {"status": response.status_code, "request_id": response.headers.get("X-Request-ID", "")}
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_RESPONSE_BYTES:
        raise HttpTooLarge(route, "réponse trop volumineuse", **ids)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise HttpTooLarge(route, "réponse trop volumineuse", **ids)
        if time.monotonic() > attempt_deadline:
            raise HttpTimeout(route, "réponse trop lente", **ids)
        chunks.append(chunk)
    return b"".join(chunks)


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None

