"""The demo's wiring: the simulators' own defaults (sandbox/demarche_sandbox/defaults.py and their data files) agree
with the service's demo values (demarche/config/defaults.py). Neither imports the other, so this test is what keeps
`make demo` working when one side changes; the démarches themselves are handed to the simulator at start."""

from __future__ import annotations

from urllib.parse import urlsplit

from demarche import config
from demarche.demo import PORTS as DEMO_PORTS
from demarche.demo import simulator_demarches
from demarche.procedures import PROCEDURES
from demarche_sandbox import defaults, franceconnect
from demarche_sandbox.api_particulier.app import load_config
from demarche_sandbox.franceconnect.federation import FRANCECONNECT
from demarche_sandbox.impot_particulier.settings import load_settings as ip_settings
from demarche_sandbox.oidc_provider.config import load_settings
from demarche_sandbox.proconnect.federation import PROCONNECT


def test_the_simulators_register_the_services_demo_clients_and_token():
    assert defaults.API_PARTICULIER_TOKEN == config.DEMO_API_PARTICULIER_TOKEN
    fc = FRANCECONNECT.default_clients(load_settings({}, FRANCECONNECT))[0]
    pc = PROCONNECT.default_clients(load_settings({}, PROCONNECT))[0]
    assert (fc["client_id"], fc["client_secret"]) == (config.DEMO_FC_CLIENT_ID, config.DEMO_FC_CLIENT_SECRET)
    assert (pc["client_id"], pc["client_secret"]) == (config.DEMO_PC_CLIENT_ID, config.DEMO_PC_CLIENT_SECRET)
    assert load_config({})["AP_SIM_TOKENS"] == {config.DEMO_API_PARTICULIER_TOKEN: ["*"]}


def test_the_urls_and_ports_agree(monkeypatch):
    for name in ("FC_SIM_PUBLIC_URL", "FC_SIM_SERVICE_URL", "PROCONNECT_SIM_PUBLIC_URL", "AP_SIM_FC_ISSUER"):
        monkeypatch.delenv(name, raising=False)
    demo = config.DEMO_DEFAULTS
    fc, pc = load_settings({}, FRANCECONNECT), load_settings({}, PROCONNECT)
    assert demo["FRANCECONNECT_ISSUER"] == fc.issuer == load_config({})["AP_SIM_FC_ISSUER"]
    assert demo["PROCONNECT_ISSUER"] == pc.issuer
    assert demo["PUBLIC_URL"] == fc.service_url == pc.service_url == defaults.SERVICE_URL
    assert urlsplit(demo["API_PARTICULIER_URL"]).port == defaults.PORTS["api-particulier"]
    assert config.DEMO_ONLY_DEFAULTS["SMTP_PORT"] == str(defaults.PORTS["smtp"])
    assert {name.replace("_", "-"): port for name, port in DEMO_PORTS.items() if name != "service"} == defaults.PORTS


def test_the_api_particulier_simulator_is_the_data_provider_franceconnect_registers():
    provider = FRANCECONNECT.default_data_providers(load_settings({}, FRANCECONNECT))[0]
    ap = load_config({})
    assert (provider["client_id"], provider["client_secret"]) == (
        ap["AP_SIM_DATA_PROVIDER_ID"], ap["AP_SIM_DATA_PROVIDER_SECRET"])


def test_the_dgfip_simulator_knows_the_services_demo_account(monkeypatch):
    for name in ("IP_SIM_CLIENT_ID", "IP_SIM_CLIENT_SECRET", "IP_SIM_ID_TELESERVICE", "IP_SIM_FC_ISSUER"):
        monkeypatch.delenv(name, raising=False)
    ip, demo = ip_settings({}), config.DEMO_DEFAULTS
    account = ip.clients[demo["IMPOT_PARTICULIER_CLIENT_ID"]]
    assert (account.client_secret, account.id_teleservice) == (
        demo["IMPOT_PARTICULIER_CLIENT_SECRET"], demo["IMPOT_PARTICULIER_ID_TELESERVICE"])
    assert "RessourceIR" in account.scopes  # the only resource the service asks for
    assert urlsplit(demo["IMPOT_PARTICULIER_URL"]).port == defaults.PORTS["impot-particulier"]
    assert ip.fc_issuer == demo["FRANCECONNECT_ISSUER"]


def test_the_dgfip_simulator_is_franceconnects_second_data_provider():
    provider = FRANCECONNECT.default_data_providers(load_settings({}, FRANCECONNECT))[1]
    ip = ip_settings({})
    assert (provider["client_id"], provider["client_secret"]) == (ip.fc_client_id, ip.fc_client_secret)
    assert {scope for scope in provider["scopes"] if scope.startswith("dgfip_")} == set(provider["scopes"])


def test_the_demo_hands_every_demarche_to_the_personas_page_at_start():
    """Derived from the registered démarches when the demo starts: nothing to regenerate when one is added."""
    listed = simulator_demarches()
    assert [row["slug"] for row in listed] == list(PROCEDURES)
    for row in listed:
        assert row["apis"] == [source.key for source in PROCEDURES[row["slug"]].sources]
    app = franceconnect.create_app({"FC_SIM_DEMARCHES": listed})
    html = app.test_client().get("/personas").get_data(as_text=True)
    for procedure in PROCEDURES.values():
        assert f'<option value="{procedure.slug}"' in html and procedure.title in html
