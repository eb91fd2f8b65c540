"""Serves the DSFR (npm package @gouvfr/dsfr) under /static/dsfr/ for the simulators' screens; without the
files the routes answer 404 and the screens work unstyled.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory

DIST = Path("node_modules") / "@gouvfr" / "dsfr" / "dist"


def dsfr_dist() -> Path | None:
    """DSFR_DIST, else node_modules at the repository root, else in the working directory; None if absent."""
    candidates = [Path(os.environ["DSFR_DIST"])] if os.environ.get("DSFR_DIST") else []
    candidates += [Path(__file__).resolve().parents[2] / DIST, Path.cwd() / DIST]
    return next((path for path in candidates if path.is_dir()), None)


def register_dsfr(app: Flask) -> None:
    """Add the /static/dsfr/<path> route to a simulator app."""
    blueprint = Blueprint("dsfr", __name__)
    folder = dsfr_dist()

    @blueprint.get("/static/dsfr/<path:filename>")
    def dsfr_file(filename: str):
        if folder is None:
            abort(404)
        return send_from_directory(folder, filename, max_age=7 * 24 * 3600)

    app.register_blueprint(blueprint)
