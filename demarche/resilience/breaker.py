"""Circuit breaker whose state is shared through the store (Redis: every instance; else this process).

Closed: calls go; `threshold` failures within `window` seconds open it. Open: calls are refused at
once for `cooldown` seconds. Then half-open: exactly one trial call (a SET NX lease, across instances)
decides: success closes, failure opens again. Why not pybreaker: its CircuitBreaker.call holds one lock
for the whole call (calls through a breaker run one at a time per process) and its half-open state lets
every concurrent caller through; here the trial is single across all instances.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from demarche.resilience.errors import CircuitOpen
from demarche.resilience.store import Store

log = logging.getLogger("demarche.resilience")
TRIPPED_TTL_MS = 24 * 3600 * 1000  # "was opened and not yet closed by a good trial": outlives any cool-down


@dataclass(frozen=True)
class BreakerPolicy:
    threshold: int = 5  # failures (timeouts, network errors, 5xx) ...
    window: float = 30.0  # ... within this many seconds open the circuit
    cooldown: float = 30.0  # seconds every call is refused before the trial call
    trial_lease: float = 15.0  # a trial whose caller died is replaced after this long


class Breaker:
    def __init__(self, provider: str, store: Store, policy: BreakerPolicy):
        self.provider, self.store, self.policy = provider, store, policy
        base = f"breaker:{provider}"
        self.k_open, self.k_tripped, self.k_trial, self.k_fails = (f"{base}:{n}" for n in ("open", "tripped",
                                                                                          "trial", "fails"))

    def before_call(self) -> tuple[bool, bool]:
        """Raise CircuitOpen, or return (is_trial, failures_pending) for after_call."""
        opened, tripped, fails = self.store.get_many(self.k_open, self.k_tripped, self.k_fails)
        if opened:
            raise CircuitOpen(self.provider, retry_in=self.store.ttl_ms(self.k_open) / 1000)
        if tripped:
            lease = round(self.policy.trial_lease * 1000)
            if not self.store.put(self.k_trial, "1", lease, only_if_absent=True):
                raise CircuitOpen(self.provider, retry_in=1.0)  # another caller is trying right now
            return True, bool(fails)
        return False, bool(fails)

    def succeeded(self, trial: bool, failures_pending: bool) -> None:
        if trial:
            log.info("circuit closed", extra={"context": {"provider": self.provider}})
            self.store.remove(self.k_tripped, self.k_trial, self.k_fails)
        elif failures_pending:  # failures must be in a row, more or less: a success starts over
            self.store.remove(self.k_fails)

    def failed(self, trial: bool) -> None:
        count = self.store.count(self.k_fails, round(self.policy.window * 1000))
        if trial or count >= self.policy.threshold:
            self.open()

    def open(self) -> None:
        self.store.put(self.k_open, "1", round(self.policy.cooldown * 1000))
        self.store.put(self.k_tripped, "1", TRIPPED_TTL_MS)
        self.store.remove(self.k_trial, self.k_fails)
        log.warning("circuit opened", extra={"context": {"provider": self.provider,
                                                         "cooldown_s": self.policy.cooldown}})

    def state(self) -> str:
        """closed, open or half_open (for the readiness page and the tests)."""
        opened, tripped = self.store.get_many(self.k_open, self.k_tripped)
        return "open" if opened else "half_open" if tripped else "closed"
