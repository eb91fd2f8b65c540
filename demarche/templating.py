"""Jinja set-up: the service's templates, each démarche's own folder, and the date filters (dates.py)."""

from __future__ import annotations

import inspect
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

from demarche import dates
from demarche.procedures import PROCEDURES


def register_filters(app: Flask) -> None:
    """The date filters, and the démarches' folders: « procedures/<slug>/form.html » is read from
    demarche/procedures/<slug>/templates/form.html, next to the démarche's code."""
    folders = {slug: FileSystemLoader(Path(inspect.getfile(type(procedure))).parent / "templates")
               for slug, procedure in PROCEDURES.items()}
    app.jinja_loader = ChoiceLoader([app.jinja_loader, PrefixLoader({"procedures": PrefixLoader(folders)})])
    dates.register_filters(app)
