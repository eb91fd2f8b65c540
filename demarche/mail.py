"""E-mails to citizens through a transactional outbox: an accusé de réception at submission, then one
message at each change of status (a correction request carries the link to the correction page), and a
notice (a link, never the text) of each message from the agents.

queue_*() add the message to the caller's transaction, so a status change and its e-mail are committed
together or not at all. After the commit, the task queue (demarche/tasks) sends it over SMTP (smtplib,
STARTTLS when configured); a message that could not be sent stays in outbox_message, and the queue's relay
(or `flask send-mail`) retries it. Logs name a message by id and kind, never by address or content.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template, url_for
from sqlalchemy import or_, update

from demarche import tasks
from demarche.dates import display
from demarche.dossiers.models import Dossier
from demarche.dossiers.states import STATUSES
from demarche.extensions import db
from demarche.models import OutboxMessage, utcnow

log = logging.getLogger("demarche.mail")
SMTP_TIMEOUT = 10
LOCK_TIMEOUT = timedelta(minutes=10)  # a sender that died leaves its claim; another may take it after this
# Messages whose body is a secret (the e-mail sign-in's one-time code): emptied once sent, never kept in clear.
SECRET_KINDS = {"login_code"}


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
                           correction_url=current_app.config["SETTINGS"].public_url + correction_path)
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
        queue_message(None, "message_agents", recipient, subject, body)


def _context(procedure, dossier: Dossier) -> dict:
    identity = dossier.identity or {}
    settings = current_app.config["SETTINGS"]
    return {"dossier": dossier, "procedure_title": procedure.title if procedure else dossier.procedure,
            "name": f"{identity.get('given_name', '')} {identity.get('family_name', '')}".strip() or "Madame, Monsieur",
            "url": settings.public_url + url_for("journey.my_dossiers"), "commune": settings.commune_name}


def recipient_of(dossier: Dossier) -> str:
    """The address the citizen gave in the form, else the one FranceConnect knows, else ""."""
    return ((dossier.answers or {}).get("email") or (dossier.identity or {}).get("email") or "").strip()


def _queue(dossier: Dossier, kind: str, subject: str, body: str) -> OutboxMessage | None:
    recipient = recipient_of(dossier)
    if not recipient:
        log.info("no e-mail address for this dossier", extra={"context": {"kind": kind}})
        return None
    return queue_message(dossier.id, kind, recipient, subject, body)


def queue_message(dossier_id: int | None, kind: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Any e-mail, in the caller's transaction; the task queue sends it once committed."""
    message = OutboxMessage(dossier_id=dossier_id, kind=kind, recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    tasks.later("send_mail", message)
    return message


@tasks.job("send_mail")
def send_one(message_id: int) -> None:
    """The queue's job: send this message if it is still unsent."""
    deliver([message_id])


@tasks.relay_source
def unsent(cutoff) -> list[tuple[str, int]]:
    """Messages still unsent (and not being sent) since before `cutoff`, for the relay; none without SMTP."""
    if not current_app.config["SETTINGS"].smtp_host:
        return []
    ids = db.session.scalars(db.select(OutboxMessage.id).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.created_at < cutoff,
        or_(OutboxMessage.locked_at.is_(None), OutboxMessage.locked_at < utcnow() - LOCK_TIMEOUT))
        .order_by(OutboxMessage.id).limit(200)).all()
    return [("send_mail", message_id) for message_id in ids]


def deliver(ids: list[int]) -> tuple[int, int]:
    """Send these messages if still unsent; return (sent, failed). Never raises."""
    settings = current_app.config["SETTINGS"]
    if not settings.smtp_host:
        log.info("e-mail kept in the outbox: no SMTP server configured", extra={"context": {"count": len(ids)}})
        return 0, 0
    sent = failed = 0
    for message_id in ids:
        if not _claim(message_id):
            continue
        message = db.session.get(OutboxMessage, message_id)
        if message is None:  # purged meanwhile
            continue
        try:
            _send(settings, message)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.locked_at, message.last_error = None, type(error).__name__
            failed += 1
            log.warning("e-mail not sent", extra={"context": {"message_id": message_id, "kind": message.kind,
                                                               "error": type(error).__name__}})
        else:
            message.attempts += 1
            message.sent_at, message.locked_at, message.last_error = utcnow(), None, None
            if message.kind in SECRET_KINDS:
                message.body = "(effacé après l’envoi)"
            sent += 1
            log.info("e-mail sent", extra={"context": {"message_id": message_id, "kind": message.kind}})
        db.session.commit()
    return sent, failed


def deliver_pending(limit: int = 200) -> tuple[int, int]:
    """Retry every unsent message (flask send-mail), oldest first."""
    ids = db.session.scalars(db.select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))
                             .order_by(OutboxMessage.id).limit(limit)).all()
    return deliver(list(ids))


def _claim(message_id: int) -> bool:
    """Take the message for sending, atomically: two senders never send the same message."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               or_(OutboxMessage.locked_at.is_(None), OutboxMessage.locked_at < now - LOCK_TIMEOUT))
        .values(locked_at=now)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _send(settings, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = settings.mail_from, message.recipient, message.subject
    email["Message-ID"] = make_msgid(domain="demarche.outbox")
    email.set_content(message.body, cte="quoted-printable")  # 7-bit on the wire, accents included
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(email)
