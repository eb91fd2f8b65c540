"""The API's rate limit: API_RATE_LIMIT per token (per client address without a valid token, after
TRUSTED_PROXIES), counted in Redis under REDIS_KEY_PREFIX when REDIS_URL is set so that every process shares the
counters, else in each process's memory.

Flask-Limiter (https://flask-limiter.readthedocs.io/) does the counting; one limiter per app, so that two
apps in one process (the tests) never share counters.
"""

from __future__ import annotations

import math
import time

from flask import Blueprint, Flask
from flask_limiter import Limiter, RequestLimit

from demarche import ratelimit
from demarche.api import problems, tokens
from demarche.config import Settings


def rate_key() -> str:
    """The token's id and a piece of its hash (unique across databases sharing one Redis), else the address."""
    token = tokens.from_request()
    return f"token:{token.id}:{token.token_hash[:12]}" if token else ratelimit.address_key()


UNITS = {"second": "seconde", "minute": "minute", "hour": "heure", "day": "jour", "month": "mois", "year": "an"}


def _breached(limit: RequestLimit):
    retry_after = max(1, math.ceil(limit.window[0] - time.time()))  # window[0]: when the oldest hit expires
    item = limit.limit
    unit = UNITS[item.GRANULARITY.name]
    window = f"{item.multiples} {unit.removesuffix('s')}s" if item.multiples > 1 else unit
    return problems.problem(429, f"Limite de {item.amount} requêtes par {window} atteinte : réessayez dans "
                            f"{retry_after} s (en-tête Retry-After).", code="limite_de_debit",
                            headers={"Retry-After": str(retry_after)})


def init_app(app: Flask, settings: Settings, bp: Blueprint) -> Limiter:
    """Count every request to the blueprint's routes, all routes together, per token."""
    limiter = Limiter(rate_key, app=app, key_prefix=f"{settings.redis_key_prefix}:api", headers_enabled=False,
                      strategy="moving-window", **ratelimit.storage(settings.redis_url))
    limiter.shared_limit(settings.api_rate_limit, scope="api-v1", on_breach=_breached)(bp)
    ratelimit.only_for(limiter, {bp.name})
    return limiter
