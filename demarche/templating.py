"""Jinja set-up: the service's templates, each démarche's own folder, the date and number filters
(dates.py, numbers.py)."""

from __future__ import annotations

import functools
import inspect
from pathlib import Path

from flask import Flask, has_request_context, request, url_for
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

from demarche import dates, numbers
from demarche.procedures import PROCEDURES


def register_filters(app: Flask) -> None:
    """The date filters, and the démarches' folders: « procedures/<slug>/form.html » is read from
    demarche/procedures/<slug>/templates/form.html, next to the démarche's code."""
    folders = {slug: FileSystemLoader(Path(inspect.getfile(type(procedure))).parent / "templates")
               for slug, procedure in PROCEDURES.items()}
    app.jinja_loader = ChoiceLoader([app.jinja_loader, PrefixLoader({"procedures": PrefixLoader(folders)})])
    app.jinja_env.globals["url_for"] = remembered_url_for()
    dates.register_filters(app)
    numbers.register_filters(app)


def remembered_url_for():
    """url_for for the templates, remembering the relative URLs it built: a page asks for about fifteen
    (the DSFR's files, the header's and footer's links), always the same, and building each through
    Werkzeug's routing map was a tenth of a simple page's processor time. Only plain relative URLs built
    during a request are remembered (they depend on nothing but the endpoint, its values and the
    application's mount point, SCRIPT_NAME), the 1,024 most recent."""

    @functools.lru_cache(maxsize=1024)
    def built(script_root: str, endpoint: str, values: tuple) -> str:
        return url_for(endpoint, **dict(values))

    def template_url_for(endpoint: str, **values) -> str:
        if endpoint.startswith(".") or not has_request_context() or any(k.startswith("_") for k in values):
            return url_for(endpoint, **values)
        try:
            return built(request.script_root, endpoint, tuple(sorted(values.items())))
        except TypeError:  # a value that cannot be a key (a list): built each time
            return url_for(endpoint, **values)

    return template_url_for
