"""Verification codes of the attestation de dépôt: the reference followed by an 8-character HMAC
signature, « CAN-2026-7KQ4M2-HD3P-9XWA », so a forged or altered code is refused without any lookup.

The key is derived from SECRET_KEY (HMAC-SHA256 with a fixed label): changing SECRET_KEY invalidates
every printed code, like the sessions. 8 characters of a 31-letter alphabet carry about 39 bits; the
page's rate limit (demarche/verification/views.py) makes guessing them hopeless.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app

# The references' alphabet (demarche/dossiers/submission.py): no 0/O, 1/I/L, easy to read aloud and to type.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SIGNATURE_LENGTH = 8
# Read without its separators (a person may type spaces, dashes or nothing): letters of the démarche, year,
# the reference's own characters, then the 8-character signature.
_CODE = re.compile(r"^(?P<prefix>[A-Z]{2,8})(?P<year>[0-9]{4})(?P<suffix>[A-Z0-9]{4,12})(?P<signature>[A-Z0-9]{8})$")


def _key(label: bytes) -> bytes:
    """A key for one use only, derived from SECRET_KEY."""
    return hmac.new(current_app.config["SECRET_KEY"].encode(), label, hashlib.sha256).digest()


def _signature(reference: str) -> str:
    digest = hmac.new(_key(b"demarche/verification/code/v1"), reference.encode(), hashlib.sha256).digest()
    number, letters = int.from_bytes(digest[:8], "big"), []
    for _ in range(SIGNATURE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return "".join(letters)


def code_for(reference: str) -> str:
    """The code printed on the attestation."""
    signature = _signature(reference)
    return f"{reference}-{signature[:4]}-{signature[4:]}"


def normalise(raw: str) -> str:
    """What a person typed, without separators (spaces, dashes) and in capitals."""
    return re.sub(r"[\s\-\u2010-\u2015]+", "", raw or "").upper()[:64]


def reference_of(raw: str) -> str | None:
    """The reference a well-formed, correctly signed code names; None for anything else."""
    match = _CODE.match(normalise(raw))
    if match is None:
        return None
    reference, signature = f"{match['prefix']}-{match['year']}-{match['suffix']}", match["signature"]
    return reference if hmac.compare_digest(signature, _signature(reference)) else None


def digest(reference: str) -> str:
    """The keyed digest kept in the tombstone of a purged reference (never the reference itself)."""
    return hmac.new(_key(b"demarche/verification/tombstone/v1"), reference.encode(), hashlib.sha256).hexdigest()
