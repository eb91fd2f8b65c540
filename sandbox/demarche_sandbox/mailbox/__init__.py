"""The demo mailbox's entry point: create_app() builds the DSFR page listing what its SMTP server received."""

from __future__ import annotations

import os

from flask import Flask, abort, current_app, jsonify, render_template

from demarche_sandbox import TEMPLATES, defaults
from demarche_sandbox.dsfr import register_dsfr
from demarche_sandbox.mailbox.smtp import Mailbox, SmtpServer

__all__ = ["Mailbox", "SmtpServer", "create_app"]


def create_app(overrides: dict | None = None, mailbox: Mailbox | None = None) -> Flask:
    """The mailbox page. Without a `mailbox`, one is made and its SMTP server started on
    MAILBOX_SMTP_HOST:MAILBOX_SMTP_PORT (default 127.0.0.1:1025)."""
    settings = {"MAILBOX_SMTP_HOST": "127.0.0.1", "MAILBOX_SMTP_PORT": str(defaults.PORTS["smtp"])}
    settings.update({k: os.environ[k] for k in settings if k in os.environ}, **(overrides or {}))
    app = Flask(__name__, static_folder=None, template_folder=str(TEMPLATES))
    if mailbox is None:
        mailbox = Mailbox()
        app.extensions["mailbox_smtp"] = SmtpServer(mailbox, settings["MAILBOX_SMTP_HOST"],
                                                    int(settings["MAILBOX_SMTP_PORT"]))
    app.extensions["mailbox"] = mailbox
    register_dsfr(app)
    app.add_url_rule("/", "index", _index)
    app.add_url_rule("/messages/<int:message_id>", "message", _message)
    app.add_url_rule("/_sim/messages", "messages_json", _messages_json)
    app.add_url_rule("/_sim/messages", "clear", _clear, methods=["DELETE"])
    return app


def _box() -> Mailbox:
    return current_app.extensions["mailbox"]


def _index() -> str:
    """Every message received, newest first."""
    return render_template("mailbox/index.html", messages=_box().messages())


def _message(message_id: int) -> str:
    message = _box().get(message_id) or abort(404)
    return render_template("mailbox/message.html", message=message)


def _messages_json():
    """The messages as JSON, for tests and scripts."""
    return jsonify([{"id": m.id, "to": list(m.recipients), "from": m.sender, "subject": m.subject, "body": m.body,
                     "received_at": m.received_at.isoformat()} for m in _box().messages()])


def _clear() -> tuple[str, int]:
    _box().clear()
    return "", 204
