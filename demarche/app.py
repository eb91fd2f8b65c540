"""The service's application factory: configuration, extensions, blueprints, CLI."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from demarche import (
    api,
    cli,
    coulisses,
    counter,
    errors,
    identity_checks,
    metrics,
    my_data,
    pages,
    ratelimit,
    resilience,
    schema,
    tasks,
    webhooks,
)
from demarche.accessibility import init_app as init_accessibility

# The modules declaring the task queue's jobs, schedules and retention rules (demarche/tasks/registry.py).
from demarche.api import idempotency  # noqa: F401, E402, I001
from demarche.assets import register_dsfr
from demarche.auth import email_login, franceconnect, proconnect
from demarche.auth import session as auth_session
from demarche.auth.guards import current_identity, current_login
from demarche.backoffice import views as backoffice
from demarche.config import connections, flask_config, load_settings
from demarche.corrections import views as corrections
from demarche.dossiers import retention  # noqa: F401, E402
from demarche.extensions import csrf, db
from demarche.feedback import views as feedback
from demarche.http_headers import install_security_headers
from demarche.journey import declaration
from demarche.journey import retention as journey_retention  # noqa: F401, E402
from demarche.journey import views as journey
from demarche.messages import notices as messages_notices  # noqa: F401, E402
from demarche.messages import services as messages_services  # noqa: F401, E402
from demarche.messages import views as messages
from demarche.observability import configure_logging
from demarche.proxies import trust_proxies
from demarche.renewal import invitations  # noqa: F401, E402
from demarche.renewal import views as renewal
from demarche.sessions import DatabaseSessionInterface
from demarche.templating import register_filters
from demarche.verification import service as verification_service  # noqa: F401, E402
from demarche.verification import views as verification
from demarche.webhooks import retention as webhooks_retention  # noqa: F401, E402

ROOT = Path(__file__).resolve().parent.parent


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
    resilience.init_app(app, settings)  # per-provider quota, bulkhead and circuit breaker
    schema.register_for_commands(app)  # `flask db upgrade`; workers do without Alembic
    configure_logging(app, user_key=auth_session.user_key)  # first: every later hook, CSRF included, logs with the correlation id
    csrf.init_app(app)
    # form-action also covers the redirect after a POST: the login and logout buttons lead to the providers.
    origins = {"{0.scheme}://{0.netloc}".format(urlsplit(url))
               for url in (settings.fc_issuer, settings.pc_issuer) if url}
    install_security_headers(app, https=settings.https, form_action=" ".join(sorted(origins)))
    register_dsfr(app)
    app.register_blueprint(pages.bp)
    init_accessibility(app)  # issue 20: the RGAA self-audit, the statement's figures, the footer's status
    franceconnect.init_app(app, settings)
    app.register_blueprint(journey.bp)
    app.register_blueprint(declaration.bp)  # issue 20: the identity an e-mail account declares
    app.register_blueprint(corrections.bp)  # issue 12: the correction loop (citizen side) and the renewal
    app.register_blueprint(renewal.bp)
    app.register_blueprint(my_data.bp)
    coulisses.init_app(app)  # the demo's trace listens to the pattern's signals; off the path elsewhere
    webhooks.init_app(app)
    tasks.init_app(app)  # after every module declaring jobs is imported
    metrics.init_app(app)  # the operators' metrics, on HEALTH_PORT (/metrics)
    proconnect.init_app(app, settings)  # the back-office exists only with a ProConnect client
    if settings.backoffice:
        app.register_blueprint(backoffice.bp)
    # Issue 12: the dossier's life after the deposit (messagerie, verification page, opinions).
    ratelimit.init_app(app, settings.redis_url, settings.redis_key_prefix)
    email_login.init_app(app, settings.email_login)  # issue 20: « Je n’ai pas FranceConnect »
    identity_checks.init_app(app, settings.backoffice)  # issue 20: an agent checks a declared identity
    counter.init_app(app, settings.backoffice and settings.counter_filing)  # issue 20: filing at the desk
    messages.init_app(app, settings.backoffice)
    verification.init_app(app)
    feedback.init_app(app, settings.backoffice)
    api.init_app(app, settings)
    errors.register_error_handlers(app)
    register_filters(app)
    app.context_processor(lambda: {"settings": settings, "current_identity": current_identity,
                                   "current_login": current_login,
                                   "coulisses_steps": coulisses.steps})
    cli.register(app)
    return app
