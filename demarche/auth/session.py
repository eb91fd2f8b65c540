"""What the session holds about the person signed in, and the short-lived steps of a login.

The session itself is server-side (demarche/sessions.py). Each feature reads and writes its own keys through
its own accessor (demarche/journey/session.py, demarche/backoffice/session.py, demarche/coulisses); this
module holds the login's, so a key is spelled once and every value comes back typed.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from flask import session

from demarche.identity import PivotIdentity

# Keys that survive the session-id rotation at login, declared by the features that own them (the démarche
# picked before login: demarche/journey/session.py; the demo trace: demarche/coulisses).
_KEPT_THROUGH_LOGIN: set[str] = set()


@dataclass(frozen=True)
class CitizenLogin:
    """A citizen signed in with FranceConnect, or with a code sent to their e-mail address (method "email":
    no certified identity, `sub` is the address, no ID token)."""

    citizen_id: int
    user_key: str  # pseudonymous key (HMAC of sub) used in logs
    identity: PivotIdentity | None
    sub: str
    id_token: str
    acr: str | None
    auth_time: int | None
    method: str = "franceconnect"

    @property
    def by_email(self) -> bool:
        return self.method == "email"

    @property
    def at_counter(self) -> bool:
        """An agent filing for a person present at the desk (demarche/counter): method "guichet"."""
        return self.method == "guichet"


@dataclass(frozen=True)
class AgentLogin:
    """An agent signed in with ProConnect."""

    agent_id: int
    user_key: str
    id_token: str
    acr: str | None


def citizen() -> CitizenLogin | None:
    """The citizen signed in, or None."""
    fc, by_email, counter = session.get("fc"), session.get("email_login"), session.get("counter")
    if not session.get("citizen_id") or not (fc or by_email or counter):
        return None
    if counter:  # inside an agent's session: the person at the desk, identity checked in person
        return CitizenLogin(citizen_id=session["citizen_id"], user_key=session["user_key"],
                            identity=PivotIdentity.from_claims(counter["identity"]), sub=counter["sub"],
                            id_token="", acr=None, auth_time=counter["at"], method="guichet")
    if not fc:
        return CitizenLogin(citizen_id=session["citizen_id"], user_key=session["user_key"], identity=None,
                            sub=by_email["address"], id_token="", acr=None, auth_time=by_email["at"], method="email")
    return CitizenLogin(citizen_id=session["citizen_id"], user_key=session["user_key"],
                        identity=PivotIdentity.from_claims(session["identity"]), sub=fc["sub"],
                        id_token=fc["id_token"], acr=fc.get("acr"), auth_time=fc.get("auth_time"))


def agent() -> AgentLogin | None:
    """The agent signed in, or None."""
    pc = session.get("pc")
    if not session.get("agent_id") or not pc:
        return None
    return AgentLogin(agent_id=session["agent_id"], user_key=session["user_key"], id_token=pc["id_token"],
                      acr=pc.get("acr"))


def user_key() -> str | None:
    """The pseudonymous key of whoever is signed in (for the logs)."""
    return session.get("user_key")


def citizen_id_of(data: MutableMapping[str, Any]) -> int | None:
    """The citizen of a raw session mapping (the session store indexes its rows by it)."""
    return data.get("citizen_id")


def open_citizen(login: CitizenLogin) -> None:
    """A new session id (no fixation) holding the citizen; the démarche picked and the demo trace stay."""
    kept = {key: session[key] for key in _KEPT_THROUGH_LOGIN if session.get(key)}
    session.clear()
    session.rotate()
    session.update(kept, citizen_id=login.citizen_id, user_key=login.user_key, identity=login.identity.to_dict(),
                   fc={"sub": login.sub, "id_token": login.id_token, "acr": login.acr, "auth_time": login.auth_time})


def open_email_citizen(citizen_id: int, user_key: str, address: str, at: int) -> None:
    """A new session id holding the citizen of an e-mail account; the démarche picked and the demo trace stay."""
    kept = {key: session[key] for key in _KEPT_THROUGH_LOGIN if session.get(key)}
    session.clear()
    session.rotate()
    session.update(kept, citizen_id=citizen_id, user_key=user_key, email_login={"address": address, "at": at})


def open_counter(citizen_id: int, sub: str, identity: dict, mandate_id: int, at: int) -> None:
    """The agent's session files for the person at the desk: the journey's pages act for them until
    close_counter(); the agent stays signed in (same session, no new id: nobody new signs in)."""
    session.update(citizen_id=citizen_id, counter={"sub": sub, "identity": identity, "mandate_id": mandate_id,
                                                   "at": at}, drafts={}, follow_ups={})


def counter_mandate_id() -> int | None:
    return (session.get("counter") or {}).get("mandate_id")


def counter_identity() -> dict | None:
    """The identity claims typed at the desk (marked source "guichet", with the declaration)."""
    return (session.get("counter") or {}).get("identity")


def close_counter() -> None:
    """Back to the agent alone: the person's drafts and the counter filing leave the session."""
    for key in ("citizen_id", "counter", "drafts", "follow_ups", "data_request"):
        session.pop(key, None)


def open_agent(login: AgentLogin) -> None:
    """A new session id holding the agent, never a citizen."""
    session.clear()
    session.rotate()
    session.update(agent_id=login.agent_id, user_key=login.user_key,
                   pc={"id_token": login.id_token, "acr": login.acr})


def keep_through_login(key: str) -> None:
    """A feature's session key that the login keeps (every other key is dropped with the old session id)."""
    _KEPT_THROUGH_LOGIN.add(key)


def close() -> None:
    """Forget everything and rotate the id: the old row and cookie are gone from here on."""
    session.clear()
    session.rotate()


def renew_citizen_id_token(id_token: str) -> None:
    """FranceConnect's latest ID token (the data request re-authenticates): the one logout must send."""
    session["fc"] = {**session["fc"], "id_token": id_token}


# The identity an e-mail account declared (demarche/declared_identity), kept for its démarches.
def keep_declared_identity(data: dict) -> None:
    session["declared_identity"] = data


def declared_identity() -> dict | None:
    return session.get("declared_identity")


# An OIDC round trip in flight: state, nonce and redirect URI stay server-side, single use.
def put_pending(key: str, value: dict | str) -> None:
    session[key] = value


def take_pending(key: str) -> Any:
    return session.pop(key, None)
