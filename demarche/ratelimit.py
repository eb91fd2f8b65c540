"""Rate limits per client: the public pages that could be used to guess (the verification page) or to flood
(the opinions), and the signed-in person's actions that send e-mail or spend a provider's quota. Flask-Limiter
(https://flask-limiter.readthedocs.io) counts in memory, or in Redis under REDIS_KEY_PREFIX when REDIS_URL is
set, so that every worker and instance shares the counts. The client is the address demarche/proxies.py found."""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, Flask, current_app, request, session
from flask_limiter import Limiter
from limits import parse_many

# Flask-Limiter logs each refusal with the client's address: personal data, not wanted in our logs.
logging.getLogger("flask-limiter").setLevel(logging.ERROR)

# The actions a signed-in person may repeat, per account (moving windows, every instance together).
ACTIONS = {
    "message": "10 per hour;30 per day",  # each citizen message notifies the organisation's agents
    "consent": "10 per hour;30 per day",  # a consent is a draft, and on « accept » a provider call
    "submission": "10 per hour;30 per day",  # each deposit e-mails a receipt
    "correction": "10 per hour;30 per day",  # each corrected dossier notifies the organisation
}


def init_app(app: Flask, redis_url: str, key_prefix: str) -> Limiter:
    """One limiter per app (tests build many apps in one process), storage from REDIS_URL or memory;
    `key_prefix` (REDIS_KEY_PREFIX) keeps two services on one Redis from sharing their counts."""
    limiter = Limiter(address_key, app=app, storage_uri=redis_url or "memory://", key_prefix=f"{key_prefix}:pages",
                      headers_enabled=True, strategy="moving-window")
    app.extensions["demarche_limiter"] = limiter
    app.extensions["demarche_limit_prefix"] = f"{key_prefix}:actions"
    only_for(limiter, app.extensions.setdefault("demarche_limited", set()))
    return limiter


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
    limiter: Limiter = current_app.extensions["demarche_limiter"]
    identity = (current_app.extensions["demarche_limit_prefix"], action, account_key())
    items = parse_many(ACTIONS[action])
    for item in items:
        if not limiter.limiter.test(item, *identity):
            reset = limiter.limiter.get_window_stats(item, *identity).reset_time
            return Refusal(max(1, math.ceil(reset - time.time())))
    for item in items:
        limiter.limiter.hit(item, *identity)
    return None
