"""The service's settings, read once from the environment and checked (the public names are listed in the
README). Three run modes, chosen by ``DEMARCHE_ENV``: ``production`` (the default: every required variable
must be set and safe), ``demo`` and ``test`` (safe local defaults, simulators on loopback).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from demarche.config import connections, sections
from demarche.config.checks import ConfigurationError, check_url, integer, month_day
from demarche.config.defaults import (
    DEMO_DEFAULTS,
    DEMO_ONLY_DEFAULTS,
    MODES,
    REQUIRED_IN_PRODUCTION,
)
from demarche.instance_secret import shared_secret


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment, validated."""

    mode: str
    secret_key: str
    database_url: str
    public_url: str
    fc_issuer: str
    fc_client_id: str
    fc_client_secret: str
    api_particulier_url: str
    api_particulier_token: str
    api_particulier_recipient: str
    api_particulier_modality: str
    api_particulier_timeout: float
    commune_name: str
    session_idle_minutes: int
    session_absolute_hours: int
    coulisses: bool
    pc_issuer: str = ""  # empty: no ProConnect, the back-office is off
    pc_client_id: str = ""
    pc_client_secret: str = ""
    pc_require_mfa: bool = False  # PROCONNECT_REQUIRE_MFA: agents must log in with a second factor
    smtp_host: str = ""  # empty: e-mails stay in the outbox table (flask send-mail sends them later)
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = ""
    retention_days: dict[str, int | None] = field(default_factory=dict)
    redis_url: str = ""  # shared broker and counters; empty: in-process queue and rate-limit counts (one instance)
    tasks_queue: str = "demarche"  # the queue's name on the broker (tests use one per test)
    tasks_immediate: bool = True  # test mode only: each job runs at once in the caller (0: an embedded worker)
    prefill_patience: int = 120  # seconds a citizen waits for their data at most, then the manual path
    expectations_min_dossiers: int = 10  # fewer decided dossiers: the processing time is not shown
    api_rate_limit: str = "600/minute"  # per API token (Flask-Limiter notation)
    citizen_rate_limit: str = "10/hour;30/day"  # per signed-in person and action (messages, consents)
    # Outbound calls (demarche/resilience): shared state in Redis when set, per provider limits.
    redis_key_prefix: str = "demarche"
    api_particulier_rate_limit: str = "20/second"  # API Particulier: 20 calls/s per token, every route
    api_particulier_ip_rate_limit: str = "1000/minute"  # and 1,000 calls/min per egress IP, all tokens together
    impot_particulier_rate_limit: str = ""  # the DGFiP publishes no quota: none unless the operator sets one
    provider_quota_margin: float = 0.8  # share of each limit paced through Redis; the rest is the fallback's
    provider_callers: int = 2  # processes that may call a provider at once (task workers): splits the fallback
    provider_concurrency: int = 12  # concurrent calls to one provider per process (gunicorn: 32 threads)
    provider_slot_wait: float = 0.1  # seconds a call may wait for one of those slots (a thread waits too)
    # Seconds a call may wait in its thread for the quota's turn (a task worker's thread, not a web thread since
    # issue 18); beyond, the prefill job is re-scheduled by the queue (RetryTask) and the waiting page says when.
    provider_quota_wait: float = 10.0
    provider_slow_call: float = 2.0  # a data provider's call slower than this counts as a failure (0: off)
    circuit_failures: int = 5  # failures within 30 s that open a provider's circuit
    circuit_cooldown: float = 30.0  # seconds the circuit stays open before one trial call
    impot_particulier_url: str = ""  # empty: the DGFiP is not offered
    impot_particulier_client_id: str = ""
    impot_particulier_client_secret: str = ""
    impot_particulier_id_teleservice: str = ""
    # TRUSTED_PROXIES (demarche/proxies.py): a number of hops, or the proxies' networks; neither: none trusted.
    trusted_proxy_hops: int = 0
    trusted_proxy_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    # PostgreSQL connections (demarche/config/connections.py): each process's pool, its worst case for the whole
    # deployment, checked at start-up unless a pooler (PgBouncer) is in front.
    db_budget: connections.Budget = field(default_factory=connections.Budget)
    db_pool_timeout: float = 5.0
    db_pooler: str = ""
    db_check: bool = True
    email_login: bool = True  # EMAIL_LOGIN=0: no « Je n’ai pas FranceConnect » account by e-mail code
    counter_filing: bool = True  # COUNTER_FILING=0: no « Déposer pour un usager présent » in the back-office

    @property
    def impot_particulier(self) -> bool:
        """The DGFiP is offered with a gateway account, in the FranceConnect modality only: it identifies the
        citizen from their FranceConnect access token, which the identite modality never asks for."""
        return bool(self.impot_particulier_url) and self.api_particulier_modality == "france_connect"
    data_encryption_keys: tuple[str, ...] = field(default=(), repr=False)  # Fernet keys, newest first
    renewal_invitation_date: str = "06-01"  # MM-DD: the renewal invitations go out from this day (demarche/renewal)

    @property
    def https(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def backoffice(self) -> bool:
        """The agents' back-office exists only when a ProConnect client is configured."""
        return bool(self.pc_issuer)


def load_settings(env: dict[str, str] | None = None, instance_path: str = "instance") -> Settings:
    """Read and validate the environment; raise ConfigurationError naming the faulty variable."""
    env = dict(os.environ if env is None else env)
    mode = env.get("DEMARCHE_ENV", "production")
    if mode not in MODES:
        raise ConfigurationError("DEMARCHE_ENV", f"valeurs possibles : {', '.join(MODES)}", f"one of {MODES}")
    if mode != "production":
        for key, value in DEMO_DEFAULTS.items():
            env.setdefault(key, value)
        if not env.get("SECRET_KEY"):  # one key for every worker of this installation (instance/secret_key)
            env["SECRET_KEY"] = shared_secret(instance_path)
    if mode == "demo":
        for key, value in DEMO_ONLY_DEFAULTS.items():
            env.setdefault(key, value)
    for name in REQUIRED_IN_PRODUCTION:
        if not env.get(name):
            raise ConfigurationError(name, "variable obligatoire non définie", "required variable is not set")
    secret_key = env["SECRET_KEY"]
    if mode == "production" and len(secret_key) < 32:
        raise ConfigurationError(
            "SECRET_KEY", "trop courte : 32 caractères aléatoires au moins", "too short: use 32+ random characters"
        )
    for name in ("PUBLIC_URL", "FRANCECONNECT_ISSUER"):
        check_url(name, env[name])
    api_url = env.get("API_PARTICULIER_URL", "")
    if api_url:
        check_url("API_PARTICULIER_URL", api_url)
    modality = env.get("API_PARTICULIER_MODALITY", "france_connect")
    if modality not in ("france_connect", "identite"):
        raise ConfigurationError(
            "API_PARTICULIER_MODALITY", "valeurs possibles : france_connect, identite", "france_connect or identite"
        )
    if modality == "identite" and not env.get("API_PARTICULIER_TOKEN"):
        raise ConfigurationError("API_PARTICULIER_TOKEN", "obligatoire avec la modalité identite",
                                 "required with the identite modality")
    recipient = env.get("API_PARTICULIER_RECIPIENT", "")
    if recipient and not (len(recipient) == 14 and recipient.isdigit()):
        raise ConfigurationError(
            "API_PARTICULIER_RECIPIENT", "un SIRET de 14 chiffres est attendu", "a 14-digit SIRET is expected"
        )
    default_db = f"sqlite:///{Path(instance_path).resolve() / 'demarche.sqlite3'}"
    return Settings(
        mode=mode,
        secret_key=secret_key,
        database_url=env.get("DATABASE_URL") or default_db,
        public_url=env["PUBLIC_URL"].rstrip("/"),
        fc_issuer=env["FRANCECONNECT_ISSUER"].rstrip("/"),
        fc_client_id=env["FRANCECONNECT_CLIENT_ID"],
        fc_client_secret=env["FRANCECONNECT_CLIENT_SECRET"],
        api_particulier_url=api_url.rstrip("/"),
        api_particulier_token=env.get("API_PARTICULIER_TOKEN", ""),
        api_particulier_recipient=recipient,
        api_particulier_modality=modality,
        api_particulier_timeout=float(env.get("API_PARTICULIER_TIMEOUT", "5")),
        commune_name=env.get("COMMUNE_NAME", "Ville de Démarche-sur-Loire"),
        session_idle_minutes=int(env.get("SESSION_IDLE_MINUTES", "30")),
        session_absolute_hours=int(env.get("SESSION_ABSOLUTE_HOURS", "12")),
        coulisses=env.get("COULISSES", "1" if mode == "demo" else "0") == "1",
        **sections.proconnect(env), **sections.mail(env), **sections.impot_particulier(env),
        retention_days=sections.retention(env),
        **sections.tasks(env), **sections.api(env), **sections.resilience(env), **sections.proxies(env),
        expectations_min_dossiers=integer(env, "EXPECTATIONS_MIN_DOSSIERS", "10"),
        renewal_invitation_date=month_day(env, "RENEWAL_INVITATION_DATE", "06-01"),
        **_database(env, mode),
        email_login=sections.switch(env, "EMAIL_LOGIN", "1"),
        counter_filing=sections.switch(env, "COUNTER_FILING", "1"),
        data_encryption_keys=sections.encryption(env, secret_key),
    )


def _database(env: dict[str, str], mode: str) -> dict:
    """The pool of each process and the deployment's connection budget (checked by create_app)."""
    redis_url = env.get("REDIS_URL", "")
    return {"db_budget": connections.budget_of(env, redis_url), "db_pool_timeout": connections.pool_timeout(env),
            "db_pooler": connections.pooler(env),
            "db_check": env.get("DB_CHECK_CONNECTIONS", "0" if mode == "test" else "1") == "1"}


def flask_config(settings: Settings) -> dict:
    """Map settings to the keys Flask and its extensions read."""
    # hide_parameters: a failed statement's values (names, birth dates…) never reach a log line.
    # pool_size + max_overflow: gunicorn's threads per worker (gunicorn.conf.py: 32). With SQLAlchemy's default
    # of 5, each request beyond the fifth opened and closed its own PostgreSQL connection (the benchmark).
    # No pool_pre_ping: it cost a round trip on every checkout. A connection dropped by a PostgreSQL restart
    # shows on its first query, which demarche/sessions.py retries once on a fresh connection (SQLAlchemy
    # then discards the whole pool); pool_recycle replaces connections before a firewall's idle cut.
    # pool_timeout: a request that cannot get a connection within DB_POOL_TIMEOUT gets the « service très
    # sollicité » page (demarche/errors.py), long before gunicorn's 30 s worker timeout.
    budget = settings.db_budget
    engine_options: dict = {"pool_size": budget.pool_size, "max_overflow": budget.max_overflow,
                            "pool_timeout": settings.db_pool_timeout, "pool_recycle": 1800, "hide_parameters": True}
    if settings.db_pooler == "pgbouncer":
        # PgBouncer's transaction pooling hands each transaction any server connection: psycopg's server-side
        # prepared statements would be missing there. https://www.psycopg.org/psycopg3/docs/advanced/prepare.html
        engine_options["connect_args"] = {"prepare_threshold": None}
    if settings.database_url.startswith("sqlite"):
        engine_options = {"connect_args": {"timeout": 15}, "hide_parameters": True}
        if ":memory:" not in settings.database_url and settings.database_url != "sqlite://":  # a file: a QueuePool
            engine_options.update(pool_size=budget.pool_size, max_overflow=budget.max_overflow,
                                  pool_timeout=settings.db_pool_timeout)
    return {
        "SECRET_KEY": settings.secret_key,
        "SQLALCHEMY_DATABASE_URI": settings.database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "PREFERRED_URL_SCHEME": "https" if settings.https else "http",
        "SESSION_COOKIE_NAME": "__Host-demarche" if settings.https else "demarche_session",
        "SESSION_COOKIE_SECURE": settings.https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",  # not Strict: FranceConnect's callback is a cross-site GET
        "WTF_CSRF_TIME_LIMIT": None,  # the CSRF secret dies with the server-side session
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "TESTING": settings.mode == "test",
    }
