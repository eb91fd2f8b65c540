"""Standard Webhooks signatures: secrets `whsec_<base64>`, headers webhook-id/-timestamp/-signature.

Signing is the official `standardwebhooks` library (https://github.com/standard-webhooks/standard-webhooks):
v1 = base64(HMAC-SHA256(secret, "id.timestamp.body")). During a rotation both secrets sign, space-separated,
as the specification allows: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_BYTES = 32  # the specification asks for 24 to 64 random bytes


def new_secret() -> str:
    """A fresh signing secret, as the receiver configures it."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signature(signing_secrets: list[str], message_id: str, timestamp: datetime, body: str) -> str:
    """The webhook-signature header: one `v1,<base64>` per secret, separated by spaces."""
    return " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in signing_secrets)


def headers(signing_secrets: list[str], message_id: str, body: str, now: datetime | None = None) -> dict[str, str]:
    """Every header of a delivery attempt; the timestamp is the attempt's (the receiver refuses stale ones)."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.replace(tzinfo=now.tzinfo or UTC).timestamp())),
        "webhook-signature": signature(signing_secrets, message_id, now, body),
    }
