"""tests/servers.py: where nothing answers, the suite starts its own throw-away PostgreSQL and Redis and says so."""

from __future__ import annotations

import shutil
import socket

import pytest
import redis
import sqlalchemy as sa

from bench.stack import free_port
from tests import servers
from tests.private_postgres import bindir


@pytest.mark.skipif(bindir() is None or shutil.which("redis-server") is None,
                    reason="needs PostgreSQL's and Redis's server binaries on this machine")
def test_where_nothing_answers_throw_away_servers_are_started_then_stopped(monkeypatch):
    closed = free_port()
    monkeypatch.setenv("TEST_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{closed}/test")
    monkeypatch.setenv("TEST_REDIS_URL", f"redis://127.0.0.1:{closed}/0")
    chosen = servers.choose()
    try:
        assert chosen.line().count("(throw-away, ") == 2
        engine = sa.create_engine(servers.postgres_url())
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar() == 1
        engine.dispose()
        client = redis.Redis.from_url(servers.redis_url())
        assert client.ping()
        client.close()
    finally:
        chosen.stop()
    assert not servers.answers("127.0.0.1", sa.engine.make_url(servers.postgres_url()).port)
    assert not servers.answers("127.0.0.1", redis.connection.parse_url(servers.redis_url())["port"])


def test_servers_that_answer_are_used_as_they_are(monkeypatch):
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        monkeypatch.setenv("TEST_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{port}/test")
        monkeypatch.setenv("TEST_REDIS_URL", f"redis://127.0.0.1:{port}/0")
        chosen = servers.choose()
    assert chosen.line() == f"test servers: PostgreSQL 127.0.0.1:{port} (existing); Redis 127.0.0.1:{port} (existing)"
    assert servers.postgres_url().endswith(f":{port}/test")
