"""In-memory state of the simulator: gateway tokens, injected failure, latency, clock, request log.

Single process (threads are fine): run it with one worker, like the other simulators.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date

from demarche_sandbox import controls
from demarche_sandbox.impot_particulier.settings import Settings


@dataclass
class Failure(controls.Failure):
    """An injected failure, only for household `foyer` when set (the late failures, once the citizen is known)."""

    foyer: str = ""

    def matches(self, path: str, statuses: tuple[str, ...], foyer: str | None = None, **_context) -> bool:
        """`foyer` None: the citizen is not identified yet."""
        return super().matches(path, statuses) and (not self.foyer or self.foyer == foyer)


@dataclass(frozen=True)
class GatewayToken:
    client_id: str
    scopes: frozenset[str]
    expires: float


class SimState(controls.ControlledState):
    """Everything the simulator remembers, guarded by one lock."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.tokens: dict[str, GatewayToken] = {}
        super().__init__(settings.failure, settings.latency_ms)

    def reset(self) -> None:
        """Back to the settings: failure, latency, day, clock and request log (tokens are kept)."""
        with self.lock:
            super().reset()
            self.today_override: date | None = self.settings.today
            self.clock_offset = 0.0

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
