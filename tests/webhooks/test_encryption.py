"""Webhook signing secrets at rest (issue 19 j): encrypted with DATA_ENCRYPTION_KEYS (the first encrypts, all
decrypt), with a key derived from SECRET_KEY when unset; keys rotate with `flask webhooks reencrypt`; the
migration encrypts the secrets stored in clear; rotate-secret still signs with both secrets."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from flask_migrate import downgrade
from flask_migrate import upgrade as upgrade_to

from demarche import schema
from demarche.encryption import derived_key
from demarche.extensions import db
from demarche.webhooks.delivery import signing_secrets
from demarche.webhooks.models import WebhookEndpoint
from tests.webhooks.test_cli import SIRET, run

K1, K2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored(app) -> tuple[str, str | None]:
    """The columns as the database holds them, under the type that decrypts."""
    with app.app_context():
        row = db.session.execute(sa.text("SELECT secret, previous_secret FROM webhook_endpoint")).one()
    return row.secret, row.previous_secret


def add(app) -> str:
    result = run(app, "add", SIRET, "http://127.0.0.1:5006/webhooks")
    assert result.exit_code == 0, result.output
    return result.output.rstrip("\n").split("\n")[-1]


def test_the_secret_is_stored_encrypted_with_a_key_derived_from_secret_key_by_default(app):
    secret = add(app)
    raw, _ = stored(app)
    assert secret not in raw and not raw.startswith("whsec_")
    assert Fernet(derived_key(app.config["SECRET_KEY"])).decrypt(raw.encode()).decode() == secret
    with app.app_context():
        assert signing_secrets(db.session.get(WebhookEndpoint, 1)) == [secret]


def test_keys_rotate_and_reencrypt_moves_every_secret_to_the_newest(make_app):
    first = make_app(DATA_ENCRYPTION_KEYS=K1)
    secret = add(first)
    assert Fernet(K1).decrypt(stored(first)[0].encode()).decode() == secret
    rotated = run(first, "rotate-secret", "1").output.rstrip("\n").split("\n")[-1]
    new_raw, previous_raw = stored(first)
    assert Fernet(K1).decrypt(previous_raw.encode()).decode() == secret and secret not in previous_raw

    second = make_app(DATA_ENCRYPTION_KEYS=f"{K2}, {K1}")  # the operator puts the new key first
    with second.app_context():
        assert signing_secrets(db.session.get(WebhookEndpoint, 1)) == [rotated, secret]
    result = run(second, "reencrypt")
    assert result.exit_code == 0 and "1 webhook(s)" in result.output
    new_raw, previous_raw = stored(second)
    assert Fernet(K2).decrypt(new_raw.encode()).decode() == rotated
    assert Fernet(K2).decrypt(previous_raw.encode()).decode() == secret
    with pytest.raises(InvalidToken):
        Fernet(K1).decrypt(new_raw.encode())

    third = make_app(DATA_ENCRYPTION_KEYS=K2)  # the old key is gone
    with third.app_context():
        assert signing_secrets(db.session.get(WebhookEndpoint, 1)) == [rotated, secret]


def test_a_secret_stored_before_the_variable_was_set_stays_readable(make_app):
    before = make_app()  # derived key
    secret = add(before)
    after = make_app(DATA_ENCRYPTION_KEYS=K1)
    with after.app_context():
        assert db.session.get(WebhookEndpoint, 1).secret == secret
    run(after, "reencrypt")
    assert Fernet(K1).decrypt(stored(after)[0].encode()).decode() == secret


def test_a_missing_key_is_a_clear_error_and_a_bad_key_stops_the_start(make_app):
    from demarche.config.checks import ConfigurationError
    from demarche.encryption import UndecryptableSecret

    add(make_app(DATA_ENCRYPTION_KEYS=K1))
    with pytest.raises(ConfigurationError) as bad:
        make_app(DATA_ENCRYPTION_KEYS="pas-une-cle")
    assert "DATA_ENCRYPTION_KEYS" in str(bad.value)
    other = make_app(DATA_ENCRYPTION_KEYS=K2)
    with other.app_context(), pytest.raises(UndecryptableSecret) as missing:
        db.session.get(WebhookEndpoint, 1)
    assert "DATA_ENCRYPTION_KEYS" in str(missing.value)


def test_the_migration_encrypts_the_secrets_stored_in_clear(make_app):
    app = make_app(DATA_ENCRYPTION_KEYS=K1)
    with app.app_context():
        downgrade(directory=str(schema.MIGRATIONS), revision="0012_counter_mandates")
        db.session.execute(sa.text("INSERT INTO webhook_endpoint (siret, url, secret, previous_secret, enabled, "
                                   "created_at) VALUES (:siret, 'http://127.0.0.1:5006/w', 'whsec_AAAA', "
                                   "'whsec_BBBB', :yes, CURRENT_TIMESTAMP)"), {"siret": SIRET, "yes": True})
        db.session.commit()
        upgrade_to(directory=str(schema.MIGRATIONS))
    raw, previous = stored(app)
    assert Fernet(K1).decrypt(raw.encode()) == b"whsec_AAAA" and Fernet(K1).decrypt(previous.encode()) == b"whsec_BBBB"
    with app.app_context():
        assert signing_secrets(db.session.get(WebhookEndpoint, 1)) == ["whsec_AAAA"]  # no rotation under way
        db.session.rollback()  # PostgreSQL: the read's open transaction would block the ALTER TABLE
        downgrade(directory=str(schema.MIGRATIONS), revision="0012_counter_mandates")
    assert stored(app) == ("whsec_AAAA", "whsec_BBBB")
