"""The renewal invitations, a daily job of the task queue: from the commune's date (RENEWAL_INVITATION_DATE)
until the school year starts, one e-mail per accepted dossier whose family asked for it (Dossier.renewal_reminder)
and that was not renewed yet. Idempotent: RenewalInvitation's unique (dossier, school year) is written in the
e-mail's transaction, so a second run, or two at once, send nothing more."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import current_app, render_template, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from demarche import mail, tasks
from demarche.dates import local
from demarche.dossiers import notices, retention
from demarche.dossiers.models import Dossier
from demarche.dossiers.renewal import invitation_day, label, school_year
from demarche.dossiers.settings import settings
from demarche.extensions import db
from demarche.models import utcnow
from demarche.procedures import PROCEDURES
from demarche.renewal.models import RenewalInvitation

log = logging.getLogger("demarche.renewal")
WINDOW = timedelta(days=92)  # from the date (1st of June by default) to the start of the school year


def season(today: date) -> int | None:
    """The school year the invitations are for today (its first year), or None outside the window."""
    month, day = invitation_day()
    opens = date(today.year, month, min(day, 28) if month == 2 else day)  # 02-29: the 28th in other years
    return today.year if opens <= today < opens + WINDOW else None


def send_due(today: date | None = None) -> int:
    """Invite every family due today; how many invitations were written."""
    year = season(today or local(utcnow()).date())
    if year is None:
        return 0
    with current_app.test_request_context():  # links and templates outside a request (the queue's worker)
        sent = sum(_invite(dossier, year) for dossier in _due(year))
    log.info("renewal invitations", extra={"context": {"school_year": year, "sent": sent}})
    return sent


def _due(year: int) -> list[Dossier]:
    renewable = [slug for slug, procedure in PROCEDURES.items() if procedure.renewable]
    invited = select(RenewalInvitation.dossier_id).where(RenewalInvitation.school_year == year)
    renewed = select(Dossier.renewal_of).where(Dossier.renewal_of.is_not(None))
    query = select(Dossier).where(Dossier.procedure.in_(renewable), Dossier.status == "accepte",
                                  Dossier.renewal_reminder.is_(True), Dossier.id.not_in(invited),
                                  Dossier.reference.not_in(renewed)).order_by(Dossier.id)
    return [dossier for dossier in db.session.scalars(query) if school_year(dossier) == year - 1]


def _invite(dossier: Dossier, year: int) -> bool:
    """The invitation row and its e-mail in one transaction; False if another run wrote it first."""
    db.session.add(RenewalInvitation(dossier_id=dossier.id, school_year=year))
    recipient = notices.recipient_of(dossier)
    if recipient:
        mail.queue_message(dossier.id, "renewal", recipient, _subject(year), _body(dossier, year))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _subject(year: int) -> str:
    return f"Réinscription à la restauration scolaire pour l’année {label(year)}"


def _body(dossier: Dossier, year: int) -> str:
    config, identity = settings(), dossier.identity or {}
    procedure = PROCEDURES[dossier.procedure]
    return render_template(
        "mail/renewal_invitation.txt", dossier=dossier, procedure_title=procedure.title, year=label(year),
        name=f"{identity.get('given_name', '')} {identity.get('family_name', '')}".strip() or "Madame, Monsieur",
        url=config.public_url + url_for("journey.receipt", slug=dossier.procedure, reference=dossier.reference),
        commune=config.commune_name)


@tasks.periodic(tasks.crontab(hour="7", minute="5"), name="renewal_invitations")
def daily() -> None:
    """Every morning (UTC): invite the families due to renew; idempotent, so a missed or doubled run is harmless."""
    send_due()


@retention.attached
def forget(dossier_ids: list[int]) -> dict[str, int]:
    """A purged dossier's invitations go with it (demarche/dossiers/retention.py)."""
    db.session.execute(db.delete(RenewalInvitation).where(RenewalInvitation.dossier_id.in_(dossier_ids))
                       .execution_options(synchronize_session=False))
    return {}
