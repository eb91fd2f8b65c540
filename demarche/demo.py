"""The one-command demo: the service on :5000 and both simulators on :5001 and :5002.

Run by `make demo`. Embedded SQLite under instance/, no account, no key, no network.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

from flask_migrate import upgrade

from demarche.devserver import serve

ROOT = Path(__file__).resolve().parent.parent
PORTS = {"service": 5000, "franceconnect": 5001, "api_particulier": 5002}


def main() -> None:
    """Migrate the demo database, then serve the three apps until Ctrl-C."""
    os.environ.setdefault("DEMARCHE_ENV", "demo")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'demo.sqlite3'}")
    (ROOT / "instance").mkdir(exist_ok=True)

    from demarche import create_app
    from demarche.sandbox import api_particulier, franceconnect

    app = create_app()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    builders = {
        "franceconnect": lambda _url: franceconnect.create_app(),
        "api_particulier": lambda _url: api_particulier.create_app(),
        "service": lambda _url: app,
    }
    servers = []
    for name, build in builders.items():
        try:
            servers.append(serve(build, host="127.0.0.1", port=PORTS[name]))
        except OSError:
            sys.exit(f"Le port {PORTS[name]} est déjà utilisé : arrêtez l’autre programme (une démo déjà lancée ?).")
    print(
        "\nDémarche (démonstration) est prête :\n"
        "  service                  http://localhost:5000\n"
        "  simulateur FranceConnect http://localhost:5001/api/v2\n"
        "  simulateur API Particulier http://localhost:5002\n"
        "Connectez-vous avec l’identité de test « test », mot de passe « 123 ». Ctrl-C pour arrêter.\n",
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    for server in servers:
        server.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
