"""flask tasks worker | scheduler | relay: the processes that consume the queue (docker-compose.yml)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from demarche.tasks import queue

group = AppGroup("tasks", help="La file des tâches de fond (courriels, webhooks, purge).")


def register(app: Flask) -> None:
    app.cli.add_command(group)


def _broker():
    state = current_app.extensions["tasks"]
    if not current_app.config["SETTINGS"].redis_url:
        raise click.ClickException("REDIS_URL n'est pas défini : sans courtier partagé, le service exécute "
                                   "lui-même les tâches de fond, aucun processus séparé n'est nécessaire.")
    return state.huey


@group.command("worker")
@click.option("--workers", "-w", default=4, show_default=True, envvar="TASKS_WORKERS",
              help="Nombre de fils d’exécution.")
def worker(workers: int) -> None:
    """Run the jobs of the queue (e-mails, webhook deliveries); no periodic job."""
    queue.consumer(_broker(), workers=workers, periodic=False).run()


@group.command("scheduler")
def scheduler() -> None:
    """Enqueue the periodic jobs (relay every minute, purge every night) and run jobs with one thread."""
    queue.consumer(_broker(), workers=1, periodic=True).run()


@group.command("relay")
def relay_now() -> None:
    """Hand the queue every due e-mail and webhook delivery now (what the scheduler does every minute)."""
    from demarche.tasks.relay import relay

    click.echo(f"{relay(grace_seconds=0)} tâche(s) confiée(s) à la file.")
