"""Secrets the service must read back (the webhooks' signing secrets) are stored encrypted with a key from the
environment: Fernet (AES-128-CBC and HMAC-SHA256) through cryptography's MultiFernet, so that keys rotate —
the first key of DATA_ENCRYPTION_KEYS encrypts, every key decrypts (https://cryptography.io/en/latest/fernet/).
A database dump alone then holds no usable secret; docs/passer-en-production.md says how to rotate."""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


class UndecryptableSecret(RuntimeError):
    """A stored secret was encrypted with a key DATA_ENCRYPTION_KEYS no longer lists."""


def derived_key(secret_key: str) -> str:
    """The key used when DATA_ENCRYPTION_KEYS is unset (demo, tests, or before an operator sets it): HKDF of
    SECRET_KEY (RFC 5869), so that it never equals the key that signs the sessions."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"demarche data encryption at rest")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode())).decode("ascii")


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(current_app.config["SETTINGS"].data_encryption_keys)


def encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableSecret("a stored secret cannot be decrypted: DATA_ENCRYPTION_KEYS lacks the key it "
                                  "was encrypted with (keep old keys listed until `flask webhooks "
                                  "reencrypt` has run)") from None


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


class EncryptedString(TypeDecorator):
    """A column holding a secret: encrypted on the way in, decrypted on the way out (SQLAlchemy TypeDecorator,
    https://docs.sqlalchemy.org/en/20/core/custom_types.html#augmenting-existing-types)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
