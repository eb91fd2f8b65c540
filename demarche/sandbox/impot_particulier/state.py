"""In-memory state of the simulator: gateway tokens, injected failure, latency, clock, request log.

Single process (threads are fine): run it with one worker, like the other simulators.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import date

from demarche.sandbox.impot_particulier.settings import Settings


@dataclass
class Failure:
    """An injected failure on paths starting with `route` (and only for household `foyer` when set),
    `remaining` more times (None: until cleared)."""

    status: str  # one of settings.FAILURES
    route: str = ""
    foyer: str = ""
    remaining: int | None = None
    retry_after: int = 60


@dataclass(frozen=True)
class GatewayToken:
    client_id: str
    scopes: frozenset[str]
    expires: float


class SimState:
    """Everything the simulator remembers, guarded by one lock."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.lock = threading.Lock()
        self.tokens: dict[str, GatewayToken] = {}
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.failure: Failure | None = Failure(self.settings.failure) if self.settings.failure else None
            self.latency_ms = self.settings.latency_ms
            self.today_override: date | None = self.settings.today
            self.clock_offset = 0.0
            self.requests: deque[dict] = deque(maxlen=1000)

    def now(self) -> float:
        return time.time() + self.clock_offset

    def today(self) -> date:
        """The simulated day (IP_SIM_TODAY or /_sim/today), else the real one."""
        return self.today_override or date.today()

    def issue_token(self, client_id: str, scopes: frozenset[str]) -> str:
        value = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[value] = GatewayToken(client_id, scopes, self.now() + self.settings.token_ttl)
        return value

    def token(self, value: str) -> GatewayToken | None:
        """A live gateway token, or None (unknown or expired)."""
        with self.lock:
            token = self.tokens.get(value)
            if token is not None and token.expires <= self.now():
                del self.tokens[value]
                return None
            return token

    def take_failure(self, path: str, statuses: tuple[str, ...], foyer: str | None = None) -> Failure | None:
        """The failure to apply to this request, if any, counting it down. `foyer` None: not identified yet."""
        with self.lock:
            failure = self.failure
            if failure is None or failure.status not in statuses or not path.startswith(failure.route):
                return None
            if failure.foyer and failure.foyer != foyer:
                return None
            if failure.remaining is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self.failure = None
            return failure
