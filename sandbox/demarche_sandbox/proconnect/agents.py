"""The public agents of the simulated ProConnect identity provider (data/proconnect-agents.csv, fictional,
password 123) and their claims as https://github.com/numerique-gouv/proconnect-documentation lists them.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "proconnect-agents.csv"
SIRET = re.compile(r"^\d{14}$")
ACR = re.compile(r"^(eidas[01](-mfa)?|eidas[23])$")  # the values of federation.ACR_VALUES


@dataclass(frozen=True)
class Agent:
    """An agent as their organisation's identity provider describes them."""

    login: str  # the professional e-mail: what ProConnect's first screen asks for
    password: str
    given_name: str
    usual_name: str
    email: str
    uid: str  # the agent's identifier at their identity provider
    siret: str
    phone: str
    organizational_unit: str
    belonging_population: str
    idp_id: str
    acr: str  # the strongest eIDAS level the agent's identity provider reaches: eidas1, eidas1-mfa…
    demo_allowed: bool
    failure: str = ""  # same shape as a FranceConnect test identity: no simulated failure

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.usual_name}"


@cache
def agents() -> dict[str, Agent]:
    """Every agent by login (lower-case e-mail)."""
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("login")]
    return {row["login"].lower(): Agent(**{**row, "demo_allowed": row["demo_allowed"] == "oui"}) for row in rows}


def authenticate(login: str, password: str) -> Agent | None:
    """The agent with this e-mail and password, or None."""
    agent = agents().get(login.strip().lower())
    if agent is None or not hmac.compare_digest(agent.password.encode(), password.encode()):
        return None
    return agent


def invalid_reason(agent: Agent) -> str | None:
    """Why ProConnect would refuse this identity (the mandatory claims are missing or malformed), or None."""
    checks = (
        (bool(agent.given_name and agent.usual_name), "given_name and usual_name are mandatory"),
        ("@" in agent.email, "email is mandatory"),
        (bool(agent.uid), "uid is mandatory"),
        (bool(SIRET.match(agent.siret)), "siret must be 14 digits"),
        (bool(ACR.match(agent.acr)), "acr must be one of ProConnect's acr values"),
    )
    return next((f"identity rejected: {reason}" for ok, reason in checks if not ok), None)


def claim_values(agent: Agent, idp: str) -> dict[str, str | list[str]]:
    """Every claim value ProConnect can send about this agent."""
    return {
        "given_name": agent.given_name, "usual_name": agent.usual_name, "email": agent.email, "uid": agent.uid,
        "siret": agent.siret, "siren": agent.siret[:9], "phone_number": agent.phone,
        "organizational_unit": agent.organizational_unit, "belonging_population": agent.belonging_population,
        "idp_id": idp or agent.idp_id, "amr": ["pwd"],
    }


def pairwise_sub(client_id: str, agent: Agent, secret: str) -> str:
    """sha256 of client, identity provider, uid and a secret: one sub per (service, identity provider)
    couple, as donnees_fournies.md says (never a key to reconcile identities across services)."""
    return hashlib.sha256(f"{client_id}:{agent.idp_id}:{agent.uid}:{secret}".encode()).hexdigest()
