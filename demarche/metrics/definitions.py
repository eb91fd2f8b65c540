"""The operators' metrics, in the Prometheus format (prometheus_client). Under gunicorn every process writes its
values to files in PROMETHEUS_MULTIPROC_DIR and the master serves their sum on HEALTH_PORT (/metrics), so
counters and histograms only, and gauges with a multiprocess mode
(https://prometheus.github.io/client_python/multiprocess/). What to watch: docs/passer-en-production.md."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Provider latency against API Particulier's own 10 s limit and our 5 s timeout.
_CALL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0)
# What a family waits on the waiting page: up to PREFILL_PATIENCE_SECONDS (120 s).
_WAIT_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0)

PROVIDER_CALLS = Counter(
    "demarche_provider_calls", "Calls to a data provider by outcome: ok, not_found, 429, 4xx, 5xx, timeout, "
    "unavailable (no answer), or refused before sending (quota_exceeded, circuit_open, bulkhead_full).",
    ["provider", "outcome"])
PROVIDER_CALL_SECONDS = Histogram(
    "demarche_provider_call_duration_seconds", "Duration of one HTTP exchange with a data provider.",
    ["provider"], buckets=_CALL_BUCKETS)
PROVIDER_QUOTA = Gauge(
    "demarche_provider_quota_calls_per_second", "The provider's quota as configured (per token, or per egress IP "
    "for all tokens), in calls per second; compare with rate(demarche_provider_calls_total).",
    ["provider", "scope"], multiprocess_mode="max")
PACER_TURNS = Counter(
    "demarche_pacer_turns", "Turns asked of a provider's pacer: allowed or told to wait, decided by Redis (shared) "
    "or by this process alone at its local share (local: Redis did not answer).", ["provider", "decision", "storage"])
PROVIDER_PAUSES = Counter(
    "demarche_provider_pauses", "A provider answered 429: every caller paused until Retry-After.", ["provider"])
CIRCUIT_STATE = Gauge(
    "demarche_circuit_state", "A provider's circuit breaker as last seen: 0 closed, 1 half-open (one trial call), "
    "2 open (calls refused, manual path at once).", ["provider"], multiprocess_mode="livemostrecent")
PREFILL_JOBS = Counter(
    "demarche_prefill_jobs", "Prefill jobs by event: enqueued, started, retried (quota: later), done.", ["event"])
PREFILL_JOB_WAIT = Histogram(
    "demarche_prefill_job_wait_seconds", "From the consent to the start of its prefill job (queue wait, retries "
    "included).", buckets=_WAIT_BUCKETS)
PREFILL_SECONDS = Histogram(
    "demarche_prefill_duration_seconds", "From the consent to the prefilled draft (what the family waits).",
    buckets=_WAIT_BUCKETS)
QUEUE_DEPTH = Gauge(
    "demarche_queue_depth", "Jobs waiting in the task queue (sampled every few seconds by a task worker).",
    multiprocess_mode="mostrecent")
FAMILIES_WAITING = Gauge(
    "demarche_families_waiting", "Consents whose data is still being fetched: families on the waiting page.",
    multiprocess_mode="mostrecent")
DB_POOL_IN_USE = Gauge(
    "demarche_db_pool_checked_out", "Database connections checked out of the processes' pools right now.",
    multiprocess_mode="livesum")
DB_POOL_TIMEOUTS = Counter(
    "demarche_db_pool_timeouts", "Requests that got no database connection within DB_POOL_TIMEOUT (« Le service "
    "est très sollicité »).")
