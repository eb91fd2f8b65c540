"""Configuration read once from the environment (the public names are listed in the README).

Three run modes, chosen by ``DEMARCHE_ENV``: ``production`` (the default: every required
variable must be set and safe), ``demo`` and ``test`` (safe local defaults, simulators on loopback).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from demarche.instance_secret import shared_secret

MODES = ("production", "demo", "test")

# The demo's FranceConnect client, registered in the FranceConnect simulator too
# (demarche/sandbox/defaults.py). 64 hex characters, like real FranceConnect client ids.
DEMO_FC_CLIENT_ID = "d3m0" + "0" * 28 + "fc00" + "0" * 27 + "1"
DEMO_FC_CLIENT_SECRET = "demo-franceconnect-secret-not-for-production"  # noqa: S105 - public demo value
DEMO_API_PARTICULIER_TOKEN = "demo-api-particulier-token-not-for-production"  # noqa: S105
DEMO_RECIPIENT_SIRET = "21750001600019"  # SIRET de la Ville de Paris, used as the demo commune's SIRET
# The demo's ProConnect client (agents' back-office), registered in the ProConnect simulator too.
DEMO_PC_CLIENT_ID = "d3m0" + "0" * 28 + "9c00" + "0" * 27 + "1"
DEMO_PC_CLIENT_SECRET = "demo-proconnect-secret-not-for-production"  # noqa: S105 - public demo value
# The demo's account on the DGFiP's API gateway and its ID_Teleservice, known to the DGFiP simulator too.
DEMO_IMPOT_PARTICULIER_CLIENT_ID = "demarche-demo-dgfip"
DEMO_IMPOT_PARTICULIER_CLIENT_SECRET = "demarche-demo-dgfip-secret"  # noqa: S105 - public demo value
DEMO_IMPOT_PARTICULIER_ID_TELESERVICE = "DEMARCHE-DEMO-0001"

DEMO_DEFAULTS = {
    "PUBLIC_URL": "http://localhost:5000",
    "FRANCECONNECT_ISSUER": "http://localhost:5001/api/v2",
    "FRANCECONNECT_CLIENT_ID": DEMO_FC_CLIENT_ID,
    "FRANCECONNECT_CLIENT_SECRET": DEMO_FC_CLIENT_SECRET,
    "API_PARTICULIER_URL": "http://localhost:5002",
    "API_PARTICULIER_TOKEN": DEMO_API_PARTICULIER_TOKEN,
    "API_PARTICULIER_RECIPIENT": DEMO_RECIPIENT_SIRET,
    "API_PARTICULIER_MODALITY": "france_connect",
    "PROCONNECT_ISSUER": "http://localhost:5003/api/v2",
    "PROCONNECT_CLIENT_ID": DEMO_PC_CLIENT_ID,
    "PROCONNECT_CLIENT_SECRET": DEMO_PC_CLIENT_SECRET,
    "IMPOT_PARTICULIER_URL": "http://localhost:5005",
    "IMPOT_PARTICULIER_CLIENT_ID": DEMO_IMPOT_PARTICULIER_CLIENT_ID,
    "IMPOT_PARTICULIER_CLIENT_SECRET": DEMO_IMPOT_PARTICULIER_CLIENT_SECRET,
    "IMPOT_PARTICULIER_ID_TELESERVICE": DEMO_IMPOT_PARTICULIER_ID_TELESERVICE,
}
# The demo only (the tests start their own mail sink): the sandbox's mailbox, demarche/sandbox/mailbox/.
DEMO_ONLY_DEFAULTS = {"SMTP_HOST": "localhost", "SMTP_PORT": "1025"}
PROCONNECT_VARIABLES = ("PROCONNECT_ISSUER", "PROCONNECT_CLIENT_ID", "PROCONNECT_CLIENT_SECRET")
IMPOT_PARTICULIER_VARIABLES = ("IMPOT_PARTICULIER_CLIENT_ID", "IMPOT_PARTICULIER_CLIENT_SECRET",
                               "IMPOT_PARTICULIER_ID_TELESERVICE")
# Days a dossier is kept after its last event, per status; None: never purged (a dossier being
# processed is never deleted, as in demarches-simplifiees). Each is overridden by RETENTION_DAYS_<STATUS>.
RETENTION_DEFAULTS: dict[str, int | None] = {
    "depose": 365, "en_instruction": None, "en_attente_de_correction": None,  # waiting on the citizen: kept
    "accepte": 365, "refuse": 365, "sans_suite": 90,
    "access_log": 365,  # the agents' access journal (CNIL: 6 months to 1 year for such traces)
    "inactive_account": 365,  # a citizen with no dossier left, counted from their last login
}

REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "PUBLIC_URL",
    "FRANCECONNECT_ISSUER",
    "FRANCECONNECT_CLIENT_ID",
    "FRANCECONNECT_CLIENT_SECRET",
    "API_PARTICULIER_URL",
    "API_PARTICULIER_RECIPIENT",
)


class ConfigurationError(RuntimeError):
    """A variable is missing or unsafe; the message names it, in French and English."""

    def __init__(self, name: str, fr: str, en: str):
        super().__init__(f"{name} : {fr} / {name}: {en}")
        self.name = name


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
    expectations_min_dossiers: int = 10  # fewer decided dossiers: the processing time is not shown
    api_rate_limit: str = "600/minute"  # per API token (Flask-Limiter notation)
    # Outbound calls (demarche/resilience): shared state in Redis when set, per provider limits.
    redis_key_prefix: str = "demarche"
    api_particulier_rate_limit: str = "20/second"  # API Particulier: 20 calls/s per token, every route
    provider_concurrency: int = 12  # concurrent calls to one provider per process (gunicorn: 32 threads)
    provider_slot_wait: float = 0.1  # seconds a call may wait for one of those slots (a thread waits too)
    provider_quota_wait: float = 2.0  # seconds a citizen may wait for the quota before the manual path
    provider_slow_call: float = 2.0  # a data provider's call slower than this counts as a failure (0: off)
    circuit_failures: int = 5  # failures within 30 s that open a provider's circuit
    circuit_cooldown: float = 30.0  # seconds the circuit stays open before one trial call
    impot_particulier_url: str = ""  # empty: the DGFiP is not offered
    impot_particulier_client_id: str = ""
    impot_particulier_client_secret: str = ""
    impot_particulier_id_teleservice: str = ""

    @property
    def impot_particulier(self) -> bool:
        """The DGFiP is offered with a gateway account, in the FranceConnect modality only: it identifies the
        citizen from their FranceConnect access token, which the identite modality never asks for."""
        return bool(self.impot_particulier_url) and self.api_particulier_modality == "france_connect"
    renewal_invitation_date: str = "06-01"  # MM-DD: the renewal invitations go out from this day (demarche/renewal)

    @property
    def https(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def backoffice(self) -> bool:
        """The agents' back-office exists only when a ProConnect client is configured."""
        return bool(self.pc_issuer)


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(name, f"« {url} » n'est pas une URL http(s) valide", f"'{url}' is not a valid URL")
    if parts.scheme == "http" and not _is_loopback(url):
        raise ConfigurationError(
            name,
            "http:// n'est accepté que sur une adresse locale (127.0.0.1, localhost) ; utilisez https://",
            "plain http:// is only accepted on a loopback address; use https://",
        )


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
        _check_url(name, env[name])
    api_url = env.get("API_PARTICULIER_URL", "")
    if api_url:
        _check_url("API_PARTICULIER_URL", api_url)
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
        **_proconnect(env), **_mail(env), **_impot_particulier(env), retention_days=_retention(env),
        **_tasks(env), **_api(env), **_resilience(env),
        expectations_min_dossiers=_integer(env, "EXPECTATIONS_MIN_DOSSIERS", "10"),
        renewal_invitation_date=_month_day(env, "RENEWAL_INVITATION_DATE", "06-01"),
    )


def _proconnect(env: dict[str, str]) -> dict:
    """The three ProConnect variables: all or none (none turns the back-office off)."""
    given = [name for name in PROCONNECT_VARIABLES if env.get(name)]
    if not given:
        return {}
    for name in PROCONNECT_VARIABLES:
        if not env.get(name):
            raise ConfigurationError(name, "obligatoire dès qu'une variable PROCONNECT_* est définie",
                                     "required once any PROCONNECT_* variable is set")
    _check_url("PROCONNECT_ISSUER", env["PROCONNECT_ISSUER"])
    return {"pc_issuer": env["PROCONNECT_ISSUER"].rstrip("/"), "pc_client_id": env["PROCONNECT_CLIENT_ID"],
            "pc_client_secret": env["PROCONNECT_CLIENT_SECRET"], "pc_require_mfa": _require_mfa(env)}


def _impot_particulier(env: dict[str, str]) -> dict:
    """IMPOT_PARTICULIER_URL (the gateway, before /token and /impotparticulier/1.0) and the account the DGFiP
    gives after DataPass; optional: without the URL, no démarche offers the DGFiP."""
    url = env.get("IMPOT_PARTICULIER_URL", "")
    if not url:
        return {}
    _check_url("IMPOT_PARTICULIER_URL", url)
    for name in IMPOT_PARTICULIER_VARIABLES:
        if not env.get(name):
            raise ConfigurationError(name, "obligatoire avec IMPOT_PARTICULIER_URL",
                                     "required with IMPOT_PARTICULIER_URL")
    client_id, secret, teleservice = (env[name] for name in IMPOT_PARTICULIER_VARIABLES)
    return {"impot_particulier_url": url.rstrip("/"), "impot_particulier_client_id": client_id,
            "impot_particulier_client_secret": secret, "impot_particulier_id_teleservice": teleservice}


def _require_mfa(env: dict[str, str]) -> bool:
    """PROCONNECT_REQUIRE_MFA (true/false, default false): when true, the service asks ProConnect for a
    second factor and refuses an agent whose acr is not a double-authentication one (eidas0-mfa,
    eidas1-mfa, eidas2, eidas3), with a page explaining how to turn it on. See docs/authentification.md and
    https://github.com/numerique-gouv/proconnect-documentation/blob/main/doc_fs/double_authentification.md"""
    value = env.get("PROCONNECT_REQUIRE_MFA", "false").strip().lower()
    if value not in ("true", "false"):
        raise ConfigurationError("PROCONNECT_REQUIRE_MFA", "valeurs possibles : true, false", "true or false")
    return value == "true"


def _mail(env: dict[str, str]) -> dict:
    """SMTP settings; STARTTLS defaults to on, except towards a loopback relay."""
    host = env.get("SMTP_HOST", "")
    port = _integer(env, "SMTP_PORT", "587" if host and not _is_loopback(f"smtp://{host}") else "25")
    starttls = env.get("SMTP_STARTTLS", "0" if not host or _is_loopback(f"smtp://{host}") else "1")
    if starttls not in ("0", "1"):
        raise ConfigurationError("SMTP_STARTTLS", "valeurs possibles : 0, 1", "0 or 1")
    production = env.get("DEMARCHE_ENV", "production") == "production"
    if host and production and not env.get("MAIL_FROM"):
        raise ConfigurationError("MAIL_FROM", "obligatoire avec SMTP_HOST", "required with SMTP_HOST")
    return {"smtp_host": host, "smtp_port": port, "smtp_user": env.get("SMTP_USER", ""),
            "smtp_password": env.get("SMTP_PASSWORD", ""), "smtp_starttls": starttls == "1",
            "mail_from": env.get("MAIL_FROM") or "Ville de Démarche-sur-Loire <ne-pas-repondre@demarche.example>"}


def _tasks(env: dict[str, str]) -> dict:
    """REDIS_URL (redis:// or rediss://) selects the shared broker of the task queue."""
    url = env.get("REDIS_URL", "")
    if url and urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigurationError("REDIS_URL", "une URL redis://, rediss:// ou unix:// est attendue",
                                 "a redis://, rediss:// or unix:// URL is expected")
    return {"redis_url": url, "tasks_queue": env.get("TASKS_QUEUE") or "demarche"}


def _api(env: dict[str, str]) -> dict:
    """API_RATE_LIMIT, checked with the limits library's parser."""
    from limits import parse_many

    rate = env.get("API_RATE_LIMIT") or "600/minute"
    try:
        parse_many(rate)
    except ValueError:
        raise ConfigurationError("API_RATE_LIMIT", "format attendu : « 600/minute », « 10/second »…",
                                 "expected e.g. '600/minute'") from None
    return {"api_rate_limit": rate}


def _resilience(env: dict[str, str]) -> dict:
    """The API Particulier quota and the per-provider limits of demarche/resilience."""
    from demarche.resilience.quota import parse_rate

    rate = env.get("API_PARTICULIER_RATE_LIMIT", "20/second")
    try:
        parse_rate(rate)
    except ValueError:
        raise ConfigurationError("API_PARTICULIER_RATE_LIMIT", "attendu sous la forme « 20/second »",
                                 "expected like '20/second'") from None
    return {"redis_key_prefix": env.get("REDIS_KEY_PREFIX") or "demarche",
            "api_particulier_rate_limit": rate,
            "provider_concurrency": max(1, _integer(env, "PROVIDER_CONCURRENCY", "12")),
            "circuit_cooldown": float(_integer(env, "CIRCUIT_COOLDOWN_SECONDS", "30")),
            "provider_slow_call": float(_integer(env, "PROVIDER_SLOW_CALL_SECONDS", "2"))}


def _retention(env: dict[str, str]) -> dict[str, int | None]:
    """RETENTION_DAYS_<KIND> in days; 0 means never purged."""
    days = {}
    for kind, default in RETENTION_DEFAULTS.items():
        value = _integer(env, f"RETENTION_DAYS_{kind.upper()}", str(default or 0))
        days[kind] = value or None
    return days


def _month_day(env: dict[str, str], name: str, default: str) -> str:
    """A day of the year, MM-DD (« 06-01 » for the 1st of June)."""
    value = (env.get(name) or default).strip()
    try:
        date.fromisoformat(f"2000-{value}")  # a leap year: « 02-29 » is a day too
    except ValueError:
        raise ConfigurationError(name, "un jour au format MM-JJ est attendu, par exemple 06-01",
                                 "a day formatted MM-DD is expected, e.g. 06-01") from None
    return value


def _integer(env: dict[str, str], name: str, default: str) -> int:
    try:
        value = int(env.get(name) or default)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigurationError(name, "un nombre entier positif est attendu", "a non-negative integer is expected")
    return value


def flask_config(settings: Settings) -> dict:
    """Map settings to the keys Flask and its extensions read."""
    # hide_parameters: a failed statement's values (names, birth dates…) never reach a log line.
    # pool_size + max_overflow: gunicorn's threads per worker (gunicorn.conf.py: 32). With SQLAlchemy's default
    # of 5, each request beyond the fifth opened and closed its own PostgreSQL connection (the benchmark).
    # No pool_pre_ping: it cost a round trip on every checkout. A connection dropped by a PostgreSQL restart
    # shows on its first query, which demarche/sessions.py retries once on a fresh connection (SQLAlchemy
    # then discards the whole pool); pool_recycle replaces connections before a firewall's idle cut.
    engine_options: dict = {"pool_size": 16, "max_overflow": 16, "pool_recycle": 1800, "hide_parameters": True}
    if settings.database_url.startswith("sqlite"):
        engine_options = {"connect_args": {"timeout": 15}, "hide_parameters": True}
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
