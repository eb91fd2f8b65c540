"""Structured JSON logs with a correlation id per request (ASVS V7.1 / V16.2).

Never a token, a secret or personal data in a log line: users appear as a pseudonymous key (an
HMAC of their FranceConnect sub), requests as their route (« /mes-demarches/<reference>/messages »), never
the path that would pair that key with a dossier reference or carry a verification code.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request

_SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
MAX_VALUE = 512  # characters per logged value: a 20 kB OAuth `error` cannot make a 20 kB line
MAX_EXCEPTION = 4096  # a traceback keeps its end, where the error is


def bounded(value, limit: int = MAX_VALUE):
    """Numbers and None as they are; anything else at most `limit` characters (cut ones end with …):
    a list or mapping whose JSON is longer becomes that JSON, cut."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict | list | tuple):
        text = json.dumps(value, ensure_ascii=False, default=str)
        if len(text) <= limit:
            return value
    else:
        text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and the request's context."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname,
            "logger": record.name,
            "message": bounded(record.getMessage()),
        }
        entry.update({bounded(key, 64): bounded(value) for key, value in getattr(record, "context", {}).items()})
        if record.exc_info:
            trace = self.formatException(record.exc_info)
            entry["exception"] = trace if len(trace) <= MAX_EXCEPTION else "…" + trace[-MAX_EXCEPTION + 1:]
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestContextFilter(logging.Filter):
    """Adds the correlation id and the pseudonymous user key to records logged during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        from flask import has_request_context

        context = dict(getattr(record, "context", {}))
        if has_request_context():
            context.setdefault("correlation_id", g.get("correlation_id"))
            if g.get("user_key"):
                context.setdefault("user_key", g.user_key)
        record.context = context
        return True


def pseudonymous_key(sub: str) -> str:
    """A stable, non-reversible key for a citizen in logs and audit records (HMAC of sub)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"citizen:{sub}".encode(), hashlib.sha256).hexdigest()[:16]


def configure_logging(app: Flask, user_key: Callable[[], str | None] = lambda: None) -> None:
    """Send the app's and the demarche.* loggers to stderr as JSON lines (once per process); `user_key` gives
    the pseudonymous key of who is signed in (demarche/auth/session.py), logged with each line of a request."""
    root = logging.getLogger("demarche")
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestContextFilter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        root.propagate = True  # pytest's caplog listens on the root logger
    app.before_request(functools.partial(_start_request, user_key))
    app.after_request(_log_request)


def _start_request(user_key: Callable[[], str | None]) -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.correlation_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()
    g.user_key = user_key()


def _log_request(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("correlation_id", "")
    if request.endpoint in ("dsfr.dsfr_file", "static"):
        return response
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    logging.getLogger("demarche.http").info(
        "request",
        extra={"context": {"method": request.method, "path": route_of_request(),
                           "status": response.status_code,
                           "duration_ms": round(elapsed, 1)}},
    )
    return response


def route_of_request() -> str:
    """The matched route with its placeholders; for a path no route matches, its first segment only (a
    mistyped /verifier/<code>/… still carries the code, a mistyped receipt URL a reference)."""
    if request.url_rule is not None:
        return request.url_rule.rule
    first, _, rest = request.path.lstrip("/").partition("/")
    return f"/{first}/…" if rest else f"/{first}"
