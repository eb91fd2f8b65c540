"""`flask api-tokens`: create (the token is printed once, alone on the last line), list, revoke."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from demarche.api import tokens
from demarche.dates import display
from demarche.extensions import db
from demarche.freetext import FREE_TEXT, FreeTextParam
from demarche.models import ApiToken

api_tokens = AppGroup("api-tokens", help="Les jetons d’accès à l’API des logiciels des organisations.")


@api_tokens.command("create")
@click.argument("siret", type=FREE_TEXT)
@click.option("--scope", type=click.Choice(tokens.SCOPES), required=True,
              help="read : lire les dossiers ; instruct : les lire et changer leur état.")
@click.option("--name", type=FreeTextParam(100), default="",
              help="Nom du logiciel, affiché dans le journal des accès et à l’usager.")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=tokens.DEFAULT_EXPIRY_DAYS, show_default=True,
              help="Durée de validité, en jours.")
def create(siret: str, scope: str, name: str, expires_days: int) -> None:
    """Create a token for the organisation SIRET; the token is printed once, alone on the last line."""
    if not (len(siret) == 14 and siret.isdigit()):
        raise click.BadParameter("un SIRET de 14 chiffres est attendu", param_hint="SIRET")
    name = name.strip()[:100] or f"Logiciel {siret}"
    row, token = tokens.create(siret, scope, name, expires_days)
    click.echo(f"Jeton n° {row.id} « {row.name} » (portée {row.scope}) pour le SIRET {row.siret}, "
               f"valable jusqu’au {display(row.expires_at)}.")
    click.echo("Conservez-le maintenant : il ne sera plus jamais affiché.")
    click.echo(token)  # the public contract: the token alone on the last line


@api_tokens.command("list")
@click.argument("siret", type=FREE_TEXT, required=False)
def list_tokens(siret: str | None) -> None:
    """Print the tokens (of one SIRET if given), never the tokens themselves."""
    query = db.select(ApiToken).order_by(ApiToken.siret, ApiToken.id)
    if siret:
        query = query.where(ApiToken.siret == siret)
    for row in db.session.scalars(query):
        state = ("révoqué le " + display(row.revoked_at) if row.revoked_at else
                 "actif" if tokens.is_active(row) else "expiré")
        click.echo(f"{row.id}  {row.siret}  {row.scope:<8}  {row.name}  (créé le {display(row.created_at)}, "
                   f"expire le {display(row.expires_at)}, {state})")


@api_tokens.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
def revoke(token_id: int) -> None:
    """Revoke the token ID: refused from the next request on."""
    row = tokens.revoke(token_id)
    if row is None:
        raise click.ClickException(f"aucun jeton n° {token_id}")
    click.echo(f"Jeton n° {row.id} « {row.name} » révoqué.")
