"""One-time codes sent by e-mail, for the account of a person without FranceConnect: a code proves a mailbox.

A 6-digit code from a CSPRNG, valid 10 minutes, accepted once, 5 tries; only its HMAC is kept, in the
server-side session of the browser that asked for it. OWASP's rules for such codes:
https://cheatsheetseries.owasp.org/cheatsheets/Multifactor_Authentication_Cheat_Sheet.html (« OTP Handling
and Storage »), and NIST SP 800-63B section 5.1.3 for the lifetime (https://pages.nist.gov/800-63-4/sp800-63b.html).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from flask import current_app, session

from demarche.validation import is_email

LENGTH = 6  # ≈ 20 bits, NIST's minimum for a look-up or out-of-band secret
LIFETIME = 10 * 60  # seconds
MAX_TRIES = 5  # wrong codes before the code is void: 5 chances in a million, then a new code is needed
_KEY = "email_code"  # the challenge in the session: address, salt, HMAC, expiry, tries


class CodeRefused(Exception):
    """The code typed does not open the account; `kind` says why (wrong, expired, exhausted, missing)."""

    def __init__(self, kind: str, tries_left: int = 0):
        super().__init__(kind)
        self.kind, self.tries_left = kind, tries_left


@dataclass(frozen=True)
class Pending:
    """A code sent and not yet used, as the pages show it."""

    address: str
    expires_at: float


def normalise(address: str) -> str:
    """One account per mailbox whatever the case typed (the domain is case-insensitive; local parts in
    practice, as every large provider treats them)."""
    return address.strip().lower()


def valid_address(address: str) -> bool:
    return is_email(address.strip())


def address_key(address: str) -> str:
    """A key for the per-address send limit that does not carry the address itself."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"email-login:{normalise(address)}".encode(), hashlib.sha256).hexdigest()[:24]


def _digest(salt: str, code: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def issue(address: str) -> str:
    """A new code for this address, replacing any earlier one of this browser; returns it for the e-mail only."""
    code = f"{secrets.randbelow(10 ** LENGTH):0{LENGTH}d}"
    salt = secrets.token_hex(16)
    session[_KEY] = {"address": normalise(address), "salt": salt, "digest": _digest(salt, code),
                     "expires_at": time.time() + LIFETIME, "tries": 0}
    return code


def pending() -> Pending | None:
    challenge = session.get(_KEY)
    return Pending(challenge["address"], challenge["expires_at"]) if challenge else None


def check(typed: str) -> str:
    """The address the code opens; the code is spent. Raise CodeRefused otherwise (a wrong try is counted)."""
    challenge = session.get(_KEY)
    if not challenge:
        raise CodeRefused("missing")
    if time.time() >= challenge["expires_at"]:
        session.pop(_KEY, None)
        raise CodeRefused("expired")
    code = "".join(typed.split())
    if hmac.compare_digest(_digest(challenge["salt"], code), challenge["digest"]):
        session.pop(_KEY, None)  # single use
        return challenge["address"]
    tries = challenge["tries"] + 1
    if tries >= MAX_TRIES:
        session.pop(_KEY, None)
        raise CodeRefused("exhausted")
    session[_KEY] = {**challenge, "tries": tries}
    raise CodeRefused("wrong", tries_left=MAX_TRIES - tries)


def forget() -> None:
    session.pop(_KEY, None)
