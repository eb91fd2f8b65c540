"""flask commands for operators: retention purge, e-mail retries, the agents' allow-list."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from demarche import mail
from demarche.extensions import db
from demarche.freetext import FREE_TEXT
from demarche.models import AgentAuthorisation
from demarche.sessions import purge_expired_sessions
from demarche.tasks import retention
from demarche.validation import is_email

agents = AppGroup("agents", help="Les agents habilités à instruire les dossiers d’une organisation.")


def register(app: Flask) -> None:
    @app.cli.command("purge-sessions")
    def purge_sessions() -> None:
        """Delete expired sessions (idle or absolute timeout) and print how many."""
        settings = current_app.config["SETTINGS"]
        count = purge_expired_sessions(timedelta(minutes=settings.session_idle_minutes))
        click.echo(f"{count} session(s) expirée(s) supprimée(s).")

    @app.cli.command("purge")
    @click.option("--now", "now", type=click.DateTime(), default=None,
                  help="Date et heure (UTC) à laquelle se placer, pour vérifier ce qui serait supprimé.")
    def purge(now: datetime | None) -> None:
        """Delete expired dossiers (with their personal data and consent records), drafts and sessions."""
        counts = retention.purge(now)
        for kind, count in counts.items():
            click.echo(f"{kind} : {count} supprimé(s)")

    @app.cli.command("send-mail")
    def send_mail() -> None:
        """Send the e-mails still waiting in the outbox (failed or sent while SMTP was down)."""
        sent, failed = mail.deliver_pending()
        click.echo(f"{sent} courriel(s) envoyé(s), {failed} en échec.")

    app.cli.add_command(agents)


@agents.command("add")
@click.argument("email", type=FREE_TEXT)
@click.argument("siret", type=FREE_TEXT)
def add_agent(email: str, siret: str) -> None:
    """Allow EMAIL to instruct the dossiers of the organisation SIRET."""
    email = email.strip().lower()
    if not (len(siret) == 14 and siret.isdigit()) or not is_email(email):
        raise click.BadParameter("une adresse électronique et un SIRET de 14 chiffres sont attendus")
    if db.session.scalar(db.select(AgentAuthorisation).filter_by(email=email, siret=siret)) is None:
        db.session.add(AgentAuthorisation(email=email, siret=siret, created_by="cli"))
        db.session.commit()
    click.echo(f"{email} est habilité(e) pour le SIRET {siret}.")


@agents.command("remove")
@click.argument("email", type=FREE_TEXT)
@click.argument("siret", type=FREE_TEXT)
def remove_agent(email: str, siret: str) -> None:
    """Withdraw the authorisation of EMAIL for SIRET (effective at the agent's next request)."""
    count = db.session.execute(db.delete(AgentAuthorisation).filter_by(email=email.strip().lower(),
                                                                       siret=siret)).rowcount
    db.session.commit()
    click.echo(f"{count} habilitation(s) retirée(s).")


@agents.command("list")
def list_agents() -> None:
    """Print every authorisation."""
    for row in db.session.scalars(db.select(AgentAuthorisation).order_by(AgentAuthorisation.siret,
                                                                         AgentAuthorisation.email)):
        click.echo(f"{row.siret}  {row.email}{'  (guichet)' if row.counter_filing else ''}")


@agents.command("guichet")
@click.argument("email", type=FREE_TEXT)
@click.argument("siret", type=FREE_TEXT)
@click.option("--retirer", is_flag=True, help="Retirer cette habilitation (l’agent garde celle d’instruire).")
def counter_agent(email: str, siret: str, retirer: bool) -> None:
    """Allow EMAIL (already on the allow-list for SIRET) to file for a person present at the desk."""
    row = db.session.scalar(db.select(AgentAuthorisation).filter_by(email=email.strip().lower(), siret=siret))
    if row is None:
        raise click.BadParameter("cet agent n’est pas habilité pour ce SIRET : « flask agents add » d’abord")
    row.counter_filing = not retirer
    db.session.commit()
    click.echo(f"{row.email} {'ne peut plus' if retirer else 'peut'} déposer pour un usager présent "
               f"(SIRET {siret}).")
