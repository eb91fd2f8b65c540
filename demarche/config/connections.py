"""PostgreSQL connections sized, not hoped for: the deployment's worst case, computed from its settings, must fit
in what the server lets the application open, or the service refuses to start and says which settings to change
(docs/passer-en-production.md, « Connexions à PostgreSQL »;
https://www.postgresql.org/docs/current/runtime-config-connection.html)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from demarche.config.checks import ConfigurationError, integer

log = logging.getLogger("demarche.config")

POOLERS = ("", "pgbouncer")
# current_setting(name, true) is NULL for a setting this server does not have (reserved_connections: PG 16+).
# https://www.postgresql.org/docs/current/functions-admin.html
LIMITS_QUERY = ("SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')"
                "::int, coalesce(current_setting('reserved_connections', true), '0')::int")


@dataclass(frozen=True)
class Budget:
    """What one deployment may open at worst: every process's pool full at once."""

    instances: int = 1  # SERVICE_INSTANCES: how many copies of the service run against this database
    workers: int = 1  # gunicorn worker processes per instance (WEB_CONCURRENCY, or gunicorn's -w)
    threads: int = 32  # threads per worker (GUNICORN_THREADS): at most one connection each
    pool_size: int = 16  # DB_POOL_SIZE
    max_overflow: int = 16  # DB_MAX_OVERFLOW
    task_threads: int = 0  # `flask tasks worker` threads + the scheduler's one, per instance (with REDIS_URL)
    reserve: int = 5  # DB_CONNECTIONS_RESERVE: migrations, flask commands, psql, monitoring

    @property
    def per_worker(self) -> int:
        """A process never holds more connections than its pool allows, nor more than its threads can use."""
        return min(self.threads, self.pool_size + self.max_overflow)

    @property
    def per_instance(self) -> int:
        return self.workers * self.per_worker + min(self.task_threads, self.pool_size + self.max_overflow)

    @property
    def total(self) -> int:
        return self.instances * self.per_instance + self.reserve

    def arithmetic(self) -> str:
        return (f"{self.instances} × ({self.workers} × min({self.threads}, {self.pool_size} + {self.max_overflow})"
                f" + {min(self.task_threads, self.pool_size + self.max_overflow)}) + {self.reserve} = {self.total}")


def budget_of(env: dict[str, str], redis_url: str) -> Budget:
    """The Budget the environment describes; gunicorn.conf.py exports GUNICORN_WORKERS/_THREADS it really uses."""
    workers = env.get("GUNICORN_WORKERS") or env.get("WEB_CONCURRENCY") or str(os.cpu_count() or 1)
    tasks = integer(env, "TASKS_WORKERS", "4") + 1 if redis_url else 0  # +1: the scheduler's thread
    return Budget(instances=max(1, integer(env, "SERVICE_INSTANCES", "1")), workers=max(1, int(workers)),
                  threads=max(1, integer(env, "GUNICORN_THREADS", "32")),
                  pool_size=integer(env, "DB_POOL_SIZE", "16"), max_overflow=integer(env, "DB_MAX_OVERFLOW", "16"),
                  task_threads=tasks, reserve=integer(env, "DB_CONNECTIONS_RESERVE", "5"))


def pooler(env: dict[str, str]) -> str:
    value = env.get("DB_POOLER", "").strip().lower()
    if value not in POOLERS:
        raise ConfigurationError("DB_POOLER", "valeurs possibles : pgbouncer (ou vide)", "pgbouncer or empty")
    return value


def pool_timeout(env: dict[str, str]) -> float:
    """DB_POOL_TIMEOUT: seconds a request waits for a free connection before the « service très sollicité »
    page; well below gunicorn's 30 s worker timeout (SQLAlchemy's default of 30 s met it)."""
    try:
        value = float(env.get("DB_POOL_TIMEOUT") or "5")
    except ValueError:
        value = -1
    if not 0 < value <= 25:
        raise ConfigurationError("DB_POOL_TIMEOUT", "un nombre de secondes entre 0 et 25 est attendu",
                                 "a number of seconds between 0 and 25 is expected")
    return value


def server_allows(database_url: str) -> int | None:
    """Connections the server leaves to the application (None: the server could not be asked right now)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    engine = create_engine(database_url, poolclass=NullPool)  # one connection, closed at once: no pool to fork
    try:
        with engine.connect() as connection:
            maximum, superuser, reserved = connection.execute(text(LIMITS_QUERY)).one()
    except SQLAlchemyError as error:
        # The database being down is not a sizing error: the service starts and says « indisponible ».
        log.warning("connection budget not checked", extra={"context": {"error": type(error).__name__}})
        return None
    finally:
        engine.dispose()
    return maximum - superuser - reserved


def check(database_url: str, budget: Budget, pooler_in_front: str) -> None:
    """Refuse to start when the worst case exceeds what PostgreSQL allows (unless a pooler is in front)."""
    if not database_url.startswith("postgresql") or pooler_in_front:
        return
    allowed = server_allows(database_url)
    if allowed is None or budget.total <= allowed:
        return
    settings = ("SERVICE_INSTANCES × (WEB_CONCURRENCY × min(GUNICORN_THREADS, DB_POOL_SIZE + DB_MAX_OVERFLOW) "
                "+ TASKS_WORKERS + 1) + DB_CONNECTIONS_RESERVE")
    raise ConfigurationError(
        "DB_POOL_SIZE",
        f"au pire {budget.total} connexions ({settings} = {budget.arithmetic()}), mais PostgreSQL n’en accepte "
        f"que {allowed} (max_connections moins les connexions réservées). Réduisez ces réglages, augmentez "
        "max_connections, ou placez PgBouncer devant la base et définissez DB_POOLER=pgbouncer "
        "(docs/passer-en-production.md)",
        f"worst case {budget.total} connections ({settings} = {budget.arithmetic()}), but PostgreSQL accepts only "
        f"{allowed} (max_connections minus reserved connections). Lower these settings, raise max_connections, or "
        "put PgBouncer in front of the database and set DB_POOLER=pgbouncer",
    )
