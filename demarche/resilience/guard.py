"""One guard per provider: wait for the quota (bounded), take a bulkhead slot, pass the circuit breaker,
then record how the call went. Providers: FranceConnect, ProConnect, API Particulier, and the DGFiP's
API Impôt particulier next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context

from demarche import signals
from demarche.resilience.breaker import Breaker, BreakerPolicy
from demarche.resilience.bulkhead import Bulkhead
from demarche.resilience.errors import CircuitOpen, Refused
from demarche.resilience.pacer import Pacer
from demarche.resilience.quota import Quota, limit
from demarche.resilience.slow import SlowCalls
from demarche.resilience.store import Store, open_store, redis_client

log = logging.getLogger("demarche.resilience")
EXTENSION = "resilience"
PROVIDERS = ("api_particulier", "franceconnect", "proconnect", "impot_particulier")
# A login waits on its identity provider whatever its speed (10 s timeout): only data providers' slow calls,
# for which the manual path is the way forward, count against their circuit.
IDENTITY_PROVIDERS = ("franceconnect", "proconnect")


@dataclass
class Call:
    """What the guarded block reports back: `failed` for a failure that says the provider is unwell."""

    failed: bool = False


class Guard:
    """The protections of one provider in one app (the breaker's state is shared through the store)."""

    def __init__(self, provider: str, bulkhead: Bulkhead, breaker: Breaker, quota: Quota | None = None,
                 slow: SlowCalls | None = None):
        self.provider, self.bulkhead, self.breaker, self.quota, self.slow = provider, bulkhead, breaker, quota, slow

    @contextmanager
    def call(self, key: str = "", is_failure: Callable[[BaseException], bool] = lambda e: True) -> Iterator[Call]:
        """Around one HTTP exchange. Raises a Refused subclass before sending; `key` names the quota's token."""
        try:
            self._count_overdue_calls()
            if self.quota is not None:
                self.quota.acquire(key)
            with self.bulkhead.slot():
                trial, pending = self._before_call()
                yield from self._observed(trial, pending, is_failure)
        except Refused as refusal:
            log.info("call refused", extra={"context": {"provider": self.provider, "reason": refusal.reason}})
            signals.provider_call.send(self.provider, outcome=refusal.reason)
            raise

    def _before_call(self) -> tuple[bool, bool]:
        """The breaker's say, announced with the state it found (the operators' circuit state, demarche/metrics)."""
        try:
            trial, pending = self.breaker.before_call()
        except CircuitOpen:
            signals.circuit_seen.send(self.provider, state="open")
            raise
        signals.circuit_seen.send(self.provider, state="half_open" if trial else "closed")
        return trial, pending

    def _count_overdue_calls(self) -> None:
        """Calls of this process still in flight past the slow threshold fail now (slow.py), once each."""
        if self.slow is not None:
            for trial in self.slow.overdue():
                self.breaker.failed(trial)

    def _observed(self, trial: bool, pending: bool, is_failure: Callable[[BaseException], bool]) -> Iterator[Call]:
        """Yield to the call, then tell the breaker how it went (a slow call is a failure, counted once)."""
        outcome, ticket = Call(), self.slow.begin(trial) if self.slow is not None else None
        try:
            yield outcome
        except BaseException as error:
            # An error that is not the provider's fault (404, 422…) means it answered: it is well.
            self._record(ticket, trial, pending, failed=is_failure(error))
            raise
        self._record(ticket, trial, pending, failed=outcome.failed)

    def _record(self, ticket: int | None, trial: bool, pending: bool, *, failed: bool) -> None:
        slow, counted = self.slow.end(ticket) if self.slow is not None and ticket is not None else (False, False)
        if counted:
            return  # already reported as slow while in flight
        if failed or slow:
            self.breaker.failed(trial)
        else:
            self.breaker.succeeded(trial, pending)

    def rate_limited(self, key: str, seconds: float | None) -> None:
        """The provider answered 429 (or said no call is left): every instance waits."""
        if self.quota is not None and seconds:
            self.quota.pause(key, seconds)


class Guards:
    """The app's guards, by provider name; unknown names get a bulkhead and a breaker, no quota."""

    def __init__(self, settings, store: Store):
        self.settings, self.store = settings, store
        self._redis = redis_client(settings.redis_url) if settings.redis_url else None
        self._guards: dict[str, Guard] = {name: self._build(name) for name in PROVIDERS}

    def _build(self, name: str) -> Guard:
        s = self.settings
        quota = self._quota(name)
        policy = BreakerPolicy(threshold=s.circuit_failures, cooldown=s.circuit_cooldown)
        bulkhead = Bulkhead(name, s.provider_concurrency, s.provider_slot_wait)
        slow = SlowCalls(s.provider_slow_call) if s.provider_slow_call and name not in IDENTITY_PROVIDERS else None
        return Guard(name, bulkhead, Breaker(name, self.store, policy), quota, slow)

    def _quota(self, name: str) -> Quota | None:
        """API Particulier: per token and per egress IP; the DGFiP: its own setting when given."""
        s = self.settings
        limits = []
        if name == "api_particulier":
            limits = [limit(scope, text) for scope, text in (("token", s.api_particulier_rate_limit),
                                                             ("ip", s.api_particulier_ip_rate_limit)) if text]
        elif name == "impot_particulier" and s.impot_particulier_rate_limit:
            limits = [limit("ip", s.impot_particulier_rate_limit)]
        if not limits:
            return None
        pacer = Pacer(name, limits, client=self._redis, prefix=s.redis_key_prefix, margin=s.provider_quota_margin,
                      callers=s.provider_callers)
        return Quota(name, pacer, max_wait=s.provider_quota_wait)

    def get(self, name: str) -> Guard:
        if name not in self._guards:
            self._guards[name] = self._build(name)
        return self._guards[name]


def init_app(app: Flask) -> None:
    """One guard per provider for this app, their state in Redis when REDIS_URL is set (several instances)."""
    settings = app.config["SETTINGS"]
    app.extensions[EXTENSION] = Guards(settings, open_store(settings.redis_url, settings.redis_key_prefix))


def guards(app: Flask) -> Guards:
    """This app's guards (resilience.init_app first): what providers.init_app hands each client."""
    return app.extensions[EXTENSION]


def guard_for(provider: str) -> Guard | None:
    """The current app's guard of `provider`; None outside an app (a client used on its own is unguarded)."""
    if not has_app_context() or EXTENSION not in current_app.extensions:
        return None
    return current_app.extensions[EXTENSION].get(provider)
