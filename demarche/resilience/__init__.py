"""Resilience of outbound calls, per provider: quota, bulkhead, circuit breaker (see guard.py).

`init_app` builds one guard per provider for an app; the providers' HTTP layers ask `guard_for(name)`.
"""

from demarche.resilience.errors import BulkheadFull, CircuitOpen, QuotaExceeded, Refused
from demarche.resilience.guard import Guard, guard_for, guards, init_app
from demarche.resilience.quota import retry_after_seconds, token_key

__all__ = ["BulkheadFull", "CircuitOpen", "Guard", "QuotaExceeded", "Refused", "guard_for", "guards", "init_app",
           "retry_after_seconds", "token_key"]
