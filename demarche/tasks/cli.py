"""flask tasks worker | scheduler | relay: the processes that consume the queue (docker-compose.yml)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from demarche.tasks import queue
from demarche.tasks.registry import WORKER_STARTS
from demarche.tasks.relay import relay

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
@click.option("--metrics-port", type=int, default=0, envvar="TASKS_METRICS_PORT",
              help="Port (sur 127.0.0.1) où publier les métriques de ce processus ; 0 : aucun.")
def worker(workers: int, metrics_port: int) -> None:
    """Run the jobs of the queue (prefill, e-mails, webhook deliveries); no periodic job. Samples the queue's
    depth and the families waiting for the operators' metrics (demarche/metrics), served on `--metrics-port`
    and, with PROMETHEUS_MULTIPROC_DIR shared with gunicorn on the same host, by its HEALTH_PORT too."""
    huey = _broker()
    for start in WORKER_STARTS:  # what the features run beside the jobs (demarche/metrics: its sampler)
        start(current_app._get_current_object())
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")  # never all interfaces (its default)
    queue.consumer(huey, workers=workers, periodic=False).run()


@group.command("scheduler")
def scheduler() -> None:
    """Enqueue the periodic jobs (relay every minute, purge every night) and run jobs with one thread."""
    queue.consumer(_broker(), workers=1, periodic=True).run()


@group.command("relay")
def relay_now() -> None:
    """Hand the queue every due e-mail and webhook delivery now (what the scheduler does every minute)."""
    click.echo(f"{relay(grace_seconds=0)} tâche(s) confiée(s) à la file.")
