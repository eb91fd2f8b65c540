"""Fetching a draft's certified data again from the review page: at most once per 24 hours per draft, each
time with a new consent record (and, in the france_connect modality, a new FranceConnect authorization).

A family's quotient changes; demarches-simplifiees lets citizens refresh certified data once a day
(https://github.com/demarche-numerique/demarche.numerique.gouv.fr/issues/12882). A provider that fails this
time does not erase what it certified before; an answer about someone else, or « no file », does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from demarche.extensions import db
from demarche.models import ConsentRecord, Prefill, utcnow
from demarche.providers.results import FailureKind

INTERVAL = timedelta(hours=24)
# Today's answer says the former data no longer holds: it goes.
CURRENT_ANSWERS = (FailureKind.MISMATCH.value, FailureKind.NOT_FOUND.value)


def refreshable(draft: Prefill) -> bool:
    """A draft whose data came from an accepted consent (not « je préfère remplir moi-même »)."""
    consent = db.session.get(ConsentRecord, draft.consent_id)
    return consent is not None and consent.decision == "accepted"


def next_refresh(draft: Prefill) -> datetime | None:
    """When the draft may be refreshed again (naive UTC), or None when it may be now."""
    if draft.refreshed_at is None or draft.refreshed_at + INTERVAL <= utcnow():
        return None
    return draft.refreshed_at + INTERVAL


def refreshed(draft: Prefill, consent: ConsentRecord, certified: dict, failures: dict) -> Prefill:
    """The draft with today's answers: new data replaces the old, a failure keeps the old data."""
    kept = {key: value for key, value in (draft.certified or {}).items()
            if key not in certified and failures.get(key) not in CURRENT_ANSWERS}
    draft.certified = {**kept, **certified}
    draft.failures = failures
    draft.mode = "certified" if draft.certified else draft.mode
    draft.consent_id = consent.id
    draft.refreshed_at = utcnow()
    db.session.commit()
    return draft
