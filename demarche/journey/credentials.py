"""What a prefill job needs to act for the citizen (their FranceConnect access token, their pivot identity),
sealed for the queue: the broker stores task arguments as they are (pickle, in Redis), so they travel
encrypted and authenticated with a key derived from SECRET_KEY, and expire with the job's patience.

Fernet (AES-128-CBC + HMAC-SHA256, https://cryptography.io/en/latest/fernet/) from `cryptography`, which the
service already has through joserfc; HKDF (RFC 5869) derives a key of its own from SECRET_KEY.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from demarche.identity import PivotIdentity

__all__ = ["Credentials", "InvalidToken", "seal", "unseal"]


@dataclass(frozen=True)
class Credentials:
    """The citizen's FranceConnect access token (france_connect modality, else None) and pivot identity."""

    fc_token: str | None
    identity: PivotIdentity


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"demarche prefill job credentials").derive(
        current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(credentials: Credentials) -> str:
    """An opaque string for the job's arguments."""
    body = {"fc_token": credentials.fc_token, "identity": credentials.identity.to_dict()}
    return _fernet().encrypt(json.dumps(body).encode()).decode()


def unseal(sealed: str, max_age: float) -> Credentials:
    """The credentials back; InvalidToken when tampered with, sealed with another key or older than max_age."""
    body = json.loads(_fernet().decrypt(sealed.encode(), ttl=max(1, int(max_age))))
    return Credentials(body["fc_token"], PivotIdentity(**body["identity"]))
