"""API tokens: made once (256 random bits, shown once), kept as a SHA-256, checked on each request.

A bearer token's only proof is its possession (RFC 6750, https://www.rfc-editor.org/rfc/rfc6750), so
the database holds its hash: a dump of the table opens nothing. A high-entropy token needs no slow hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import g, request

from demarche.extensions import db
from demarche.models import ApiToken, utcnow

SCOPES = ("read", "instruct")
PREFIX = "dmrch_"  # lets secret scanners and people recognise a leaked token
DEFAULT_EXPIRY_DAYS = 365


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(siret: str, scope: str, name: str, expires_days: int = DEFAULT_EXPIRY_DAYS) -> tuple[ApiToken, str]:
    """Store a new token for this organisation; returns the row and the token (never stored, shown once)."""
    if scope not in SCOPES:
        raise ValueError(scope)
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(siret=siret, scope=scope, name=name, token_hash=digest(token),
                   expires_at=utcnow() + timedelta(days=expires_days))
    db.session.add(row)
    db.session.commit()
    return row, token


def revoke(token_id: int) -> ApiToken | None:
    row = db.session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
    return row


def is_active(row: ApiToken) -> bool:
    return row.revoked_at is None and row.expires_at > utcnow()


def from_request() -> ApiToken | None:
    """The valid token of `Authorization: Bearer …`, or None (missing, unknown, revoked, expired); cached."""
    if "api_token" not in g:
        g.api_token = _lookup(request.headers.get("Authorization", ""))
    return g.api_token


def _lookup(header: str) -> ApiToken | None:
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    wanted = digest(token)
    row = db.session.scalar(db.select(ApiToken).filter_by(token_hash=wanted))
    # The lookup is by hash, so timing tells nothing of the token; compare_digest is belt and braces.
    if row is None or not hmac.compare_digest(row.token_hash, wanted) or not is_active(row):
        return None
    return row
