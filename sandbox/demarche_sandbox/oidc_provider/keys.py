"""The provider's signing keys (a JWKS with one ES256 and one RS256 key, as FranceConnect's) and the compact
JWS it issues, with the tests' tampering.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Callable

from joserfc.jwk import ECKey, KeySet, RSAKey
from joserfc.jws import JWSRegistry

AsymmetricKey = ECKey | RSAKey


class KeyRing:
    """The current ES256 and RS256 key pairs; rotate() replaces both, with new kids."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._keys: dict[str, AsymmetricKey] = {}
        self.rotate()

    def rotate(self, single_without_kid: bool = False) -> list[str]:
        """New keys (kids sim:ES256:<n>, sim:RS256:<n>); the old ones leave the JWKS. Returns the kids.

        single_without_kid: one ES256 key without kid (nor use, nor alg), the tokens' header without kid either,
        as a provider that rotated to a single key (OpenID conformance rp-id_token-kid-absent-single-jwks)."""
        with self._lock:
            self._generation += 1
            generation = self._generation
        if single_without_kid:
            keys = {"ES256": ECKey.generate_key("P-256", private=True)}
        else:
            keys = {alg: _generate(alg, f"sim:{alg}:{generation}") for alg in ("ES256", "RS256")}
        with self._lock:
            self._keys = keys
        return [key.kid for key in keys.values()]

    def jwks(self) -> dict:
        """The public JWKS document."""
        return KeySet(list(self._keys.values())).as_dict(private=False)

    def signing_key(self, alg: str) -> AsymmetricKey:
        return self._keys[alg]


def sign_jwt(claims: dict, alg: str, keys: KeyRing, client_secret: str, tamper: dict | None = None) -> str:
    """A compact JWS of claims, header {alg, kid, typ}; tamper (from /_sim) alters the next one."""
    tamper = tamper or {}
    claims = {**claims, **tamper.get("set", {})}
    for name in tamper.get("remove", ()):
        claims.pop(name, None)
    alg = tamper.get("alg") or alg
    key, kid = _key_for(alg, keys, client_secret, bool(tamper.get("sign_with_unknown_key")))
    header = {"alg": alg, "kid": tamper.get("kid", kid), "typ": "JWT"}
    header = {name: value for name, value in header.items() if value} | tamper.get("header", {})
    signing_input = f"{_b64(_json(header))}.{_b64(_json(claims))}"
    signature = _sign(alg, signing_input.encode(), key)
    if tamper.get("corrupt_signature") and signature:
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    return f"{signing_input}.{_b64(signature)}"


def verify_own(token: str, keys: KeyRing, secret_for: Callable[[str], str | None]) -> dict | None:
    """The claims of a JWS signed by this simulator (current keys, or a client secret), expired or not."""
    try:
        header_part, payload_part, signature_part = token.split(".")
        header, claims = json.loads(_unb64(header_part)), json.loads(_unb64(payload_part))
        signature = _unb64(signature_part)
    except ValueError:
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    signing_input = f"{header_part}.{payload_part}".encode()
    alg = header.get("alg")
    if alg == "HS256":
        secret = secret_for(str(claims.get("aud", "")))
        valid = secret is not None and hmac.compare_digest(_sign(alg, signing_input, secret), signature)
    elif alg in ("ES256", "RS256"):
        key = keys.signing_key(alg)
        valid = header.get("kid") == key.kid and _verify(alg, signing_input, signature, key)
    else:
        valid = False  # "none" and anything else: never accepted
    return claims if valid else None


def _generate(alg: str, kid: str) -> AsymmetricKey:
    parameters = {"kid": kid, "use": "sig", "alg": alg}
    if alg == "ES256":
        return ECKey.generate_key("P-256", parameters=parameters, private=True)
    return RSAKey.generate_key(2048, parameters=parameters, private=True)


def _key_for(alg: str, keys: KeyRing, client_secret: str, unknown: bool) -> tuple[object, str | None]:
    """The signing key and its kid; unknown=True signs with a key that is in no JWKS."""
    if alg == "none":
        return None, None
    if alg == "HS256":
        return (secrets.token_urlsafe(32) if unknown else client_secret), None
    if alg not in ("ES256", "RS256"):
        raise ValueError(f"unsupported alg {alg}")
    if unknown:
        return _generate(alg, f"sim:{alg}:inconnue"), f"sim:{alg}:inconnue"
    key = keys.signing_key(alg)
    return key, key.kid


def _sign(alg: str, signing_input: bytes, key: object) -> bytes:
    if alg == "none":
        return b""
    if alg == "HS256":
        # Computed here rather than with joserfc's OctKey, which warns about short client secrets.
        return hmac.new(str(key).encode(), signing_input, hashlib.sha256).digest()
    return JWSRegistry.algorithms[alg].sign(signing_input, key)


def _verify(alg: str, signing_input: bytes, signature: bytes, key: AsymmetricKey) -> bool:
    try:
        return bool(JWSRegistry.algorithms[alg].verify(signing_input, signature, key))
    except ValueError:
        return False


def _json(value: dict) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
