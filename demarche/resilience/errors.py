"""Why a guard refused an outbound call before it was sent; the provider's client maps each to its own
"unavailable" or "rate limited" failure, so the citizen is offered the manual path."""

from __future__ import annotations


class Refused(Exception):
    """The call was not sent. `retry_in` (seconds) says when trying again may work, when known."""

    reason = "refused"

    def __init__(self, provider: str, retry_in: float | None = None):
        super().__init__(f"{provider}: {self.reason}" + (f" (retry in {retry_in:.1f} s)" if retry_in else ""))
        self.provider = provider
        self.retry_in = retry_in


class BulkheadFull(Refused):
    """This process already has its share of concurrent calls to the provider in flight."""

    reason = "bulkhead_full"


class CircuitOpen(Refused):
    """The provider failed repeatedly: calls are not sent until a cool-down and one trial call."""

    reason = "circuit_open"


class QuotaExceeded(Refused):
    """The provider's quota (or its Retry-After) would make the citizen wait longer than allowed."""

    reason = "quota_exceeded"
