"""What the citizen (and the agents) receive by e-mail about a dossier: the accusé de réception at submission,
one message at each change of status (a correction request carries the link to the correction page), and a
notice (a link, never the text) of each new message. Queued in the caller's transaction (demarche/mail.py)."""

from __future__ import annotations

import logging

from flask import render_template, url_for

from demarche import mail
from demarche.dates import display
from demarche.dossiers.models import Dossier
from demarche.dossiers.settings import settings
from demarche.dossiers.states import STATUSES
from demarche.models import OutboxMessage, utcnow

log = logging.getLogger("demarche.mail")


def queue_receipt(procedure, dossier: Dossier) -> OutboxMessage | None:
    """The accusé de réception, in the submission's transaction."""
    subject = f"Votre dossier n° {dossier.reference} a bien été déposé"
    body = render_template("mail/receipt.txt", **_context(procedure, dossier),
                           submitted_at=f"{display(dossier.submitted_at or utcnow())} (heure de Paris)")
    return _queue(dossier, "receipt", subject, body)


def queue_status(procedure, dossier: Dossier, motive: str | None) -> OutboxMessage | None:
    """The message announcing the dossier's new status, with the agent's motive."""
    status = STATUSES[dossier.status]
    subject = f"Votre dossier n° {dossier.reference} : {status.label.lower()}"
    body = render_template("mail/status.txt", **_context(procedure, dossier), status=status, motive=motive)
    return _queue(dossier, "status", subject, body)


def queue_correction_request(procedure, dossier: Dossier, motive: str, correction_path: str) -> OutboxMessage | None:
    """The agent's correction request: what to change, and a link to the correction page (FranceConnect)."""
    subject = f"Votre dossier n° {dossier.reference} : une correction vous est demandée"
    body = render_template("mail/correction_request.txt", **_context(procedure, dossier), motive=motive,
                           correction_url=settings().public_url + correction_path)
    return _queue(dossier, "correction", subject, body)


def queue_message_notice(procedure, dossier: Dossier, thread_url: str) -> OutboxMessage | None:
    """A new message from the organisation (demarche/messages): a link to the thread, never the text,
    so nothing written in the messagerie travels by e-mail."""
    subject = f"Nouveau message concernant votre dossier n° {dossier.reference}"
    body = render_template("mail/message.txt", **_context(procedure, dossier), thread_url=thread_url)
    return _queue(dossier, "message", subject, body)


def queue_agents_message_notice(procedure, dossier: Dossier, dossier_url: str, recipients: list[str],
                                count: int = 1) -> None:
    """New messages from the citizen (one, or a digest's `count` of unread ones, demarche/messages/notices.py):
    a link for each agent of the organisation, never the text. Not tied to the dossier (dossier_id None): the
    citizen's « Mes données » lists what was sent to them, not agents' addresses."""
    subject = (f"{count} messages non lus de l’usager, dossier n° {dossier.reference}" if count > 1
               else f"Nouveau message de l’usager, dossier n° {dossier.reference}")
    body = render_template("mail/message_agents.txt", **_context(procedure, dossier), dossier_url=dossier_url,
                           count=count)
    for recipient in recipients:
        mail.queue_message(None, "message_agents", recipient, subject, body)


def _context(procedure, dossier: Dossier) -> dict:
    identity = dossier.identity or {}
    config = settings()
    return {"dossier": dossier, "procedure_title": procedure.title if procedure else dossier.procedure,
            "name": f"{identity.get('given_name', '')} {identity.get('family_name', '')}".strip() or "Madame, Monsieur",
            "url": config.public_url + url_for("journey.my_dossiers"), "commune": config.commune_name}


def recipient_of(dossier: Dossier) -> str:
    """The address the citizen gave in the form, else the one FranceConnect knows, else ""."""
    return ((dossier.answers or {}).get("email") or (dossier.identity or {}).get("email") or "").strip()


def _queue(dossier: Dossier, kind: str, subject: str, body: str) -> OutboxMessage | None:
    recipient = recipient_of(dossier)
    if not recipient:
        log.info("no e-mail address for this dossier", extra={"context": {"kind": kind}})
        return None
    return mail.queue_message(dossier.id, kind, recipient, subject, body)
