"""E-mails through a transactional outbox; what they say is written by the features (the dossier's notices:
demarche/dossiers/notices.py).

queue_message() adds the message to the caller's transaction, so a status change and its e-mail are committed
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

from flask import current_app
from sqlalchemy import or_, update

from demarche import tasks
from demarche.extensions import db
from demarche.models import OutboxMessage, utcnow

log = logging.getLogger("demarche.mail")
SMTP_TIMEOUT = 10
LOCK_TIMEOUT = timedelta(minutes=10)  # a sender that died leaves its claim; another may take it after this
# Messages whose body is a secret (the e-mail sign-in's one-time code): emptied once sent, never kept in clear.
SECRET_KINDS = {"login_code"}


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
