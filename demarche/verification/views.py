"""The public verification page, no login: type the attestation's code, or arrive from its QR code.

Rate-limited per address (demarche/ratelimit.py). Nothing personal is logged: the request log shows the
route (« /verifier/<code> », demarche/observability.py), never the code, and the outcome is counted without
the reference.
"""

from __future__ import annotations

import logging

from flask import Blueprint, render_template, request

from demarche.verification.service import verify

bp = Blueprint("verification", __name__)
log = logging.getLogger("demarche.verification")
RATE = "20 per minute"
STATUS = {"invalid": 400, "unknown": 404, "purged": 410, "found": 200}


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
