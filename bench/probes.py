"""Closed-loop probes of the benchmark: hammer one URL (the bare yardstick, a service page) and count the
CPU its server used; sample the service's PostgreSQL connections during the run."""

from __future__ import annotations

import threading
import time

import httpx
import sqlalchemy as sa

from bench.report import percentile
from bench.stack import cpu_seconds


def hammer(url: str, clients: int, seconds: float, pids: list[int]) -> dict:
    """`clients` threads GET `url` in a loop for `seconds`: req/s, p50, and server CPU ms per request."""
    durations, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        mine, failed = [], 0
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                if client.get(url).status_code >= 500:
                    failed += 1
                mine.append(time.perf_counter() - started)
        with lock:
            durations.extend(mine)
            errors[0] += failed

    before = cpu_seconds(pids)
    threads = [threading.Thread(target=loop) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = sum(used - before.get(pid, 0.0) for pid, used in cpu_seconds(pids).items())
    return {"rps": len(durations) / elapsed, "p50": percentile(durations, 50), "count": len(durations),
            "cpu_ms": cpu * 1000 / max(len(durations), 1), "errors": errors[0]}


class ConnectionSampler:
    """Every 0.2 s, the service's connections (by application_name) in pg_stat_activity: the most open at
    once, and how many were opened during the run (backends not there at the start)."""

    def __init__(self, database_url: str, application_name: str):
        self.engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
        self.name = application_name
        self.peak, self.seen, self.initial = 0, set(), set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> set:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT pid, backend_start FROM pg_stat_activity "
                                        "WHERE application_name = :name"), {"name": self.name}).all()
        return {tuple(row) for row in rows}

    def start(self) -> None:
        self.initial = self._sample()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            current = self._sample()
            self.peak = max(self.peak, len(current))
            self.seen |= current

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        self.engine.dispose()
        return {"peak": self.peak, "opened": len(self.seen - self.initial)}
