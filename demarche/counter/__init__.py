"""Issue 20: an authorised agent files a démarche for a person present at the desk (France Services, town
hall), under a recorded mandate; the dossier says « déposé par [agent] pour le compte de [usager] » everywhere.
"""

from __future__ import annotations

from flask import Flask

from demarche.filing import PROVIDER, filed_for  # noqa: F401 - the counter's names for them

# What the dossier records of a counter filing is read through demarche/filing.py (the webhooks read it too).


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
