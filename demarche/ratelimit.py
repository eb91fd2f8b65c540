"""Rate limits per client: the public pages that could be used to guess (the verification page) or to flood
(the opinions), and the signed-in person's actions that send e-mail or spend a provider's quota. Flask-Limiter
(https://flask-limiter.readthedocs.io) counts in memory, or in Redis under REDIS_KEY_PREFIX when REDIS_URL is
set, so that every worker and instance shares the counts. The client is the address demarche/proxies.py found."""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, current_app, request, session, url_for
from flask_limiter import Limiter
from limits import parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter, RateLimiter
from redis import RedisError

log = logging.getLogger("demarche.ratelimit")

# The actions a signed-in person repeats within CITIZEN_RATE_LIMIT, each counted apart, per account (moving
# windows, every instance together). A consent makes a draft (so at most one deposit and its receipt e-mail)
# and, accepted, calls the providers on the commune's quota; a message notifies the organisation's agents.
ACTIONS = {
    "consent": "Vous avez commencé ou actualisé beaucoup de démarches en peu de temps",
    "message": "Vous avez envoyé beaucoup de messages en peu de temps",
}


def init_app(app: Flask) -> Limiter:
    """One limiter per app (tests build many apps in one process), storage from REDIS_URL or memory;
    REDIS_KEY_PREFIX keeps two services on one Redis from sharing their counts."""
    # Flask-Limiter logs each refusal with the client's address: personal data, not wanted in our logs.
    logging.getLogger("flask-limiter").setLevel(logging.ERROR)
    redis_url, key_prefix = app.config["SETTINGS"].redis_url, app.config["SETTINGS"].redis_key_prefix
    limiter = Limiter(address_key, app=app, key_prefix=f"{key_prefix}:pages", headers_enabled=True,
                      strategy="moving-window", **storage(redis_url))
    app.extensions["demarche_limiter"] = limiter
    app.extensions["demarche_limit_fallback"] = MovingWindowRateLimiter(MemoryStorage())
    app.extensions["demarche_limit_prefix"] = f"{key_prefix}:actions"
    only_for(limiter, app.extensions.setdefault("demarche_limited", set()))
    return limiter


def storage(redis_url: str) -> dict:
    """Flask-Limiter's storage options: Redis with short timeouts, and each process's memory while Redis is
    unreachable (the service keeps serving; the counts are per process until Redis is back); else memory."""
    if not redis_url:
        return {"storage_uri": "memory://"}
    return {"storage_uri": redis_url, "storage_options": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25},
            "in_memory_fallback_enabled": True, "swallow_errors": True}


def client_address() -> str:
    """The client's address (after TRUSTED_PROXIES); an IPv6 address counts as its /64, the network one
    subscriber's device picks its addresses from at will (RFC 8981, https://www.rfc-editor.org/rfc/rfc8981)."""
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ip.ipv4_mapped or ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def address_key() -> str:
    return f"address:{client_address()}"


def account_key() -> str:
    """The signed-in person (citizen or agent, by their pseudonymous key), else the address."""
    user_key = session.get("user_key")
    return f"account:{user_key}" if user_key else address_key()


def only_for(limiter: Limiter, blueprints: set[str]) -> None:
    """Flask-Limiter checks every request of the app for limits; skip at once those outside `blueprints`
    (its request filter), which were a tenth of a simple page's processor time."""
    limiter.request_filter(lambda: request.blueprint not in blueprints)


def limit_blueprint(app: Flask, blueprint: Blueprint, rate: str) -> None:
    """Apply `rate` (« 20 per minute ») to a blueprint's pages together, per client address and, for a
    signed-in person, per account too: one count for all the pages, so a guesser gains nothing by switching
    between the form and the QR code's URL, nor by switching addresses once signed in."""
    app.extensions["demarche_limited"].add(blueprint.name)
    limiter = app.extensions["demarche_limiter"]
    limiter.shared_limit(rate, scope=blueprint.name)(blueprint)
    limiter.shared_limit(rate, scope=f"{blueprint.name}:account", key_func=account_key,
                         exempt_when=lambda: not session.get("user_key"))(blueprint)


@dataclass(frozen=True)
class Refusal:
    """An action over its limit: when it becomes possible again."""

    retry_after: int  # seconds

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self.retry_after, UTC).replace(tzinfo=None)


def spend(action: str) -> Refusal | None:
    """Count one `action` of the signed-in person (see ACTIONS); a Refusal, counting nothing, once over."""
    if action not in ACTIONS:
        raise KeyError(action)
    identity = (current_app.extensions["demarche_limit_prefix"], action, account_key())
    items = parse_many(current_app.config["SETTINGS"].citizen_rate_limit)
    try:
        return _spend(current_app.extensions["demarche_limiter"].limiter, items, identity)
    except (RedisError, OSError, StorageError) as error:  # Redis down: this process's own counts meanwhile
        log.warning("rate-limit storage unreachable", extra={"context": {"error": type(error).__name__}})
        return _spend(current_app.extensions["demarche_limit_fallback"], items, identity)


def spend_on(scope: str, key: str, rate: str) -> Refusal | None:
    """Count one `scope` for `key` — something other than a person, e.g. the HMAC of an e-mail address a code
    is sent to — against `rate` (« 5/hour »); a Refusal, counting nothing, once over. Redis down: this process's
    own counts meanwhile."""
    identity, items = (current_app.extensions["demarche_limit_prefix"], scope, key), parse_many(rate)
    try:
        return _spend(current_app.extensions["demarche_limiter"].limiter, items, identity)
    except (RedisError, OSError, StorageError) as error:
        log.warning("rate-limit storage unreachable", extra={"context": {"error": type(error).__name__}})
        return _spend(current_app.extensions["demarche_limit_fallback"], items, identity)


def _spend(limiter: RateLimiter, items, identity: tuple[str, ...]) -> Refusal | None:
    for item in items:
        if not limiter.test(item, *identity):
            reset = limiter.get_window_stats(item, *identity).reset_time
            return Refusal(max(1, math.ceil(reset - time.time())))
    for item in items:
        limiter.hit(item, *identity)
    return None


def page_refusal() -> Refusal | None:
    """The page limit this request breached (Flask-Limiter's current limit), for the 429 page's wording."""
    limiter: Limiter | None = current_app.extensions.get("demarche_limiter")
    current = limiter.current_limit if limiter else None
    if current is None or not current.breached:
        return None
    return Refusal(max(1, math.ceil(current.window.reset_time - time.time())))


def per_account(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A POST view's decorator: count `action` for the signed-in person; past the limit, the French 429 page
    saying when it becomes possible again and what is kept meanwhile, instead of the view."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            refusal = spend(action) if request.method == "POST" else None
            return too_many(action, refusal) if refusal else view(*args, **kwargs)

        return limited

    return decorate


def too_many(action: str, refusal: Refusal):
    """The 429 page: why, when to come back (Paris time), and a way on from here."""
    from demarche.dates import display
    from demarche.error_pages import render_error

    message = (f"{ACTIONS[action]}. Pour protéger le service et les données de la commune, vous pourrez "
               f"recommencer à partir du {display(refusal.at)}. Vos dossiers déposés et votre brouillon en cours "
               "sont conservés : retrouvez-les dans « Mes démarches ».")
    html, status = render_error(429, "Trop de demandes en peu de temps", message,
                                link=(url_for("journey.my_dossiers"), "Mes démarches"))
    return html, status, {"Retry-After": str(refusal.retry_after)}
