"""Rate limits of the public pages that could be used to guess (the verification page) or to flood
(the opinions): Flask-Limiter, counting per client address in memory, or in Redis when REDIS_URL is set
so that every worker and instance shares the counts (https://flask-limiter.readthedocs.io)."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Flask-Limiter logs each refusal with the client's address: personal data, not wanted in our logs.
logging.getLogger("flask-limiter").setLevel(logging.ERROR)


def init_app(app: Flask, redis_url: str, key_prefix: str = "demarche") -> Limiter:
    """One limiter per app (tests build many apps in one process), storage from REDIS_URL or memory."""
    limiter = Limiter(get_remote_address, app=app, storage_uri=redis_url or "memory://", key_prefix=key_prefix,
                      headers_enabled=True)
    app.extensions["demarche_limiter"] = limiter
    only_for(limiter, app.extensions.setdefault("demarche_limited", set()))
    return limiter


def only_for(limiter: Limiter, blueprints: set[str]) -> None:
    """Flask-Limiter checks every request of the app for limits; skip at once those outside `blueprints`
    (its request filter), which were a tenth of a simple page's processor time."""
    limiter.request_filter(lambda: request.blueprint not in blueprints)


def limit_blueprint(app: Flask, blueprint: Blueprint, rate: str) -> None:
    """Apply `rate` (« 20 per minute ») to a blueprint's pages together, per client address: one count for
    all of them, so a guesser gains nothing by switching between the form and the QR code's URL."""
    app.extensions["demarche_limited"].add(blueprint.name)
    app.extensions["demarche_limiter"].shared_limit(rate, scope=blueprint.name)(blueprint)
