"""Standard Webhooks signatures: the specification's test vector, the headers the service sends, both
secrets during a rotation, and the verification without the library that docs/webhooks.md shows."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from demarche.webhooks import signing
from demarche.webhooks.delivery import signing_secrets
from demarche.webhooks.models import WebhookEndpoint

# The test vector of the Standard Webhooks libraries (https://github.com/standard-webhooks/standard-webhooks).
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def verify_without_library(secret: str, headers: dict[str, str], body: str) -> bool:
    """The few lines docs/webhooks.md gives for receivers without the library."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{body}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, entry.partition(",")[2])
               for entry in headers["webhook-signature"].split() if entry.startswith("v1,"))


def test_the_specification_s_test_vector():
    timestamp = datetime.fromtimestamp(VECTOR_TIMESTAMP, UTC)
    assert signing.signature([VECTOR_SECRET], VECTOR_ID, timestamp, VECTOR_BODY) == VECTOR_SIGNATURE
    headers = {"webhook-id": VECTOR_ID, "webhook-timestamp": str(VECTOR_TIMESTAMP),
               "webhook-signature": VECTOR_SIGNATURE}
    assert verify_without_library(VECTOR_SECRET, headers, VECTOR_BODY)


def test_a_new_secret_is_32_random_bytes_in_base64():
    secret = signing.new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    assert secret != signing.new_secret()


def test_the_headers_verify_with_and_without_the_library():
    secret, body = signing.new_secret(), '{"type":"dossier.depose"}'
    headers = signing.headers([secret], "msg_abc", body)
    assert Webhook(secret).verify(body, headers) == {"type": "dossier.depose"}
    assert verify_without_library(secret, headers, body)
    assert not verify_without_library(signing.new_secret(), headers, body)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace("depose", "supprime"), headers)


def test_a_stale_timestamp_is_refused_by_receivers():
    secret, body = signing.new_secret(), "{}"
    headers = signing.headers([secret], "msg_old", body, now=datetime.now(UTC) - timedelta(minutes=10))
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, headers)


def test_during_a_rotation_both_secrets_sign_then_only_the_new_one():
    old, new, now = signing.new_secret(), signing.new_secret(), datetime(2026, 11, 21, 9, 0)
    endpoint = WebhookEndpoint(secret=new, previous_secret=old, previous_secret_until=now + timedelta(hours=24))
    assert signing_secrets(endpoint, now) == [new, old]
    headers = signing.headers(signing_secrets(endpoint, now), "msg_rot", "{}")
    assert len(headers["webhook-signature"].split()) == 2
    assert Webhook(old).verify("{}", headers) == {} and Webhook(new).verify("{}", headers) == {}
    assert signing_secrets(endpoint, now + timedelta(hours=25)) == [new]
