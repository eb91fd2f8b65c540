"""Opinions: record one anonymously, count them per démarche for the back-office."""

from __future__ import annotations

from sqlalchemy import func, select

from demarche import freetext
from demarche.extensions import db
from demarche.feedback.models import Feedback
from demarche.models import utcnow

# The three faces, best first: code, label, face (drawn next to the label, hidden from screen readers).
RATINGS = (("bien", "Bien", "🙂"), ("moyen", "Moyen", "😐"), ("mal", "Pas bien", "🙁"))
COMMENT_MAX = 1000


class FeedbackRefused(ValueError):
    """Nothing recorded; str(error) says why, in French."""


def record(procedure: str, siret: str | None, rating: str, comment: str = "") -> Feedback:
    """Store an opinion with the démarche, the organisation and the month: nothing that leads to a person."""
    if rating not in {code for code, _, _ in RATINGS}:
        raise FeedbackRefused("Choisissez l’un des trois visages pour donner votre avis.")
    try:
        comment = freetext.clean(comment or "", multiline=True, max_length=COMMENT_MAX)
    except freetext.TextRefused as refused:
        raise FeedbackRefused(str(refused)) from None
    comment = " ".join(comment.split())  # one plain line: line breaks and runs of spaces become one space
    feedback = Feedback(procedure=procedure, organisation_siret=siret, rating=rating, comment=comment or None,
                        month=f"{utcnow():%Y-%m}")
    db.session.add(feedback)
    db.session.commit()
    return feedback


def counts(siret: str) -> dict[str, dict[str, int]]:
    """{procedure: {rating: count}} for one organisation."""
    rows = db.session.execute(select(Feedback.procedure, Feedback.rating, func.count())
                              .where(Feedback.organisation_siret == siret)
                              .group_by(Feedback.procedure, Feedback.rating)).all()
    result: dict[str, dict[str, int]] = {}
    for procedure, rating, count in rows:
        result.setdefault(procedure, {code: 0 for code, _, _ in RATINGS})[rating] = count
    return result


def recent_comments(siret: str, limit: int = 20) -> list[Feedback]:
    """The latest comments, to read alongside the counts."""
    return list(db.session.scalars(select(Feedback).where(Feedback.organisation_siret == siret,
                                                          Feedback.comment.is_not(None))
                                   .order_by(Feedback.id.desc()).limit(limit)))
