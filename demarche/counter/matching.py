"""The person filed for at a desk logs in with FranceConnect later: their dossiers and mandates join their
account, matched on the pivot identity (nom de naissance, prénoms, date and lieu de naissance, sexe), the
identity FranceConnect certifies (https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-scope-fc/).
"""

from __future__ import annotations

import hashlib
import unicodedata

from demarche import signals
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.identity import PivotIdentity
from demarche.models import ConsentRecord, utcnow


def _plain(text: str) -> str:
    """Upper case without accents, one space between words: « Angela  Claire-Louise » == « ANGELA CLAIRE-LOUISE »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).upper().split())


def match_key(identity: PivotIdentity) -> str:
    """SHA-256 of the five pivot claims, normalised: the same person typed at the desk and certified by FC."""
    parts = (_plain(identity.family_name), _plain(identity.given_name), identity.birthdate, identity.gender,
             identity.birthplace or "", identity.birthcountry)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@signals.citizen_signed_in.connect
def join_counter_filings(citizen_id: int, identity: PivotIdentity, **_) -> None:
    """Move the desk's dossiers and mandates of this exact identity to the FranceConnect account."""
    from demarche.counter.models import Mandate

    mandates = db.session.scalars(db.select(Mandate).where(Mandate.match_key == match_key(identity),
                                                           Mandate.matched_at.is_(None))).all()
    for mandate in mandates:
        for model in (Dossier, ConsentRecord):  # the dossier and the consents given at the desk
            db.session.execute(db.update(model).where(model.citizen_id == mandate.citizen_id)
                               .values(citizen_id=citizen_id))
        mandate.citizen_id, mandate.matched_at = citizen_id, utcnow()
    if mandates:
        db.session.commit()
