"""What the session holds of the agent's back-office: the dossiers opened in this session."""

from __future__ import annotations

from flask import session

# The dossiers an agent opened in this session (by a POST, journaled once): their page reloads without a
# new journal line; a GET alone, which another site can make the browser send, never writes the journal.
_OPENED_KEPT = 100


def remember_opened(reference: str) -> None:
    opened = [r for r in session.get("opened_dossiers") or [] if r != reference]
    session["opened_dossiers"] = [*opened, reference][-_OPENED_KEPT:]


def has_opened(reference: str) -> bool:
    return reference in (session.get("opened_dossiers") or [])
