"""The DGFiP simulator over real HTTP, checking tokens at the shared FranceConnect simulator, and a client."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest

from demarche.devserver import serve
from demarche.providers.impot_particulier import ImpotParticulierClient
from demarche_sandbox import defaults, impot_particulier

IR = ("dgfip_rfr", "dgfip_nbpart", "dgfip_sitfam", "dgfip_pac_nbPac", "dgfip_aft", "dgfip_dateNaisDec1",
      "dgfip_dateNaisDec2")
FALLBACK = ("dgfip_annee_n_moins_2_si_indispo_n_moins_1",)
BOTH_YEARS = ("dgfip_annee_n_moins_1", "dgfip_annee_n_moins_2")


class Dgfip:
    def __init__(self, server):
        self.server, self.url = server, server.url

    def control(self, path: str, body: dict | None = None) -> None:
        assert httpx.post(f"{self.url}/_sim/{path}", json=body or {}, trust_env=False).status_code == 200

    def requests(self) -> list[str]:
        return [e["path"] for e in httpx.get(f"{self.url}/_sim/requests", trust_env=False).json()]


@pytest.fixture
def dgfip(fc) -> Callable[..., Dgfip]:
    """dgfip(**IP_SIM_ overrides): a simulator whose checktoken goes to the `fc` fixture's FranceConnect."""
    servers = []

    def start(**overrides) -> Dgfip:
        config = {"IP_SIM_FC_ISSUER": fc.issuer, "IP_SIM_SLOW_SECONDS": "0.2", "IP_SIM_HANG_SECONDS": "3",
                  **overrides}
        servers.append(serve(lambda url: impot_particulier.create_app(config),
                             request_handler=impot_particulier.RequestHandler))
        return Dgfip(servers[-1])

    yield start
    for server in servers:
        threading.Thread(target=server.stop, daemon=True).start()


@pytest.fixture
def ip_client() -> Callable[..., ImpotParticulierClient]:
    clients = []

    def build(url: str, **options) -> ImpotParticulierClient:
        options = {"client_id": defaults.IMPOT_PARTICULIER_CLIENT_ID,
                   "client_secret": defaults.IMPOT_PARTICULIER_CLIENT_SECRET,
                   "id_teleservice": defaults.IMPOT_PARTICULIER_ID_TELESERVICE, "backoff": 0.05, **options}
        clients.append(ImpotParticulierClient(url, **options))
        return clients[-1]

    yield build
    for client in clients:
        client.close()
