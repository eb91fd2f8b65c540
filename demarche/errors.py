"""Every HTTP error and uncaught exception answered with a French page (demarche/error_pages.py), never a trace;
a page limit's 429 says when to come back; the « service très sollicité » page when no database connection came
free in time, with a way forward."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from demarche import metrics, ratelimit
from demarche.dates import display
from demarche.error_pages import answers_for_request, render_error

log = logging.getLogger("demarche.errors")

# Served even while the database is down: load balancers' liveness probe and the pages' styles.
WITHOUT_DATABASE = ("pages.healthz", "static", "dsfr.dsfr_file")


BUSY_SECONDS = 5  # Retry-After of the « très sollicité » page: about one pool wait (DB_POOL_TIMEOUT)


def render_busy():
    """No pooled database connection came free within DB_POOL_TIMEOUT: a 503 that says so, keeps everything, and
    offers « Réessayer » (the same page; after a form, the page that sent it) and, within a démarche, the manual
    path. Counted in demarche_db_pool_timeouts_total (docs/passer-en-production.md, alert on it)."""
    log.warning("database pool exhausted", extra={"context": {"endpoint": request.endpoint}})
    metrics.count_pool_timeout()
    answers = answers_for_request()
    if answers is not None:
        return answers.status(503)
    retry = request.full_path.rstrip("?") if request.method == "GET" else _same_site_referrer()
    slug = (request.view_args or {}).get("slug")
    manual = url_for("journey.consent", slug=slug) if slug and request.blueprint == "journey" else None
    html = render_template("errors/busy.html", retry=retry, manual=manual, seconds=BUSY_SECONDS,
                           correlation_id=g.get("correlation_id", ""))
    return html, 503, {"Retry-After": str(BUSY_SECONDS)}


def _same_site_referrer() -> str:
    """The page that sent the form, if it is ours (never an open redirect to another site)."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else url_for("pages.home")


def register_error_handlers(app: Flask) -> None:
    """Map every HTTP error and any uncaught exception to a French page."""

    @app.before_request
    def database_unavailable():
        """The session could not be read (sessions.py): say so, rather than show the page logged out."""
        if getattr(session, "unavailable", False) and request.endpoint not in WITHOUT_DATABASE:
            return render_busy() if getattr(session, "busy", False) else render_error(503)
        return None

    @app.errorhandler(PoolTimeout)
    def pool_exhausted(error: PoolTimeout):
        return render_busy()

    @app.errorhandler(OperationalError)
    def database_error(error: OperationalError):
        log.warning("database unavailable", extra={"context": {"error": type(error.orig).__name__}})
        return render_error(503)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if getattr(session, "unavailable", False):  # CSRF is checked first; its secret is in the session
            return render_error(503)
        log.warning("csrf rejected", extra={"context": {"reason": error.description}})
        return render_error(
            400,
            "Votre session a expiré",
            "Pour votre sécurité, le formulaire n’a pas été pris en compte. Revenez à la page précédente, "
            "rechargez-la puis recommencez.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(getattr(error, "original_exception", None), PoolTimeout):
            return render_busy()  # no connection came free to save the session
        if isinstance(getattr(error, "original_exception", None), OperationalError):
            return render_error(503)  # the database failed after the view (saving the session)
        answers = answers_for_request()
        if answers is not None:
            return answers.http_exception(error)
        if error.code == 429:
            return too_many_requests()
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled exception")
        return render_error(InternalServerError.code)


def too_many_requests():
    """A page limit (/verifier, opinions): when to come back, rather than « in a minute » for an hourly limit."""
    refusal = ratelimit.page_refusal()
    if refusal is None:
        return render_error(429)
    return render_error(429, message=f"Vous avez fait beaucoup de demandes en peu de temps. Pour protéger le "
                                     f"service, vous pourrez recommencer à partir du {display(refusal.at)}.")
