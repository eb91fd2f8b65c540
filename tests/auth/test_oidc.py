"""The OIDC client (demarche/auth/oidc.py and keys.py) over real HTTP against a provider of the test's own:
which JWKS key verifies a token without kid, and a provider's faults turned into OidcError, never a crash.

OpenID RP conformance tests rp-id_token-kid-absent-single-jwks and rp-id_token-kid-absent-multiple-jwks
(oidcc-client-test-kid-absent-* in the suite at https://www.certification.openid.net/); JWK parameters:
https://www.rfc-editor.org/rfc/rfc7517
"""

from __future__ import annotations

import pytest
from joserfc.jwk import ECKey

from demarche.auth.oidc import InvalidToken, OidcClient, OidcError, ProviderRules, ProviderUnreachable
from tests.auth.provider import ec_key, rsa_key

RULES = ProviderRules(name="Test", scopes=("openid",), accepted_acr=("eidas1",))
REDIRECT = "http://localhost/callback"


def client_of(tiny) -> OidcClient:
    return OidcClient(tiny.url, tiny.client_id, "secret", RULES)


def exchange(tiny) -> dict:
    return client_of(tiny).exchange_code(code="c0de", redirect_uri=REDIRECT, nonce=tiny.nonce).id_claims


SIGNER = ec_key("signer")
# JWKS whose only key usable for an ES256 signature is SIGNER: a token without kid must be accepted.
SINGLE_USABLE = {
    "the only key": [SIGNER],
    "and an RSA key": [SIGNER, rsa_key()],
    "and an encryption key": [SIGNER, ec_key("enc", use="enc")],
    "and a P-384 key": [SIGNER, ec_key("p384", curve="P-384")],
    "and a key pinned to ES384": [SIGNER, ec_key("es384", alg="ES384")],
    "and a key for decryption only": [SIGNER, ec_key("ops", key_ops=["decrypt"])],
}


@pytest.mark.parametrize("jwks", SINGLE_USABLE.values(), ids=SINGLE_USABLE.keys())
def test_an_id_token_without_kid_is_verified_with_the_single_usable_key(tiny, jwks):
    tiny.published, tiny.signing_key, tiny.with_kid = jwks, SIGNER, False
    assert exchange(tiny)["sub"] == "s" * 64


def test_an_rs256_id_token_without_kid_uses_the_single_rsa_key(tiny):
    signer = rsa_key("rsa-signer")
    tiny.published, tiny.signing_key, tiny.alg, tiny.with_kid = [ec_key(), signer], signer, "RS256", False
    assert exchange(tiny)["sub"] == "s" * 64


def test_an_id_token_without_kid_is_refused_when_several_keys_could_verify_it(tiny):
    """Even though one of them does verify it: the key must be named, not found by trying them all."""
    tiny.published, tiny.signing_key, tiny.with_kid = [SIGNER, ec_key("other")], SIGNER, False
    with pytest.raises(InvalidToken) as refused:
        exchange(tiny)
    assert refused.value.reason == "ambiguous_key"


def test_a_kid_naming_an_encryption_key_is_refused(tiny):
    signer = ec_key("enc")  # the JWKS says this key encrypts: it must not verify a signature
    tiny.published, tiny.signing_key = [ECKey.import_key({**signer.as_dict(private=False), "use": "enc"})], signer
    with pytest.raises(InvalidToken) as refused:
        exchange(tiny)
    assert refused.value.reason == "unknown_key"


def userinfo(tiny) -> dict:
    return client_of(tiny).fetch_userinfo("a" * 43, expected_sub="s" * 64)


@pytest.mark.parametrize("jwks", [[SIGNER], [SIGNER, ec_key("enc", use="enc")]], ids=["alone", "with enc key"])
def test_a_userinfo_jwt_without_kid_is_verified_with_the_single_usable_key(tiny, jwks):
    tiny.published, tiny.signing_key, tiny.with_kid = jwks, SIGNER, False
    assert userinfo(tiny)["family_name"] == "DUBOIS"


def test_a_userinfo_jwt_without_kid_is_refused_when_several_keys_could_verify_it(tiny):
    tiny.published, tiny.signing_key, tiny.with_kid = [SIGNER, ec_key("other")], SIGNER, False
    with pytest.raises(InvalidToken) as refused:
        userinfo(tiny)
    assert refused.value.reason == "ambiguous_key"


def test_a_token_endpoint_answering_500_is_an_outage(tiny):
    tiny.token_status = 500
    with pytest.raises(ProviderUnreachable):
        exchange(tiny)


@pytest.mark.parametrize("removed", ["token_endpoint", "jwks_uri", "userinfo_endpoint"])
def test_an_incomplete_discovery_is_an_outage_not_a_crash(tiny, removed):
    tiny.discovery_removed = (removed,)
    with pytest.raises(ProviderUnreachable) as refused:
        client_of(tiny).metadata()
    assert refused.value.reason == "discovery_incomplete"


def test_no_end_session_endpoint_is_an_oidc_error(tiny):
    tiny.discovery_removed = ("end_session_endpoint",)
    with pytest.raises(OidcError):
        client_of(tiny).end_session_url(id_token="x", state="y", post_logout_redirect_uri=REDIRECT)


def test_an_unreachable_provider_is_an_outage():
    with pytest.raises(ProviderUnreachable):
        OidcClient("http://127.0.0.1:9/api/v2", "id", "secret", RULES).metadata()


def test_a_token_the_cached_jwks_cannot_pick_a_key_for_makes_it_read_again_once(tiny):
    """Issue 19: the provider rotated from two keys to a single key without kid while this client (a
    worker) still cached the two-key set: the token is accepted after one re-read, not refused."""
    first, second = ec_key("first"), ec_key("second")
    tiny.published, tiny.signing_key = [first, second], first
    client = client_of(tiny)
    assert client.exchange_code(code="c0de", redirect_uri=REDIRECT, nonce=tiny.nonce).id_claims
    assert tiny.jwks_reads == 1
    only = ECKey.generate_key("P-256", private=True)  # no kid
    tiny.published, tiny.signing_key, tiny.with_kid = [only], only, False
    assert client.exchange_code(code="c0de", redirect_uri=REDIRECT, nonce=tiny.nonce).id_claims["sub"] == "s" * 64
    assert tiny.jwks_reads == 2


@pytest.mark.parametrize("cached", [[ec_key("a"), ec_key("b")], [ec_key("a")]], ids=["ambiguous", "stale"])
def test_a_token_without_kid_after_a_rotation_is_verified_with_the_new_key(tiny, cached):
    tiny.published, tiny.signing_key, tiny.with_kid = cached, cached[0], True
    client = client_of(tiny)
    client.exchange_code(code="c0de", redirect_uri=REDIRECT, nonce=tiny.nonce)
    only = ECKey.generate_key("P-256", private=True)
    tiny.published, tiny.signing_key, tiny.with_kid = [only], only, False
    assert client.exchange_code(code="c0de", redirect_uri=REDIRECT, nonce=tiny.nonce).id_claims["sub"] == "s" * 64


def test_the_jwks_is_read_again_at_most_once_per_interval(tiny):
    """A stream of tokens with unknown kids costs the provider one JWKS request per interval, not one each."""
    client = client_of(tiny)
    client.exchange_code(code="c0de", redirect_uri=REDIRECT, nonce=tiny.nonce)
    tiny.signing_key = ec_key("nowhere")  # signs with a key the JWKS does not publish
    for _ in range(5):
        with pytest.raises(InvalidToken) as refused:
            client.exchange_code(code="c0de", redirect_uri=REDIRECT, nonce=tiny.nonce)
        assert refused.value.reason == "unknown_key"
    assert tiny.jwks_reads == 2  # the first read, then one re-read for five bad tokens
