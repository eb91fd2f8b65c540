"""The service's application factory: configuration, extensions, then every feature plugged in the same way,
`feature.init_app(app)`, in the one list below (docs/architecture.md)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from demarche import (
    accessibility,
    api,
    auth,
    backoffice,
    cli,
    corrections,
    coulisses,
    counter,
    dossiers,
    errors,
    feedback,
    identity_checks,
    journey,
    messages,
    metrics,
    my_data,
    pages,
    providers,
    ratelimit,
    renewal,
    resilience,
    schema,
    tasks,
    verification,
    webhooks,
)
from demarche.assets import register_dsfr
from demarche.auth import session as auth_session
from demarche.auth.guards import current_identity, current_login
from demarche.config import connections, flask_config, load_settings
from demarche.extensions import csrf, db
from demarche.http_headers import install_security_headers
from demarche.observability import configure_logging
from demarche.proxies import trust_proxies
from demarche.sessions import DatabaseSessionInterface
from demarche.templating import register_filters

ROOT = Path(__file__).resolve().parent.parent

# Every feature, in order: each reads its settings and registers its blueprints, hooks and commands in
# init_app(app). The infrastructure first (guards, provider clients, rate limits), the task queue last: it
# binds the jobs, schedules and retention rules the features above declared.
FEATURES = (
    resilience,  # per-provider quota, bulkhead and circuit breaker
    providers,  # API Particulier and DGFiP clients, each with its guard
    ratelimit,  # before the features whose pages it limits
    pages,
    accessibility,  # the RGAA self-audit, the statement's figures, the footer's status, « Rester connecté »
    auth,  # FranceConnect; ProConnect when configured; the e-mail sign-in unless EMAIL_LOGIN=0
    dossiers,
    journey,
    corrections,
    renewal,
    my_data,
    coulisses,  # the demo's trace listens to the pattern's signals; off the path elsewhere
    webhooks,
    backoffice,  # only with a ProConnect client
    counter,  # « Déposer pour un usager présent », with the back-office and COUNTER_FILING
    identity_checks,  # an agent checks an identity an e-mail account declared
    messages,
    verification,
    feedback,
    api,
    tasks,
    metrics,  # the operators' metrics, on HEALTH_PORT (/metrics)
)


def create_app(overrides: dict | None = None) -> Flask:
    """Build the service from the environment; `overrides` replaces environment variables (tests)."""
    app = Flask("demarche", template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    env = None if overrides is None else {**os.environ, **overrides}
    settings = load_settings(env, instance_path=app.instance_path)
    if settings.db_check:  # the deployment's worst case fits in PostgreSQL's max_connections, or no start
        connections.check(settings.database_url, settings.db_budget, settings.db_pooler)
    if settings.database_url.startswith(f"sqlite:///{Path(app.instance_path).resolve()}/"):
        Path(app.instance_path).mkdir(exist_ok=True)  # the default database's folder, only when it is used
    trust_proxies(app, settings.trusted_proxy_hops, settings.trusted_proxy_networks)
    app.config.update(flask_config(settings), PUBLIC_URL=settings.public_url, SETTINGS=settings)
    app.session_interface = DatabaseSessionInterface(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_absolute_hours),
    )
    db.init_app(app)
    schema.register_for_commands(app)  # `flask db upgrade`; workers do without Alembic
    # First: every later hook, CSRF included, logs with the correlation id and who is signed in.
    configure_logging(app, user_key=auth_session.user_key)
    csrf.init_app(app)
    # form-action also covers the redirect after a POST: the login and logout buttons lead to the providers.
    origins = {"{0.scheme}://{0.netloc}".format(urlsplit(url))
               for url in (settings.fc_issuer, settings.pc_issuer) if url}
    install_security_headers(app, https=settings.https, form_action=" ".join(sorted(origins)))
    register_dsfr(app)
    for feature in FEATURES:
        feature.init_app(app)
    errors.register_error_handlers(app)
    register_filters(app)
    app.context_processor(lambda: {"settings": settings, "current_identity": current_identity,
                                   "current_login": current_login})
    cli.register(app)
    return app
