"""A bare Flask endpoint, served by the same gunicorn settings: the benchmark's yardstick."""

from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    """One route returning a short text, nothing else: no database, no template, no session."""
    app = Flask(__name__)
    app.add_url_rule("/", "bare", lambda: "ok")
    return app
