"""flask webhooks add | list | remove | rotate-secret | enable: the organisations' endpoints, for operators;
new-key | reencrypt: the keys that encrypt their secrets at rest (demarche/encryption.py).

`add` and `rotate-secret` print the signing secret alone on their last line (public contract: scripts read it).
"""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup

from demarche import encryption
from demarche.extensions import db
from demarche.freetext import FREE_TEXT, FreeTextParam
from demarche.models import utcnow
from demarche.procedures import PROCEDURES
from demarche.webhooks import signing, ssrf
from demarche.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from demarche.webhooks.settings import settings

group = AppGroup("webhooks", help="Les webhooks des organisations (événements des dossiers, signés).")
ROTATION_GRACE = timedelta(hours=24)


def allow_loopback() -> bool:
    return settings().allow_loopback


def add_endpoint(siret: str, url: str, procedure: str | None = None) -> WebhookEndpoint:
    """Check and store a new endpoint with a fresh secret (committed); click.BadParameter in French otherwise."""
    if not (len(siret) == 14 and siret.isdigit()):
        raise click.BadParameter("un SIRET de 14 chiffres est attendu", param_hint="SIRET")
    if procedure and procedure not in PROCEDURES:
        raise click.BadParameter(f"démarches connues : {', '.join(PROCEDURES)}", param_hint="--procedure")
    try:
        ssrf.check(url, allow_loopback=allow_loopback())
    except ssrf.UnsafeUrl as refused:
        raise click.BadParameter(str(refused), param_hint="URL") from refused
    endpoint = WebhookEndpoint(siret=siret, url=url.strip(), procedure=procedure or None,
                               secret=signing.new_secret())
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise click.ClickException(f"aucun webhook n° {endpoint_id} (voir « flask webhooks list »)")
    return endpoint


@group.command("add")
@click.argument("siret", type=FREE_TEXT)
@click.argument("url", type=FreeTextParam(2000))
@click.option("--procedure", type=FREE_TEXT, default=None,
              help="Slug d’une démarche (par défaut : toutes celles du SIRET).")
def add(siret: str, url: str, procedure: str | None) -> None:
    """Send the events of the dossiers of SIRET to URL; prints the signing secret on the last line."""
    endpoint = add_endpoint(siret, url, procedure)
    scope = f"la démarche « {procedure} »" if procedure else "toutes ses démarches"
    click.echo(f"Webhook n° {endpoint.id} ajouté pour le SIRET {siret} ({scope}) : {endpoint.url}")
    click.echo("Secret de signature, à configurer dans le logiciel métier (il ne sera plus affiché) :")
    click.echo(endpoint.secret)


@group.command("list")
def list_endpoints() -> None:
    """Print every webhook: id, SIRET, démarche, state, URL."""
    now = utcnow()
    for endpoint in db.session.scalars(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id)):
        state = "actif" if endpoint.enabled else "DÉSACTIVÉ"
        if endpoint.previous_secret_until and endpoint.previous_secret_until > now:
            state += ", rotation du secret en cours"
        click.echo(f"{endpoint.id}  {endpoint.siret}  {endpoint.procedure or '*'}  {state}  {endpoint.url}")


@group.command("remove")
@click.argument("endpoint_id", type=int)
def remove(endpoint_id: int) -> None:
    """Delete the webhook and its pending deliveries."""
    endpoint = _endpoint(endpoint_id)
    deliveries = db.select(WebhookDelivery.id).filter_by(endpoint_id=endpoint_id)
    db.session.execute(db.delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries)))
    db.session.execute(db.delete(WebhookDelivery).filter_by(endpoint_id=endpoint_id))
    db.session.delete(endpoint)
    db.session.commit()
    click.echo(f"Webhook n° {endpoint_id} supprimé.")


@group.command("rotate-secret")
@click.argument("endpoint_id", type=int)
def rotate_secret(endpoint_id: int) -> None:
    """New secret; the old one still signs for 24 hours. Prints the new secret on the last line."""
    endpoint = _endpoint(endpoint_id)
    endpoint.previous_secret, endpoint.secret = endpoint.secret, signing.new_secret()
    endpoint.previous_secret_until = utcnow() + ROTATION_GRACE
    db.session.commit()
    click.echo(f"Nouveau secret du webhook n° {endpoint_id} : l’ancien signe aussi pendant 24 heures.")
    click.echo("Nouveau secret de signature (il ne sera plus affiché) :")
    click.echo(endpoint.secret)


@group.command("enable")
@click.argument("endpoint_id", type=int)
def enable(endpoint_id: int) -> None:
    """Re-enable a disabled webhook: its waiting events go out again, in order, from the start of the schedule."""
    from demarche.tasks.relay import relay

    endpoint = _endpoint(endpoint_id)
    endpoint.enabled, endpoint.disabled_at = True, None
    count = db.session.execute(db.update(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status.in_(("pending", "failed")))
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), locked_at=None)).rowcount
    db.session.commit()
    relay(grace_seconds=0)
    click.echo(f"Webhook n° {endpoint_id} réactivé : {count} événement(s) en attente d’envoi.")


@group.command("new-key")
def new_key() -> None:
    """Print a new key for DATA_ENCRYPTION_KEYS (put it first; keep the old ones until `reencrypt` has run)."""
    click.echo(encryption.new_key())


@group.command("reencrypt")
def reencrypt() -> None:
    """Encrypt every signing secret again under the newest key of DATA_ENCRYPTION_KEYS (then older keys may go)."""
    endpoints = db.session.scalars(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    for endpoint in endpoints:  # read (decrypted by any key), written back (encrypted by the first)
        db.session.execute(db.update(WebhookEndpoint).filter_by(id=endpoint.id).values(
            secret=endpoint.secret, previous_secret=endpoint.previous_secret))
    db.session.commit()
    click.echo(f"{len(endpoints)} webhook(s) : secrets chiffrés avec la clé la plus récente.")
