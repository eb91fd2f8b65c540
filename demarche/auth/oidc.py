"""OpenID Connect relying party for the State's federations (FranceConnect v2, ProConnect): protocol only, no Flask.

Discovery, authorization URL, code exchange (client_secret_post), and complete verification of the ID
token and of the signed userinfo (OpenID Connect Core 1.0, https://openid.net/specs/openid-connect-core-1_0.html;
FranceConnect: https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-endpoints/).
Algorithms are pinned here, whatever discovery advertises. docs/authentification.md explains every check.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from demarche import resilience
from demarche.auth.keys import candidates

MAX_BODY = 64 * 1024  # JWKS, token and userinfo answers are a few kB: refuse anything huge
MAX_JWT = 16 * 1024
LEEWAY = 60  # seconds of clock skew accepted on exp / iat
FORBIDDEN_HEADERS = ("jku", "x5u", "jwk", "x5c", "crit")  # keys come from jwks_uri only (ASVS 5.0 V9.1.3)
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
# A token the cached JWKS cannot verify makes the JWKS be read again, once per interval at most: a provider that
# rotated is followed at once, a stream of bad tokens costs the provider one request per interval.
JWKS_REFRESH_INTERVAL = 30.0
log = logging.getLogger("demarche.oidc")


class OidcError(Exception):
    """A login cannot go on. `reason` is a stable code for logs and tests, never shown as is."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class ProviderUnreachable(OidcError):
    """The identity provider did not answer, answered 5xx, or published unusable metadata: retry later."""


class InvalidToken(OidcError):
    """An ID token or a userinfo response failed verification: fail closed, no session."""


@dataclass(frozen=True)
class ProviderRules:
    """What differs between federations: scopes, acr, and the algorithms we accept."""

    name: str
    scopes: tuple[str, ...]
    acr_values: str | None = None
    accepted_acr: tuple[str, ...] = ()
    algorithms: tuple[str, ...] = ("ES256", "RS256")
    extra_params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TokenSet:
    """The token endpoint's answer, after the ID token was verified."""

    access_token: str
    id_token: str
    id_claims: dict
    scope: str
    expires_in: int


class OidcClient:
    """One relying-party client of one issuer. Thread-safe; discovery and JWKS are cached."""

    def __init__(self, issuer: str, client_id: str, client_secret: str, rules: ProviderRules,
                 *, timeout: float = 10.0, metadata_ttl: float = 3600.0):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.rules = rules
        self.metadata_ttl = metadata_ttl
        self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=3.0), follow_redirects=False)
        self._lock = threading.Lock()  # guards the swap of cached values only, never an HTTP request
        self._discovery: tuple[dict, float] | None = None  # (document, monotonic time fetched): read at once
        self._keys: KeySet | None = None
        self._keys_refreshed_at = float("-inf")  # monotonic time of the last refresh a token caused

    # -- discovery and keys ---------------------------------------------------------------
    def metadata(self) -> dict:
        """The discovery document, checked to belong to our issuer and to name every endpoint we call.

        Fetched outside any lock: when the provider hangs, only the threads that need the document wait
        (bounded by the provider's bulkhead and circuit breaker), instead of every login queueing behind
        one request held under a lock for its whole timeout.
        """
        cached = self._discovery
        if cached is not None and time.monotonic() - cached[1] <= self.metadata_ttl:
            return cached[0]
        document = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        if document.get("issuer") != self.issuer:
            raise OidcError("issuer_mismatch", "discovery issuer differs from the configured one")
        missing = [name for name in REQUIRED_ENDPOINTS if not isinstance(document.get(name), str)]
        if missing:
            raise ProviderUnreachable("discovery_incomplete", ", ".join(missing))
        with self._lock:
            self._discovery = (document, time.monotonic())
            self._keys = None
        return document

    def _key_set(self, refresh: bool = False) -> KeySet:
        """The provider's JWKS, imported once and kept (re-read on demand after a key rotation)."""
        keys = self._keys
        if keys is not None and not refresh:
            return keys
        try:
            keys = KeySet.import_key_set(self._get_json(self.metadata()["jwks_uri"]))
        except (KeyError, TypeError, ValueError, JoseError) as error:
            raise OidcError("jwks_invalid", type(error).__name__) from error
        with self._lock:
            self._keys = keys
        return keys

    def _get_json(self, url: str) -> dict:
        response = self._request("GET", url)
        if response.status_code != 200:
            raise ProviderUnreachable("http_status", f"{response.status_code} on {url}")
        return _json_object(response, "not_json")

    def _request(self, method: str, url: str, **kwargs) -> httpx.Response:
        # A bulkhead and a circuit breaker per identity provider (demarche/resilience).
        guard = resilience.guard_for(self.rules.name.lower())
        if guard is None:
            return self._send(method, url, **kwargs)
        try:
            with guard.call(is_failure=lambda error: isinstance(error, ProviderUnreachable)):
                return self._send(method, url, **kwargs)
        except resilience.Refused as refusal:
            raise ProviderUnreachable(refusal.reason) from refusal

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        started, status = time.monotonic(), None
        try:
            response = self._http.request(method, url, **kwargs)
            status = response.status_code
        except httpx.HTTPError as error:
            raise ProviderUnreachable("network", type(error).__name__) from error
        finally:  # one line per exchange, path only (as demarche/providers/http.py): the benchmark splits times
            latency_ms = round((time.monotonic() - started) * 1000)
            log.info("%s %s -> %s in %d ms", method, urlsplit(url).path, status or "no response", latency_ms,
                     extra={"context": {"provider": self.rules.name, "latency_ms": latency_ms}})
        if len(response.content) > MAX_BODY:
            raise OidcError("response_too_large", url)
        if response.status_code >= 500:
            raise ProviderUnreachable("http_status", str(response.status_code))
        return response

    # -- the flow ---------------------------------------------------------------------------
    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, scopes: tuple[str, ...]) -> str:
        """The URL of the authorization request (response_type=code, acr_values, state, nonce)."""
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "nonce": nonce,
            **({"acr_values": self.rules.acr_values} if self.rules.acr_values else {}),
            **self.rules.extra_params,
        }
        return f"{self.metadata()['authorization_endpoint']}?{urlencode(params)}"

    def exchange_code(self, *, code: str, redirect_uri: str, nonce: str) -> TokenSet:
        """Exchange the code once (never retried: it is single use) and verify the ID token."""
        response = self._request(
            "POST",
            self.metadata()["token_endpoint"],
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                  "client_id": self.client_id, "client_secret": self.client_secret},
        )
        body = _json_object(response, "token_not_json")
        if response.status_code != 200:
            raise OidcError("token_refused", str(body.get("error", response.status_code)))
        if not isinstance(body.get("id_token"), str) or not isinstance(body.get("access_token"), str):
            raise InvalidToken("id_token_missing")
        claims = self.verify_id_token(body["id_token"], nonce=nonce)
        expires_in = body.get("expires_in", 60)
        return TokenSet(access_token=body["access_token"], id_token=body["id_token"], id_claims=claims,
                        scope=str(body.get("scope", "")), expires_in=expires_in if isinstance(expires_in, int) else 60)

    def fetch_userinfo(self, access_token: str, *, expected_sub: str) -> dict:
        """Fetch userinfo (a signed JWT, application/jwt) and verify it, sub included."""
        response = self._request("GET", self.metadata()["userinfo_endpoint"],
                                 headers={"Authorization": f"Bearer {access_token}"})
        if response.status_code != 200:
            raise OidcError("userinfo_refused", str(response.status_code))
        if response.headers.get("content-type", "").split(";")[0].strip() != "application/jwt":
            raise InvalidToken("userinfo_not_signed")
        claims = self._verify_jws(response.text)
        self._check_iss_aud(claims, required=False)
        if claims.get("sub") != expected_sub:
            raise InvalidToken("userinfo_sub_mismatch")
        return claims

    def end_session_url(self, *, id_token: str, state: str, post_logout_redirect_uri: str) -> str:
        """RP-initiated logout URL: id_token_hint, state and a registered post_logout_redirect_uri."""
        endpoint = self.metadata().get("end_session_endpoint")
        if not isinstance(endpoint, str):
            raise OidcError("no_end_session_endpoint")
        params = {"id_token_hint": id_token, "state": state, "post_logout_redirect_uri": post_logout_redirect_uri}
        return f"{endpoint}?{urlencode(params)}"

    # -- verification -----------------------------------------------------------------------
    def verify_id_token(self, raw: str, *, nonce: str) -> dict:
        """Signature, iss, aud, exp, iat, sub, nonce and acr; raise InvalidToken on any failure."""
        claims = self._verify_jws(raw)
        self._check_iss_aud(claims, required=True)
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
            **({"acr": {"essential": True, "values": list(self.rules.accepted_acr)}}
               if self.rules.accepted_acr else {}),
        )
        try:
            registry.validate(claims)
        except JoseError as error:
            raise InvalidToken("id_token_claims", f"{error.error}: {error.description}") from error
        return claims

    def _check_iss_aud(self, claims: dict, *, required: bool) -> None:
        if (required or "iss" in claims) and claims.get("iss") != self.issuer:
            raise InvalidToken("bad_issuer")
        if required or "aud" in claims:
            audience = claims.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.client_id not in audiences:
                raise InvalidToken("bad_audience")
            if len(audiences) > 1 and claims.get("azp") != self.client_id:
                raise InvalidToken("bad_audience", "several audiences and no azp for us")

    def _verify_jws(self, raw: str) -> dict:
        if not raw or len(raw) > MAX_JWT:
            raise InvalidToken("jwt_size")
        try:
            header = jws.extract_compact(raw.encode()).headers()
        except (JoseError, ValueError) as error:
            raise InvalidToken("jwt_malformed") from error
        algorithm = header.get("alg")
        if algorithm not in self.rules.algorithms:
            raise InvalidToken("alg_not_allowed", str(algorithm))
        if any(name in header for name in FORBIDDEN_HEADERS):
            raise InvalidToken("forbidden_header")
        try:
            return self._verify_with(self._key_set(), raw, header, algorithm)
        except InvalidToken as error:
            # The cached set may predate a rotation: an unknown kid, or without kid no key to pick or a stale
            # one. FranceConnect: « Si vous avez un cache, vous devrez en cas d'échec re-tester au lieu d'envoyer
            # une erreur » (https://docs.partenaires.franceconnect.gouv.fr/fs/migration/fs-migration-diff-v1-v2/)
            stale = error.reason in ("unknown_key", "ambiguous_key") or "kid" not in header
            if not (stale and self._refresh_due()):
                raise
        log.info("jwks re-read", extra={"context": {"issuer": self.issuer, "kid": str(header.get("kid"))}})
        return self._verify_with(self._key_set(refresh=True), raw, header, algorithm)

    def _refresh_due(self) -> bool:
        """May a token make the JWKS be read again now? At most once per JWKS_REFRESH_INTERVAL."""
        with self._lock:
            now = time.monotonic()
            if now - self._keys_refreshed_at < JWKS_REFRESH_INTERVAL:
                return False
            self._keys_refreshed_at = now
            return True

    @staticmethod
    def _verify_with(keys: KeySet, raw: str, header: dict, algorithm: str) -> dict:
        """The claims, verified with the one key of `keys` fit for this header (keys.candidates); several fit
        keys are refused, never tried in turn."""
        found = candidates(keys, header, algorithm)
        if not found:
            raise InvalidToken("unknown_key", str(header.get("kid")))
        if len(found) > 1:
            raise InvalidToken("ambiguous_key", "no kid and several usable keys" if "kid" not in header
                               else "several keys with this kid")
        try:
            return dict(jwt.decode(raw, found[0], algorithms=[algorithm]).claims)
        except (JoseError, ValueError, TypeError) as error:
            raise InvalidToken("bad_signature", type(error).__name__) from error


def _json_object(response: httpx.Response, reason: str) -> dict:
    """The response's JSON object; OidcError(reason) for anything else (HTML error page, list, garbage)."""
    try:
        body = response.json()
    except ValueError as error:
        raise OidcError(reason) from error
    if not isinstance(body, dict):
        raise OidcError(reason)
    return body
