"""Serves the DSFR (npm package @gouvfr/dsfr, installed by `make setup`) under /static/dsfr/.

The files stay where npm put them: nothing is copied by hand, and upgrading is a change of
version in package.json.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory

ROOT = Path(__file__).resolve().parent.parent


def dsfr_dist() -> Path:
    """Where the DSFR's dist/ folder is: DSFR_DIST, or node_modules at the repository root."""
    return Path(os.environ.get("DSFR_DIST") or ROOT / "node_modules" / "@gouvfr" / "dsfr" / "dist")


def register_dsfr(app: Flask) -> None:
    """Add the /static/dsfr/<path> route to an app (the service and the simulators share it)."""
    blueprint = Blueprint("dsfr", __name__)
    folder = dsfr_dist()

    @blueprint.get("/static/dsfr/<path:filename>")
    def dsfr_file(filename: str):
        if not folder.is_dir():
            abort(404)
        return send_from_directory(folder, filename, max_age=7 * 24 * 3600)

    app.register_blueprint(blueprint)
