"""In-memory state of the OpenID provider: interactions, browser sessions, codes and tokens, behind one lock,
with FranceConnect's lifetimes measured on a clock /_sim/clock can shift.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field, replace

INTERACTION_TTL = 1800
SESSION_TTL = 1800
CODE_TTL = 30
ACCESS_TOKEN_TTL = 60
ID_TOKEN_TTL = 60


class CodeRejected(Exception):
    """The authorization code cannot be exchanged; the message is the OAuth error_description."""


@dataclass(frozen=True)
class Grant:
    """What the citizen agreed to: carried by an authorization code, then by its access token."""

    client_id: str
    redirect_uri: str
    login: str
    idp: str
    scopes: tuple[str, ...]
    nonce: str
    claims: dict
    auth_time: int
    code_challenge: str = ""
    acr: str = "eidas1"


@dataclass(frozen=True)
class Interaction:
    """A pending /authorize, from the identity provider choice to the transmission screen."""

    uid: str
    client_id: str
    redirect_uri: str
    response_mode: str
    scopes: tuple[str, ...]
    state: str
    nonce: str
    claims: dict
    code_challenge: str
    created: float
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    idp: str = ""
    login: str = ""
    auth_time: int = 0
    login_hint: str = ""  # ProConnect: the e-mail typed on its first screen
    acr_values: tuple[str, ...] = ()  # as asked; the acr is chosen when the code is issued

    def grant(self, acr: str) -> Grant:
        return Grant(self.client_id, self.redirect_uri, self.login, self.idp, self.scopes, self.nonce,
                     self.claims, self.auth_time, self.code_challenge, acr)


@dataclass
class BrowserSession:
    """The simulator's own login session (its cookie), reused by a later /authorize of the same client."""

    login: str
    idp: str
    auth_time: int
    expires: float
    client_ids: set[str]


@dataclass
class _Code:
    grant: Grant
    created: float
    consumed: bool = False
    access_token: str = ""


@dataclass(frozen=True)
class AccessToken:
    """An opaque access token and the grant it stands for."""

    value: str
    grant: Grant
    created: float
    jti: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def expires(self) -> float:
        return self.created + ACCESS_TOKEN_TTL


class Store:
    """Everything the simulator remembers, behind one re-entrant lock."""

    def __init__(self, failure: str = "") -> None:
        self.lock = threading.RLock()
        self.reset(failure)

    def reset(self, failure: str = "") -> None:
        """Forget everything and put the clock back to real time."""
        with self.lock:
            self.clock_offset = 0.0
            self.failure = failure
            self.interactions: dict[str, Interaction] = {}
            self.sessions: dict[str, BrowserSession] = {}
            self.codes: dict[str, _Code] = {}
            self.tokens: dict[str, AccessToken] = {}
            self.requests: deque[dict] = deque(maxlen=10_000)  # bounded: the demo may run for days
            self.tampering: dict[str, dict] = {}

    def now(self) -> float:
        """The simulator's clock: real time shifted by /_sim/clock."""
        return time.time() + self.clock_offset

    def start_interaction(self, **fields) -> Interaction:
        with self.lock:
            self._purge()
            interaction = Interaction(uid=secrets.token_urlsafe(24), created=self.now(), **fields)
            self.interactions[interaction.uid] = interaction
            return interaction

    def interaction(self, uid: str) -> Interaction | None:
        """The pending interaction, or None when unknown or older than 30 minutes."""
        with self.lock:
            interaction = self.interactions.get(uid)
            if interaction and self.now() - interaction.created > INTERACTION_TTL:
                del self.interactions[uid]
                return None
            return interaction

    def update_interaction(self, uid: str, **changes) -> Interaction:
        with self.lock:
            self.interactions[uid] = replace(self.interactions[uid], **changes)
            return self.interactions[uid]

    def end_interaction(self, uid: str) -> None:
        with self.lock:
            self.interactions.pop(uid, None)

    def open_session(self, login: str, idp: str, auth_time: int, client_id: str) -> str:
        with self.lock:
            sid = secrets.token_urlsafe(32)
            self.sessions[sid] = BrowserSession(login, idp, auth_time, self.now() + SESSION_TTL, {client_id})
            return sid

    def session(self, sid: str | None) -> BrowserSession | None:
        """The live browser session with this id, or None."""
        with self.lock:
            session = self.sessions.get(sid or "")
            return session if session and session.expires > self.now() else None

    def close_session(self, sid: str | None) -> None:
        with self.lock:
            self.sessions.pop(sid or "", None)

    def issue_code(self, grant: Grant) -> str:
        with self.lock:
            code = secrets.token_urlsafe(32)  # 43 characters, like real codes
            self.codes[code] = _Code(grant, self.now())
            return code

    def redeem_code(self, code: str, client_id: str, redirect_uri: str, verifier: str) -> Grant:
        """Spend a code once; CodeRejected says why it cannot be exchanged."""
        with self.lock:
            record = self.codes.get(code)
            if record is None:
                raise CodeRejected("grant request is invalid (authorization code not found)")
            if record.consumed:
                self.tokens.pop(record.access_token, None)  # a replayed code revokes what it gave
                raise CodeRejected("grant request is invalid (authorization code already consumed)")
            if self.now() - record.created > CODE_TTL:
                raise CodeRejected("grant request is invalid (authorization code is expired)")
            if record.grant.client_id != client_id:
                raise CodeRejected("grant request is invalid (client mismatch)")
            if record.grant.redirect_uri != redirect_uri:
                raise CodeRejected("grant request is invalid (authorization code redirect_uri mismatch)")
            if record.grant.code_challenge and not _pkce_matches(record.grant.code_challenge, verifier):
                raise CodeRejected("grant request is invalid (PKCE verification failed)")
            record.consumed = True
            return record.grant

    def issue_access_token(self, grant: Grant, code: str) -> AccessToken:
        with self.lock:
            token = secrets.token_urlsafe(32)
            self.tokens[token] = AccessToken(token, grant, self.now())
            self.codes[code].access_token = token
            return self.tokens[token]

    def access_token(self, token: str) -> AccessToken | None:
        """The live access token, or None when unknown, revoked or older than 60 s."""
        with self.lock:
            record = self.tokens.get(token)
            return record if record and record.expires > self.now() else None

    def revoke(self, token: str, client_id: str) -> None:
        """RFC 7009: forget the token if it belongs to this client, and say nothing either way."""
        with self.lock:
            record = self.tokens.get(token)
            if record and record.grant.client_id == client_id:
                del self.tokens[token]

    def shift_clock(self, seconds: float | None) -> None:
        """Move the clock forward by seconds (None: back to real time)."""
        with self.lock:
            self.clock_offset = 0.0 if seconds is None else self.clock_offset + seconds

    def set_failure(self, mode: str) -> None:
        with self.lock:
            self.failure = mode

    def request_log(self, clear: bool = False) -> list[dict]:
        """The /api/v2 requests received so far (a copy); clear=True empties the log."""
        with self.lock:
            log = list(self.requests)
            if clear:
                self.requests.clear()
            return log

    def log_request(self, method: str, path: str) -> None:
        with self.lock:
            self.requests.append({"method": method, "path": path, "time": self.now()})

    def set_tampering(self, kind: str, spec: dict) -> None:
        with self.lock:
            self.tampering[kind] = spec

    def take_tampering(self, kind: str) -> dict | None:
        """The tampering asked for the next token of this kind, used once."""
        with self.lock:
            return self.tampering.pop(kind, None)

    def _purge(self) -> None:
        """Drop what has expired, so a long-running demo does not grow without bound."""
        now = self.now()
        self.interactions = {k: v for k, v in self.interactions.items() if now - v.created <= INTERACTION_TTL}
        self.codes = {k: v for k, v in self.codes.items() if now - v.created <= CODE_TTL}
        self.tokens = {k: v for k, v in self.tokens.items() if v.expires > now}
        self.sessions = {k: v for k, v in self.sessions.items() if v.expires > now}


def _pkce_matches(challenge: str, verifier: str) -> bool:
    """S256, the only method FranceConnect advertises."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return bool(verifier) and hmac.compare_digest(digest, challenge)
