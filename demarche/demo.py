"""The one-command demo: the service on :5000, the FranceConnect, API Particulier and ProConnect
simulators on :5001, :5002 and :5003, the demo mailbox (web :5004, SMTP :1025), the DGFiP's on :5005 and the
sample « logiciel métier » receiving the commune's webhooks (:5006).

Run by `make demo`. Embedded SQLite under instance/, no account, no key, no network.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

from demarche.devserver import serve

ROOT = Path(__file__).resolve().parent.parent
PORTS = {"service": 5000, "franceconnect": 5001, "api_particulier": 5002, "proconnect": 5003, "mailbox": 5004,
         "impot_particulier": 5005, "receiver": 5006, "smtp": 1025}
# The receiver's token for the service's dossier API (GET /api/v1/dossiers/{reference}): a public demo value.
DEMO_RECEIVER_API_TOKEN = "demo-logiciel-metier-token-not-for-production"  # noqa: S105


def main() -> None:
    """Migrate the demo database, then serve the three apps until Ctrl-C."""
    os.environ.setdefault("DEMARCHE_ENV", "demo")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'demo.sqlite3'}")
    (ROOT / "instance").mkdir(exist_ok=True)

    from demarche import create_app, schema, tasks

    try:  # the simulators ship apart (sandbox/): never in the service's production install
        from demarche_sandbox import api_particulier, franceconnect, impot_particulier, mailbox, proconnect, receiver
    except ImportError:
        sys.exit("Les simulateurs ne sont pas installés : lancez « make setup » (ou pip install -e ./sandbox).")

    app = create_app()
    schema.upgrade(app)
    with app.app_context():
        _allow_demo_agents()
        secret = _demo_webhook()
        _demo_api_token()
        tasks.start_embedded_worker()  # without REDIS_URL: e-mails and webhooks go out from this process
    box = mailbox.Mailbox()
    try:
        smtp = mailbox.SmtpServer(box, port=PORTS["smtp"])
    except OSError:
        sys.exit(f"Le port {PORTS['smtp']} est déjà utilisé : arrêtez l’autre programme (une démo déjà lancée ?).")
    builders = {
        "franceconnect": lambda _url: franceconnect.create_app({"FC_SIM_DEMARCHES": simulator_demarches()}),
        "api_particulier": lambda _url: api_particulier.create_app(),
        "proconnect": lambda _url: proconnect.create_app(),
        "mailbox": lambda _url: mailbox.create_app(mailbox=box),
        "impot_particulier": lambda _url: impot_particulier.create_app(),
        "receiver": lambda _url: receiver.create_app({"RECEIVER_WEBHOOK_SECRET": secret,
                                                      "RECEIVER_SERVICE_URL": "http://localhost:5000",
                                                      "RECEIVER_API_TOKEN": DEMO_RECEIVER_API_TOKEN}),
        "service": lambda _url: app,
    }
    servers = [smtp]
    for name, build in builders.items():
        try:
            handler = impot_particulier.RequestHandler if name == "impot_particulier" else None
            servers.append(serve(build, host="127.0.0.1", port=PORTS[name], request_handler=handler))
        except OSError:
            sys.exit(f"Le port {PORTS[name]} est déjà utilisé : arrêtez l’autre programme (une démo déjà lancée ?).")
    print(
        "\nDémarche (démonstration) est prête :\n"
        "  service                  http://localhost:5000\n"
        "  simulateur FranceConnect http://localhost:5001/api/v2\n"
        "  simulateur API Particulier http://localhost:5002\n"
        "  simulateur ProConnect    http://localhost:5003/api/v2\n"
        "  boîte mail de démonstration http://localhost:5004 (SMTP localhost:1025)\n"
        "  simulateur DGFiP (API Impôt particulier) http://localhost:5005\n"
        "  logiciel métier (webhooks) http://localhost:5006\n"
        "  espace agents            http://localhost:5000/agents/\n"
        "Usager : identité de test « test », mot de passe « 123 ».\n"
        "Sans FranceConnect : « Je n’ai pas FranceConnect », le code arrive dans la boîte mail ; puis déclarez par\n"
        "  exemple MARTIN Claire Odile, F, née le 12/05/1984 à Tours (docs/sans-franceconnect.md).\n"
        "Agent : marie.lambert@demarche-sur-loire.example, mot de passe « 123 ». Ctrl-C pour arrêter.\n",
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    for server in servers:
        server.stop()
    sys.exit(0)


def simulator_demarches() -> list[dict]:
    """The service's démarches as the FranceConnect simulator's personas page offers them (FC_SIM_DEMARCHES):
    the simulator imports nothing of the service, so the launcher tells it."""
    from demarche.procedures import PROCEDURES

    return [{"slug": procedure.slug, "title": procedure.title, "apis": [source.key for source in procedure.sources]}
            for procedure in PROCEDURES.values()]


# The demo agent who may also file at the counter (docs/guichet.md); the others only instruct.
COUNTER_DEMO_AGENT = "marie.lambert@demarche-sur-loire.example"


def _allow_demo_agents() -> None:
    """Put the ProConnect simulator's demo agents on the allow-list (not paul.roux: he shows a refusal)."""
    from demarche.extensions import db
    from demarche.models import AgentAuthorisation
    from demarche_sandbox.proconnect.agents import agents

    for agent in agents().values():
        exists = db.session.scalar(db.select(AgentAuthorisation).filter_by(email=agent.email, siret=agent.siret))
        if agent.demo_allowed and exists is None:
            exists = AgentAuthorisation(email=agent.email, siret=agent.siret, created_by="demo")
            db.session.add(exists)
        if exists is not None and agent.email == COUNTER_DEMO_AGENT:  # « Déposer pour un usager présent »
            exists.counter_filing = True
    db.session.commit()


def _demo_api_token() -> None:
    """The sample receiver's read token for the commune's dossiers, registered once (a public demo value)."""
    from datetime import timedelta

    from demarche.api.tokens import digest
    from demarche.config import DEMO_RECIPIENT_SIRET
    from demarche.extensions import db
    from demarche.models import ApiToken, utcnow

    if db.session.scalar(db.select(ApiToken).filter_by(token_hash=digest(DEMO_RECEIVER_API_TOKEN))) is None:
        db.session.add(ApiToken(siret=DEMO_RECIPIENT_SIRET, scope="read", name="Logiciel métier de démonstration",
                                token_hash=digest(DEMO_RECEIVER_API_TOKEN),
                                expires_at=utcnow() + timedelta(days=3650)))
        db.session.commit()


def _demo_webhook() -> str:
    """The commune's webhook to the sample receiver, registered once; its signing secret."""
    from demarche.config import DEMO_RECIPIENT_SIRET
    from demarche.extensions import db
    from demarche.webhooks.cli import add_endpoint
    from demarche.webhooks.models import WebhookEndpoint

    url = f"http://localhost:{PORTS['receiver']}/webhooks"
    endpoint = db.session.scalar(db.select(WebhookEndpoint).filter_by(siret=DEMO_RECIPIENT_SIRET, url=url))
    return (endpoint or add_endpoint(DEMO_RECIPIENT_SIRET, url)).secret


if __name__ == "__main__":
    main()
