"""The browser side of an OpenID Connect login: state, nonce, the callback's checks, RP-initiated logout.

State and nonce are kept in the server-side session under a key of the caller's choosing, are single use
and expire after 30 minutes; the callback checks state first, then iss (RFC 9207,
https://www.rfc-editor.org/rfc/rfc9207), then the provider's error, then exchanges the code once.
FranceConnect: https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-endpoints/ ;
ProConnect: https://github.com/numerique-gouv/proconnect-documentation/blob/main/doc_fs/implementation_technique.md
"""

from __future__ import annotations

import hmac
import secrets
import string
import time

from flask import request

from demarche.auth import session as auth_session
from demarche.auth.oidc import InvalidToken, OidcClient, OidcError, ProviderUnreachable, TokenSet

PENDING_TTL = 1800  # a FranceConnect interaction lasts 30 minutes
_ALPHABET = string.ascii_letters + string.digits
LOGGED_MAX = 100  # characters of a provider's `error` or `error_description` that reach the logs


class CallbackError(Exception):
    """The callback cannot open a session; `kind` selects the French page shown."""

    def __init__(self, kind: str, reason: str = "", description: str = ""):
        super().__init__(kind)
        self.kind = kind
        self.reason = reason or kind
        self.description = description  # the provider's error_description, already made loggable


def loggable(value: str) -> str:
    """What the provider (or whoever forged the callback) sent, fit for a log line: printable ASCII only,
    at most LOGGED_MAX characters; escape sequences, line breaks and 20 kB values stay out of the logs."""
    return "".join(char if " " <= char <= "~" else "?" for char in value[:LOGGED_MAX])


def same_secret(expected: str, received: str) -> bool:
    """Constant-time comparison of a state; hmac.compare_digest() raises on a non-ASCII str, so bytes."""
    return hmac.compare_digest(expected.encode(), received.encode("utf-8", "replace"))


def random_value() -> str:
    """64 letters and digits from a CSPRNG: meets FranceConnect's and ProConnect's rules (≥ 32, alphanumeric)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(64))


def begin(client: OidcClient, pending_key: str, purpose: str, scopes: tuple[str, ...], redirect_uri: str) -> str:
    """Keep a fresh state and nonce in the session and return the authorization URL (OidcError if discovery fails)."""
    state, nonce = random_value(), random_value()
    auth_session.put_pending(pending_key, {"purpose": purpose, "state": state, "nonce": nonce,
                            "redirect_uri": redirect_uri, "at": time.time()})
    return client.authorization_url(redirect_uri=redirect_uri, state=state, nonce=nonce, scopes=scopes)


def complete(client: OidcClient, pending_key: str, purpose: str) -> TokenSet:
    """Check state (first), iss, error; exchange the code; verify the ID token. Raise CallbackError."""
    pending = auth_session.take_pending(pending_key)
    state = request.args.get("state", "")
    if not pending or pending["purpose"] != purpose or not same_secret(pending["state"], state):
        raise CallbackError("state", "state missing or mismatched")
    if time.time() - pending["at"] > PENDING_TTL:
        raise CallbackError("state", "authorization request expired")
    if "iss" in request.args and request.args["iss"] != client.issuer:
        raise CallbackError("protocol", "iss mismatch (mix-up)")
    if "error" in request.args:
        error = request.args["error"]
        raise CallbackError(error_kind(error), f"provider error {loggable(error)}",
                            description=loggable(request.args.get("error_description", "")))
    code = request.args.get("code", "")
    if not code or len(code) > 512:
        raise CallbackError("protocol", "code missing")
    try:
        return client.exchange_code(code=code, redirect_uri=pending["redirect_uri"], nonce=pending["nonce"])
    except ProviderUnreachable as error:
        raise CallbackError("unavailable", error.reason) from error
    except OidcError as error:
        raise CallbackError("verification" if isinstance(error, InvalidToken) else "protocol", error.reason) from error


def error_kind(error: str) -> str:
    """The French page to show for an OAuth error code sent back to the callback (RFC 6749 section 4.1.2.1)."""
    return {"access_denied": "denied", "server_error": "server_error",
            "temporarily_unavailable": "unavailable"}.get(error, "configuration")


def end_session(client: OidcClient, id_token: str | None, state_key: str, post_logout_redirect_uri: str) -> str | None:
    """Call after clearing the local session: keep a fresh state, return the provider's logout URL.

    None when there is nothing to end at the provider (no ID token) or its discovery fails: the
    local session is gone either way.
    """
    if not id_token:
        return None
    state = random_value()
    auth_session.put_pending(state_key, state)
    try:
        return client.end_session_url(id_token=id_token, state=state,
                                      post_logout_redirect_uri=post_logout_redirect_uri)
    except OidcError:
        return None


def logout_state_matches(state_key: str) -> bool:
    """On the post-logout redirect: was the state ours? A mismatch is logged; the person is out anyway."""
    expected = auth_session.take_pending(state_key)
    return bool(expected) and same_secret(expected, request.args.get("state", ""))
