"""The PostgreSQL and Redis servers of a test run: the ones named by TEST_DATABASE_URL and TEST_REDIS_URL when
they answer, else throw-away ones started from the binaries found on this machine, so that `make test` passes
on a laptop where nothing runs. Chosen once by the main pytest process; xdist workers inherit the variables."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def answers(host: str, port: int) -> bool:
    """Something accepts TCP connections there (a refused or unreachable port answers nothing)."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def postgres_url() -> str:
    """The PostgreSQL database under test, or '' for the SQLite half."""
    return os.environ.get("TEST_DATABASE_URL", "")


def redis_url() -> str:
    """The Redis server the Redis tests use (each test keeps to keys of its own prefix)."""
    return os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)


@dataclass
class Servers:
    """What this run uses, said in one line of the pytest header; what it started, stopped at the end."""

    postgres: str = "not used (SQLite)"
    redis: str = ""
    _started: list = field(default_factory=list)

    def line(self) -> str:
        return f"test servers: PostgreSQL {self.postgres}; Redis {self.redis}"

    def stop(self) -> None:
        for stop in reversed(self._started):
            with contextlib.suppress(Exception):
                stop()


def choose() -> Servers:
    """Use the servers that answer; start the missing ones; export their URLs for this process and its workers."""
    servers = Servers()
    if url := postgres_url():
        parsed = urlsplit(url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 5432
        servers.postgres = f"{host}:{port} (existing)" if answers(host, port) else _throwaway_postgres(servers)
    redis = urlsplit(redis_url())
    host, port = redis.hostname or "127.0.0.1", redis.port or 6379
    servers.redis = f"{host}:{port} (existing)" if answers(host, port) else _throwaway_redis(servers)
    return servers


def _throwaway_postgres(servers: Servers) -> str:
    """initdb + pg_ctl in a temporary folder (tests/private_postgres.py: it also runs them as `postgres` when
    this process is root, which PostgreSQL requires and pytest-postgresql's executor does not do)."""
    from tests.private_postgres import PrivatePostgres, bindir

    if bindir() is None:
        return "none answers and no PostgreSQL binaries found (pg_config --bindir, /usr/lib/postgresql/*/bin)"
    server = PrivatePostgres()
    server.start()
    servers._started.append(server.destroy)
    os.environ["TEST_DATABASE_URL"] = server.url
    return f"127.0.0.1:{server.port} (throw-away, {server.bin})"


def _throwaway_redis(servers: Servers) -> str:
    """redis-server on a free loopback port, no persistence, via pytest-redis's executor (it waits until the
    server accepts connections and stops it cleanly)."""
    from pytest_redis.executor import RedisExecutor

    from bench.stack import free_port

    executable = shutil.which("redis-server")
    if executable is None:
        return "none answers and no redis-server binary found (the Redis tests skip)"
    folder = Path(tempfile.mkdtemp(prefix="demarche-redis-"))
    port = free_port()
    executor = RedisExecutor(executable, databases=16, redis_timeout=30, loglevel="warning", host="127.0.0.1",
                             port=port, datadir=folder)
    executor.start()
    servers._started.append(lambda: (executor.stop(), shutil.rmtree(folder, ignore_errors=True)))
    os.environ["TEST_REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    return f"127.0.0.1:{port} (throw-away, {executable})"
