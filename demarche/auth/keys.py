"""Which key of the provider's JWKS may verify a signed token: the one its `kid` names, or the only usable one.

"Usable for an alg" follows the JWK parameters (RFC 7517 section 4: use, key_ops, alg,
https://www.rfc-editor.org/rfc/rfc7517#section-4) and the curve ES256 requires (RFC 7518 section 3.4,
https://www.rfc-editor.org/rfc/rfc7518#section-3.4). Without `kid`, a single usable key is taken (OpenID
RP conformance test rp-id_token-kid-absent-single-jwks, https://www.certification.openid.net/); several are
refused rather than tried in turn (rp-id_token-kid-absent-multiple-jwks allows either; refusing keeps the
choice of key explicit).
"""

from __future__ import annotations

from joserfc.jwk import KeySet

KEY_TYPES = {"ES256": "EC", "RS256": "RSA"}
CURVES = {"ES256": "P-256"}


def usable(key, algorithm: str) -> bool:
    """Whether this JWKS key may verify a signature made with `algorithm`."""
    if key.key_type != KEY_TYPES.get(algorithm):
        return False
    if key.get("use") not in (None, "sig"):
        return False  # an encryption key never verifies a signature
    operations = key.get("key_ops")
    if operations is not None and "verify" not in operations:
        return False
    if key.get("alg") not in (None, algorithm):
        return False  # a key pinned to another algorithm
    curve = CURVES.get(algorithm)
    return curve is None or key.get("crv") == curve


def candidates(keys: KeySet, header: dict, algorithm: str) -> list:
    """The usable keys the header may mean: those with its `kid`, or all of them when it has none."""
    fit = [key for key in keys.keys if usable(key, algorithm)]
    if "kid" in header:
        return [key for key in fit if key.kid == header["kid"]]
    return fit
