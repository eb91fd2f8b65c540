"""What the session holds of the citizen's journey: the démarche picked before login (kept through it), one
draft per démarche, a démarche reopened from a dossier (correction or renewal), and a data request in flight.
The only reader and writer of these keys; the login's are demarche/auth/session.py's."""

from __future__ import annotations

from flask import session

CHOSEN = "chosen_procedure"  # kept through the login (journey.init_app)


# The démarche a visitor picked before logging in.
def choose_procedure(slug: str) -> None:
    session[CHOSEN] = slug


def chosen_procedure() -> str | None:
    return session.get(CHOSEN)


def take_chosen_procedure() -> str | None:
    return session.pop(CHOSEN, None)


# Drafts: one per démarche, by id.
def draft_id(slug: str) -> int | None:
    return (session.get("drafts") or {}).get(slug)


def keep_draft(slug: str, draft_id: int) -> None:
    session["drafts"] = {**(session.get("drafts") or {}), slug: draft_id}


def forget_draft(slug: str) -> None:
    session["drafts"] = {k: v for k, v in (session.get("drafts") or {}).items() if k != slug}


# A démarche reopened from one of the citizen's dossiers: its correction (to certify the data again under a
# new consent) or its renewal; kept per démarche until the new consent's form is sent.
def start_follow_up(slug: str, kind: str, reference: str) -> None:
    session["follow_ups"] = {**(session.get("follow_ups") or {}), slug: {"kind": kind, "reference": reference}}


def follow_up(slug: str) -> tuple[str, str] | None:
    """(kind, reference) of the dossier this démarche was reopened from, or None."""
    found = (session.get("follow_ups") or {}).get(slug)
    return (found["kind"], found["reference"]) if found else None


def forget_follow_up(slug: str) -> None:
    if slug in (session.get("follow_ups") or {}):
        session["follow_ups"] = {k: v for k, v in session["follow_ups"].items() if k != slug}


# A data request in flight (between the consent and FranceConnect's data callback); refresh: the draft whose
# certified data is fetched again.
def start_data_request(slug: str, consent_id: int, refresh: int | None = None) -> None:
    session["data_request"] = {"slug": slug, "consent_id": consent_id, "refresh": refresh}


def take_data_request() -> tuple[str, int, int | None] | None:
    pending = session.pop("data_request", None)
    return (pending["slug"], pending["consent_id"], pending.get("refresh")) if pending else None
