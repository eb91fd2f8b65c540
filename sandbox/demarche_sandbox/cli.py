"""The `demarche-sandbox` command: starts one simulator alone, e.g. `demarche-sandbox franceconnect --port 5001`.
Settings from the environment, then --set KEY=VALUE, then the options (docs/simulateurs.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from flask import Flask
from werkzeug.serving import run_simple

from demarche_sandbox.defaults import PORTS

TITLES = {
    "franceconnect": "Simulateur FranceConnect v2",
    "proconnect": "Simulateur ProConnect",
    "api-particulier": "Simulateur API Particulier v3",
    "impot-particulier": "Simulateur DGFiP (API Impôt particulier)",
    "mailbox": "Boîte mail de démonstration",
    "receiver": "Logiciel métier de démonstration (reçoit les webhooks, lit l’API)",
}
OIDC_PREFIXES = {"franceconnect": "FC_SIM_", "proconnect": "PROCONNECT_SIM_"}


def parser() -> argparse.ArgumentParser:
    """The command line, in French: one subcommand per simulator."""
    main_parser = argparse.ArgumentParser(
        prog="demarche-sandbox", description="Lance un simulateur seul (voir docs/simulateurs.md).")
    subcommands = main_parser.add_subparsers(dest="simulator", required=True, metavar="SIMULATEUR")
    for name, title in TITLES.items():
        sub = subcommands.add_parser(name, help=title, description=title)
        sub.add_argument("--host", default="127.0.0.1", help="adresse d’écoute (défaut : 127.0.0.1)")
        sub.add_argument("--port", type=int, default=PORTS[name], help=f"port HTTP (défaut : {PORTS[name]})")
        sub.add_argument("--set", action="append", default=[], metavar="CLÉ=VALEUR",
                         help="un réglage, comme sa variable d’environnement (répétable)")
        if name in OIDC_PREFIXES:
            sub.add_argument("--public-url", help="URL publique du simulateur (défaut : http://localhost:PORT)")
            sub.add_argument("--service-url", help="URL du service enregistré par défaut")
        elif name in ("api-particulier", "impot-particulier"):
            sub.add_argument("--fc-issuer", help="issuer du simulateur FranceConnect (pour /checktoken)")
        elif name == "mailbox":
            sub.add_argument("--smtp-port", type=int, help=f"port SMTP (défaut : {PORTS['smtp']})")
    return main_parser


def overrides_from(args: argparse.Namespace) -> dict[str, str]:
    """The create_app() overrides: --set pairs, then the options; the public URL defaults to the port's."""
    overrides = {}
    for item in args.set:
        key, equals, value = item.partition("=")
        if not equals or not key:
            raise SystemExit(f"--set attend CLÉ=VALEUR, reçu : {item!r}")
        overrides[key.strip()] = value
    prefix = OIDC_PREFIXES.get(args.simulator)
    if prefix:
        public = args.public_url or overrides.get(f"{prefix}PUBLIC_URL") or os.environ.get(f"{prefix}PUBLIC_URL")
        overrides[f"{prefix}PUBLIC_URL"] = public or f"http://localhost:{args.port}"
        if args.service_url:
            overrides[f"{prefix}SERVICE_URL"] = args.service_url
    elif args.simulator == "api-particulier" and args.fc_issuer:
        overrides["AP_SIM_FC_ISSUER"] = args.fc_issuer
    elif args.simulator == "impot-particulier" and args.fc_issuer:
        overrides["IP_SIM_FC_ISSUER"] = args.fc_issuer
    elif args.simulator == "mailbox" and args.smtp_port is not None:
        overrides["MAILBOX_SMTP_PORT"] = str(args.smtp_port)
    return overrides


def factory(simulator: str) -> Callable[[dict], Flask]:
    """create_app of one simulator, imported only when chosen (each stands alone)."""
    if simulator == "franceconnect":
        from demarche_sandbox.franceconnect import create_app
    elif simulator == "proconnect":
        from demarche_sandbox.proconnect import create_app
    elif simulator == "api-particulier":
        from demarche_sandbox.api_particulier import create_app
    elif simulator == "impot-particulier":
        from demarche_sandbox.impot_particulier import create_app
    elif simulator == "mailbox":
        from demarche_sandbox.mailbox import create_app
    else:
        from demarche_sandbox.receiver import create_app
    return create_app


def main(argv: Sequence[str] | None = None) -> None:
    """Parse, build the simulator, serve it until Ctrl-C."""
    args = parser().parse_args(argv)
    app = factory(args.simulator)(overrides_from(args))
    # Werkzeug's access log prints query strings (authorization codes, identity parameters): keep it quiet.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(f"{TITLES[args.simulator]} : http://{args.host}:{args.port} (Ctrl-C pour arrêter)", flush=True)
    handler = None
    if args.simulator == "impot-particulier":  # keeps the DGFiP's ID_Teleservice header (an underscore)
        from demarche_sandbox.impot_particulier import RequestHandler as handler
    try:
        run_simple(args.host, args.port, app, threaded=True, request_handler=handler)
    except OSError as exc:
        sys.exit(f"Impossible d’écouter sur {args.host}:{args.port} : {exc}")


if __name__ == "__main__":
    main()
