"""Real gunicorn processes for the scale-out and fault tests, and a browser that spreads the service's
requests over them, as a load balancer would (PostgreSQL only: TEST_DATABASE_URL)."""

from __future__ import annotations

import itertools
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bench.stack import Gunicorn
from tests import servers
from tests.browser import Browser
from tests.conftest import SERVICE_URL, service_env

ROOT = Path(__file__).resolve().parents[1]

needs_postgres = pytest.mark.skipif(
    not servers.postgres_url(), reason="needs PostgreSQL: set TEST_DATABASE_URL (make test-postgres does)")

ERROR_PAGE_MARKERS = ("Traceback", "File \"/", "sqlalchemy", "psycopg")  # what a stack trace would show


def start_service(database_url: str, fc_url: str, ap_url: str, secret_key: str, workers: int = 2,
                  log: Path | None = None, **extra: str) -> Gunicorn:
    """`gunicorn 'demarche:create_app()'` with gunicorn.conf.py, as in production, on a free loopback port;
    its output goes to `log` (read it when a test fails)."""
    env = production_env(database_url, fc_url, ap_url, secret_key, **extra)
    service = Gunicorn("demarche:create_app()", env, workers=workers, threads=4, log=log)
    service.wait("/healthz")
    return service


def production_env(database_url: str, fc_url: str, ap_url: str, secret_key: str, **extra: str) -> dict:
    # Production mode: errors end on the French pages instead of propagating as they do under TESTING.
    return {**service_env(database_url, fc_url, ap_url), "DEMARCHE_ENV": "production", "SECRET_KEY": secret_key,
            **extra}


class TaskWorker:
    """`flask tasks worker`, the queue's consumer process of a deployment with REDIS_URL (docker-compose.yml)."""

    def __init__(self, env: dict, threads: int = 4, log: Path | None = None):
        command = [sys.executable, "-m", "flask", "--app", "demarche:create_app()", "tasks", "worker",
                   "-w", str(threads)]
        self.log = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=self.log,  # noqa: S603
                                        stderr=subprocess.STDOUT)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)  # graceful: the running jobs end first
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.log is not subprocess.DEVNULL:
            self.log.close()


def new_secret() -> str:
    return secrets.token_hex(32)


class LiveBrowser(Browser):
    """tests.browser.Browser whose service is real processes: each request to the service's public URL
    goes to the next backend in turn. One cookie jar for them all, like one browser behind one domain."""

    def __init__(self, backends: list[str]):
        super().__init__(service_client=None)
        self._next = itertools.cycle(backends)
        self.service_http = httpx.Client(follow_redirects=False, timeout=30)
        self.served_by: list[tuple[str, str]] = []  # (backend, path)

    def close(self) -> None:
        self.service_http.close()
        super().close()

    def _send(self, method, url, data):
        if not (url == SERVICE_URL or url.startswith(SERVICE_URL + "/")):
            return super()._send(method, url, data)
        backend, parts = next(self._next), urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            response = self.service_http.request(method.upper(), backend + path, data=data)
        except (httpx.ReadError, httpx.RemoteProtocolError):
            # A browser sends an idempotent request again when the kept-alive connection it reused was closed
            # by a process that died (RFC 9112, section 9.3.1): so does this one, once, and never for a POST.
            if method.upper() != "GET":
                raise
            self.service_http.close()
            self.service_http = httpx.Client(follow_redirects=False, timeout=30)
            response = self.service_http.request("GET", backend + path)
        self.served_by.append((backend, parts.path))
        return response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.text


def worker_talking_to(service: Gunicorn, port: int) -> int | None:
    """The service worker with an open TCP connection to `port` (the one busy calling that provider)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if int(fields[2].rsplit(":", 1)[1], 16) == port:  # remote address:port, in hex
                    inodes.add(fields[9])
    for pid in service.workers():
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue
        if any(link.startswith("socket:[") and link[8:-1] in inodes for link in links):
            return pid
    return None
