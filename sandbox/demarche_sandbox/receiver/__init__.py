"""A sample « logiciel métier » receiving Démarche's webhooks (demo port 5006): it verifies each signature with
its secret (official standardwebhooks library), deduplicates on webhook-id, then reads the dossier through the
service's API with its own token, as a real receiver should. It imports nothing of the service.

Settings (environment or create_app overrides): RECEIVER_WEBHOOK_SECRET (one or more whsec_…, space-separated,
for a rotation), RECEIVER_SERVICE_URL (default http://localhost:5000), RECEIVER_API_TOKEN.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import httpx
from flask import Flask, abort, current_app, jsonify, render_template, request, send_from_directory
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from demarche_sandbox.receiver.store import Received, Store

REPOSITORY = Path(__file__).resolve().parents[3]
DEFAULTS = {"RECEIVER_WEBHOOK_SECRET": "", "RECEIVER_SERVICE_URL": "http://localhost:5000", "RECEIVER_API_TOKEN": ""}


def create_app(overrides: dict | None = None) -> Flask:
    """The receiver's app; its events live in memory until it stops."""
    settings = {key: os.environ.get(key, default) for key, default in DEFAULTS.items()} | (overrides or {})
    app = Flask(__name__, static_folder=None)
    app.config["RECEIVER"] = settings
    app.extensions["receiver_store"] = Store()
    app.extensions["receiver_failing"] = threading.Event()
    app.add_url_rule("/", "index", _index)
    app.add_url_rule("/webhooks", "receive", _receive, methods=["POST"])
    app.add_url_rule("/_sim/events", "events_json", _events_json)
    app.add_url_rule("/_sim/panne", "failure", _failure, methods=["POST"])
    app.add_url_rule("/static/dsfr/<path:filename>", "dsfr", _dsfr)
    return app


def _store() -> Store:
    return current_app.extensions["receiver_store"]


def _receive():
    """Verify, deduplicate, acknowledge at once; the dossier is read afterwards, in the background."""
    if current_app.extensions["receiver_failing"].is_set():
        return jsonify(erreur="logiciel métier en panne (simulée)"), 503
    body = request.get_data(as_text=True)
    secrets = current_app.config["RECEIVER"]["RECEIVER_WEBHOOK_SECRET"].split()
    payload = None
    for secret in secrets:
        try:
            payload = Webhook(secret).verify(body, dict(request.headers))
            break
        except WebhookVerificationError:
            continue
    if payload is None:
        with _store().lock:
            _store().refused += 1
        return jsonify(erreur="signature invalide ou périmée"), 401
    event = _store().add(request.headers["webhook-id"], payload)
    if event is None:
        return jsonify(statut="doublon, déjà traité"), 200
    if event.type != "dossier.supprime":  # a deleted dossier has nothing left to read
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        threading.Thread(target=_read_dossier, args=(app, event), daemon=True).start()
    return jsonify(statut="reçu"), 200


def _read_dossier(app: Flask, event: Received) -> None:
    """GET {service}/api/v1/dossiers/{reference} with the receiver's Bearer token."""
    settings = app.config["RECEIVER"]
    url = f"{settings['RECEIVER_SERVICE_URL'].rstrip('/')}/api/v1/dossiers/{event.reference}"
    try:
        response = httpx.get(url, headers={"Authorization": f"Bearer {settings['RECEIVER_API_TOKEN']}"},
                             timeout=5)
    except httpx.HTTPError as error:
        event.read_error = f"API injoignable ({type(error).__name__})"
        return
    if response.status_code != 200:
        event.read_error = f"l’API a répondu {response.status_code}"
        return
    try:
        event.dossier = response.json()
    except ValueError:
        event.read_error = "réponse de l’API illisible (JSON attendu)"


def _index() -> str:
    """Every event received, in arrival order."""
    return render_template("receiver/index.html", events=_store().snapshot(), refused=_store().refused,
                           failing=current_app.extensions["receiver_failing"].is_set())


def _events_json():
    """The events as JSON, for tests and scripts."""
    return jsonify(refused=_store().refused, events=[{
        "id": e.message_id, "type": e.type, "reference": e.reference, "status": e.status,
        "received_at": e.received_at.isoformat(), "deliveries": e.deliveries, "dossier": e.dossier,
        "read_error": e.read_error} for e in _store().snapshot()])


def _failure():
    """Simulate an outage: {"active": true} answers 503 to every webhook, {"active": false} stops it."""
    failing = current_app.extensions["receiver_failing"]
    failing.set() if (request.get_json(silent=True) or {}).get("active") else failing.clear()
    return jsonify(panne=failing.is_set())


def _dsfr(filename: str):
    """The DSFR from npm (DSFR_DIST or node_modules), as the other simulators serve it."""
    folder = Path(os.environ.get("DSFR_DIST") or REPOSITORY / "node_modules" / "@gouvfr" / "dsfr" / "dist")
    if not folder.is_dir():
        abort(404)
    return send_from_directory(folder, filename, max_age=7 * 24 * 3600)
