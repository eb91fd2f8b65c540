"""Disabling an endpoint whose deliveries failed for a day, and telling the organisation's agents by e-mail."""

from __future__ import annotations

from flask import render_template

from demarche import mail
from demarche.extensions import db
from demarche.models import AgentAuthorisation, utcnow
from demarche.webhooks.models import WebhookEndpoint
from demarche.webhooks.settings import settings


def disable(endpoint: WebhookEndpoint, last_error: str) -> int:
    """Disable the endpoint and queue one e-mail per agent on the allow-list of its SIRET; how many."""
    endpoint.enabled, endpoint.disabled_at = False, utcnow()
    config = settings()
    recipients = db.session.scalars(db.select(AgentAuthorisation.email)
                                    .filter_by(siret=endpoint.siret).order_by(AgentAuthorisation.email)).all()
    subject = f"Webhook désactivé : {endpoint.url}"[:255]
    body = render_template("mail/webhook_disabled.txt", endpoint=endpoint, last_error=last_error,
                           log_url=f"{config.public_url}/agents/webhooks", commune=config.commune_name)
    for email in recipients:
        mail.queue_message(None, "webhook_disabled", email, subject, body)
    return len(recipients)
