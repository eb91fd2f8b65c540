"""The public verification page, no login: type the attestation's code, or arrive from its QR code.

Rate-limited per address (demarche/ratelimit.py). Nothing personal is logged: the request log shows the
route (« /verifier/<code> »), never the code, and the outcome is counted without the reference.
"""

from __future__ import annotations

import logging

from flask import Blueprint, g, render_template, request

from demarche import ratelimit
from demarche.verification.service import verify

bp = Blueprint("verification", __name__)
log = logging.getLogger("demarche.verification")
RATE = "20 per minute"
STATUS = {"invalid": 400, "unknown": 404, "purged": 410, "found": 200}


@bp.url_value_preprocessor
def _hide_code_from_logs(endpoint, values) -> None:
    """Before anything else, even the rate limit: the request log names the route, not the code."""
    if request.url_rule is not None:
        g.log_path = request.url_rule.rule


@bp.get("/verifier")
def form():
    """The form; with ?code= (the form's own submission) the answer too."""
    code = request.args.get("code", "")
    return _answer(code) if code.strip() else render_template("verification/page.html", code="", verdict=None)


@bp.get("/verifier/<code>")
def check(code: str):
    """The QR code's target."""
    return _answer(code)


def _answer(code: str):
    verdict = verify(code)
    log.info("attestation checked", extra={"context": {"outcome": verdict.outcome}})
    return render_template("verification/page.html", code=code[:64], verdict=verdict), STATUS[verdict.outcome]


def init_app(app) -> None:
    """Register the page and its rate limit (after ratelimit.init_app)."""
    app.register_blueprint(bp)
    ratelimit.limit_blueprint(app, bp, RATE)
