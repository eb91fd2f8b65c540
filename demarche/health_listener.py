"""Liveness probe served by gunicorn's master process on its own port (HEALTH_PORT), never queued behind requests.

`/healthz` on the service's port goes through a worker: when every thread of every worker is busy (a
provider hangs while hundreds of citizens arrive), the probe waits in gunicorn's queue and for the
worker's interpreter lock, and a load balancer may restart a process that is merely busy. This listener
runs in a thread of the master, a process that does almost nothing else, and answers from the workers'
heartbeats (gunicorn's own liveness signal, the one its `timeout` acts on): 200 while at least one worker
has beaten within the timeout, 503 otherwise. Standard library only: the master imports no application code.

`/metrics` on the same port: the operators' metrics (demarche/metrics) of every worker, summed from the files
they write in PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py), by prometheus_client alone
(https://prometheus.github.io/client_python/multiprocess/). Never on the service's public port.
"""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: HealthServer

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = self.path.split("?", 1)[0]
        if path == "/metrics" and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            self._send(200, *_metrics())
            return
        if path != "/healthz":
            self._answer(404, {"status": "not found"})
            return
        alive, total = self.server.live_workers()
        self._answer(200 if alive else 503, {"status": "ok" if alive else "no live worker",
                                             "workers": total, "alive": alive})

    def _answer(self, status: int, body: dict) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, payload: bytes, content_type: str) -> None:
        self.send_response_only(status)  # not send_response: it adds a Server header naming the software
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        """Silent: a probe every few seconds is not worth a log line."""


def _metrics() -> tuple[bytes, str]:
    """Every process's metrics, read from their files at each scrape (a fresh registry each time, as the
    multiprocess mode requires)."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST


class HealthServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], arbiter):
        super().__init__(address, _Handler)
        self.arbiter = arbiter

    def live_workers(self) -> tuple[int, int]:
        """(workers whose heartbeat is within gunicorn's timeout, workers)."""
        workers = list(self.arbiter.WORKERS.values())
        limit = self.arbiter.timeout or float("inf")
        alive = 0
        for worker in workers:
            try:
                alive += time.monotonic() - worker.tmp.last_update() <= limit
            except (OSError, ValueError):  # the worker is being replaced
                continue
        return alive, len(workers)


def start(arbiter, host: str, port: int) -> HealthServer:
    """Serve /healthz on host:port from a daemon thread of the master (gunicorn's when_ready hook)."""
    server = HealthServer((host, port), arbiter)
    threading.Thread(target=server.serve_forever, name="health-listener", daemon=True).start()
    return server
