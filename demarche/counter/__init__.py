"""Issue 20: an authorised agent files a démarche for a person present at the desk (France Services, town
hall), under a recorded mandate; the dossier says « déposé par [agent] pour le compte de [usager] » everywhere.
"""

from __future__ import annotations

from flask import Flask

PROVIDER = "guichet"  # the dossier's authentication["provider"] when filed at the counter


def filed_for(dossier) -> dict | None:
    """{"agent", "agent_email", "organisation_siret", "person", "mandate_id"} of a dossier filed at the counter."""
    trace = getattr(dossier, "authentication", None) or {}
    return trace.get("counter") if trace.get("provider") == PROVIDER else None


def filed_for_text(dossier) -> str | None:
    """« Déposé par Marie Lambert pour le compte de Angela Claire Louise DUBOIS », or None."""
    found = filed_for(dossier)
    return f"Déposé par {found['agent']} pour le compte de {found['person']}" if found else None


def init_app(app: Flask) -> None:
    """The desk's routes with the back-office and COUNTER_FILING on; the wording helper for every page."""
    from demarche.counter import matching, views  # noqa: F401 - matching listens to FranceConnect logins

    enabled = app.config["SETTINGS"].backoffice and app.config["SETTINGS"].counter_filing
    if enabled:
        app.register_blueprint(views.bp)
    app.jinja_env.globals.update(filed_for_text=filed_for_text,
                                 counter_allowed=views.allowed if enabled else lambda: False)
