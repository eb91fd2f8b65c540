"""The settings of each part of the service, read from the environment: ProConnect, the DGFiP, e-mail, the
task queue, the API, the providers' resilience, the reverse proxies, retention."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

from demarche.config.checks import ConfigurationError, check_url, integer, is_loopback, parse_rate
from demarche.config.defaults import IMPOT_PARTICULIER_VARIABLES, PROCONNECT_VARIABLES, RETENTION_DEFAULTS


def proconnect(env: dict[str, str]) -> dict:
    """The three ProConnect variables: all or none (none turns the back-office off)."""
    given = [name for name in PROCONNECT_VARIABLES if env.get(name)]
    if not given:
        return {}
    for name in PROCONNECT_VARIABLES:
        if not env.get(name):
            raise ConfigurationError(name, "obligatoire dès qu'une variable PROCONNECT_* est définie",
                                     "required once any PROCONNECT_* variable is set")
    check_url("PROCONNECT_ISSUER", env["PROCONNECT_ISSUER"])
    return {"pc_issuer": env["PROCONNECT_ISSUER"].rstrip("/"), "pc_client_id": env["PROCONNECT_CLIENT_ID"],
            "pc_client_secret": env["PROCONNECT_CLIENT_SECRET"], "pc_require_mfa": require_mfa(env)}


def impot_particulier(env: dict[str, str]) -> dict:
    """IMPOT_PARTICULIER_URL (the gateway, before /token and /impotparticulier/1.0) and the account the DGFiP
    gives after DataPass; optional: without the URL, no démarche offers the DGFiP."""
    url = env.get("IMPOT_PARTICULIER_URL", "")
    if not url:
        return {}
    check_url("IMPOT_PARTICULIER_URL", url)
    for name in IMPOT_PARTICULIER_VARIABLES:
        if not env.get(name):
            raise ConfigurationError(name, "obligatoire avec IMPOT_PARTICULIER_URL",
                                     "required with IMPOT_PARTICULIER_URL")
    client_id, secret, teleservice = (env[name] for name in IMPOT_PARTICULIER_VARIABLES)
    return {"impot_particulier_url": url.rstrip("/"), "impot_particulier_client_id": client_id,
            "impot_particulier_client_secret": secret, "impot_particulier_id_teleservice": teleservice}


def require_mfa(env: dict[str, str]) -> bool:
    """PROCONNECT_REQUIRE_MFA (true/false, default false): when true, the service asks ProConnect for a
    second factor and refuses an agent whose acr is not a double-authentication one (eidas0-mfa,
    eidas1-mfa, eidas2, eidas3), with a page explaining how to turn it on. See docs/authentification.md and
    https://github.com/numerique-gouv/proconnect-documentation/blob/main/doc_fs/double_authentification.md"""
    value = env.get("PROCONNECT_REQUIRE_MFA", "false").strip().lower()
    if value not in ("true", "false"):
        raise ConfigurationError("PROCONNECT_REQUIRE_MFA", "valeurs possibles : true, false", "true or false")
    return value == "true"


def switch(env: dict[str, str], name: str, default: str) -> bool:
    """A feature switched on (1) or off (0)."""
    value = env.get(name, default).strip()
    if value not in ("0", "1"):
        raise ConfigurationError(name, "valeurs possibles : 0, 1", "0 or 1")
    return value == "1"


def mail(env: dict[str, str]) -> dict:
    """SMTP settings; STARTTLS defaults to on, except towards a loopback relay."""
    host = env.get("SMTP_HOST", "")
    port = integer(env, "SMTP_PORT", "587" if host and not is_loopback(f"smtp://{host}") else "25")
    starttls = env.get("SMTP_STARTTLS", "0" if not host or is_loopback(f"smtp://{host}") else "1")
    if starttls not in ("0", "1"):
        raise ConfigurationError("SMTP_STARTTLS", "valeurs possibles : 0, 1", "0 or 1")
    production = env.get("DEMARCHE_ENV", "production") == "production"
    if host and production and not env.get("MAIL_FROM"):
        raise ConfigurationError("MAIL_FROM", "obligatoire avec SMTP_HOST", "required with SMTP_HOST")
    return {"smtp_host": host, "smtp_port": port, "smtp_user": env.get("SMTP_USER", ""),
            "smtp_password": env.get("SMTP_PASSWORD", ""), "smtp_starttls": starttls == "1",
            "mail_from": env.get("MAIL_FROM") or "Ville de Démarche-sur-Loire <ne-pas-repondre@demarche.example>"}


def tasks(env: dict[str, str]) -> dict:
    """REDIS_URL (redis:// or rediss://) selects the shared broker of the task queue."""
    url = env.get("REDIS_URL", "")
    if url and urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigurationError("REDIS_URL", "une URL redis://, rediss:// ou unix:// est attendue",
                                 "a redis://, rediss:// or unix:// URL is expected")
    return {"redis_url": url, "tasks_queue": env.get("TASKS_QUEUE") or "demarche",
            "tasks_immediate": env.get("TASKS_IMMEDIATE", "1") != "0",
            "prefill_patience": max(10, integer(env, "PREFILL_PATIENCE_SECONDS", "120"))}


def api(env: dict[str, str]) -> dict:
    """API_RATE_LIMIT (per token) and CITIZEN_RATE_LIMIT (per signed-in person and action: messages, consents,
    demarche/ratelimit.py), checked with the limits library's parser."""
    from limits import parse_many

    rates = {}
    for name, default in (("API_RATE_LIMIT", "600/minute"), ("CITIZEN_RATE_LIMIT", "10/hour;30/day")):
        rates[name.lower()] = env.get(name) or default
        try:
            parse_many(rates[name.lower()])
        except ValueError:
            raise ConfigurationError(name, "format attendu : « 600/minute », « 10/hour;30/day »…",
                                     "expected e.g. '600/minute' or '10/hour;30/day'") from None
    return rates


def resilience(env: dict[str, str]) -> dict:
    """The providers' quotas (pacer) and the per-provider limits of demarche/resilience."""
    rates = {name: env.get(name, default) for name, default in (
        ("API_PARTICULIER_RATE_LIMIT", "20/second"), ("API_PARTICULIER_IP_RATE_LIMIT", "1000/minute"),
        ("IMPOT_PARTICULIER_RATE_LIMIT", ""))}
    for name, rate in rates.items():
        _check_rate(name, rate)
    margin = env.get("PROVIDER_QUOTA_MARGIN", "0.8")
    try:
        if not 0 < float(margin) < 1:
            raise ValueError(margin)
    except ValueError:
        raise ConfigurationError("PROVIDER_QUOTA_MARGIN", "un nombre entre 0 et 1 est attendu, par exemple 0.8",
                                 "a number between 0 and 1 is expected, e.g. 0.8") from None
    return {"redis_key_prefix": env.get("REDIS_KEY_PREFIX") or "demarche",
            "api_particulier_rate_limit": rates["API_PARTICULIER_RATE_LIMIT"],
            "api_particulier_ip_rate_limit": rates["API_PARTICULIER_IP_RATE_LIMIT"],
            "impot_particulier_rate_limit": rates["IMPOT_PARTICULIER_RATE_LIMIT"],
            "provider_quota_margin": float(margin),
            "provider_callers": max(1, integer(env, "PROVIDER_CALLERS", "2")),
            "provider_concurrency": max(1, integer(env, "PROVIDER_CONCURRENCY", "12")),
            "circuit_cooldown": float(integer(env, "CIRCUIT_COOLDOWN_SECONDS", "30")),
            "provider_slow_call": float(integer(env, "PROVIDER_SLOW_CALL_SECONDS", "2"))}


MAX_PROXY_HOPS = 10  # more hops in front of one service is a typo, not an architecture


def proxies(env: dict[str, str]) -> dict:
    """TRUSTED_PROXIES: a number of reverse-proxy hops (« 1 » behind one nginx), or the addresses and networks
    of the proxies (« 10.0.0.0/8, 192.0.2.10 »); unset: no proxy, forwarded headers are ignored."""
    value = env.get("TRUSTED_PROXIES", "").strip()
    if not value:
        return {}
    if value.isdigit():
        if int(value) > MAX_PROXY_HOPS:
            raise ConfigurationError("TRUSTED_PROXIES", f"{MAX_PROXY_HOPS} mandataires au plus",
                                     f"at most {MAX_PROXY_HOPS} hops")
        return {"trusted_proxy_hops": int(value)}
    networks = []
    for item in filter(None, re.split(r"[\s,]+", value)):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigurationError(
                "TRUSTED_PROXIES", f"« {item} » n'est ni un nombre de mandataires (1, 2…) ni une adresse IP ou un "
                "réseau (10.0.0.0/8) ; séparez les adresses par des virgules",
                f"'{item}' is neither a number of hops nor an IP address or network; separate addresses with "
                "commas") from None
    return {"trusted_proxy_networks": tuple(networks)}


def _check_rate(name: str, rate: str) -> None:
    if not rate:
        return
    try:
        parse_rate(rate)
    except ValueError:
        raise ConfigurationError(name, "attendu sous la forme « 20/second »", "expected like '20/second'") from None


def retention(env: dict[str, str]) -> dict[str, int | None]:
    """RETENTION_DAYS_<KIND> in days; 0 means never purged."""
    days = {}
    for kind, default in RETENTION_DEFAULTS.items():
        value = integer(env, f"RETENTION_DAYS_{kind.upper()}", str(default or 0))
        days[kind] = value or None
    return days


def encryption(env: dict[str, str], secret_key: str) -> tuple[str, ...]:
    """DATA_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first: it encrypts, all decrypt), then the key
    derived from SECRET_KEY, which alone serves when the variable is unset (demo, tests) and otherwise keeps
    readable what was stored before the variable was set (demarche/encryption.py)."""
    from demarche.encryption import derived_key

    keys = [key.strip() for key in env.get("DATA_ENCRYPTION_KEYS", "").split(",") if key.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise ConfigurationError(
                "DATA_ENCRYPTION_KEYS", "chaque clé doit être une clé Fernet : 32 octets en base64url (« flask "
                "webhooks new-key » en crée une)", "each key must be a Fernet key: 32 bytes, url-safe base64"
            ) from None
    derived = derived_key(secret_key)
    return tuple(keys + ([derived] if derived not in keys else []))
