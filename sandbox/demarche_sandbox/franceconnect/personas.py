"""The personas page (GET /personas): each test identity with its scenario and a « Commencer le parcours »
button that opens the service (on a démarche of FC_SIM_DEMARCHES, when its launcher names them), then prefills
the next login once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from flask import Blueprint, Flask, Response, current_app, g, redirect, render_template, request

from demarche_sandbox.api_particulier.personas import DEFAULT_FILE, load_personas
from demarche_sandbox.franceconnect.identities import (
    FAILURE_IDENTITIES,
    FRANCE,
    Identity,
    identities,
    invalid_reason,
    presumed_birthdate,
)
from demarche_sandbox.oidc_provider.authorize import SESSION_COOKIE
from demarche_sandbox.oidc_provider.context import ErrorPage, current

bp = Blueprint("fc_personas", __name__, url_prefix="/personas")

# The DGFiP simulator's households, read as data (its package is not imported): who has a tax household.
FOYERS_FILE = Path(__file__).resolve().parents[1] / "impot_particulier" / "data" / "foyers.json"
DGFIP_SOURCE = "revenu_fiscal"  # the démarches' key of the DGFiP source (FC_SIM_DEMARCHES apis)
# The login stays a real one: the service starts it with a POST carrying a CSRF token, and no inline script
# may submit that form for the user (CSP). So the button leaves this cookie and opens the service's
# /commencer; at the next login here, the provider choice is skipped and the login field prefilled.
PERSONA_COOKIE = "fc_sim_persona"
PERSONA_IDP = "impots-gouv"  # the identity provider the shortcut picks
FAILURES = {
    "server_error": "FranceConnect répond « server_error » après la connexion : page d’erreur et nouvel essai.",
    "temporarily_unavailable": "FranceConnect répond « temporarily_unavailable » : service momentanément "
                               "indisponible.",
    "slow": "FranceConnect répond lentement (FC_SIM_SLOW_SECONDS) : le service patiente puis continue.",
}


@dataclass(frozen=True)
class Demarche:
    """A démarche of the service, and the API Particulier APIs (personas file keys) that prefill it."""

    slug: str
    title: str
    apis: tuple[str, ...]


def load_demarches(value: str | Path | list[dict] | None) -> dict[str, Demarche]:
    """FC_SIM_DEMARCHES: a list of {slug, title, apis} or a JSON file holding one, by slug in order; none
    when unset. The service's launcher (its demo, its tests) passes its own list at start: this simulator
    imports nothing of the service, and keeps no copy of the list that could go stale."""
    if not value:
        return {}
    rows = value if isinstance(value, list) else json.loads(Path(value).read_text(encoding="utf-8"))
    return {row["slug"]: Demarche(row["slug"], row["title"], tuple(row.get("apis", ()))) for row in rows}


def register(app: Flask, overrides: dict | None) -> None:
    """Add the page to a FranceConnect simulator app, with the démarches it offers."""
    value = (overrides or {}).get("FC_SIM_DEMARCHES") or os.environ.get("FC_SIM_DEMARCHES")
    app.extensions["fc_demarches"] = load_demarches(value)
    app.register_blueprint(bp)


def demarches() -> dict[str, Demarche]:
    return current_app.extensions["fc_demarches"]


@dataclass(frozen=True)
class Persona:
    """One row of the page."""

    login: str
    name: str
    scenario: str
    tags: tuple[str, ...]
    demarche: str  # the démarche preselected for this person
    dgfip: str = ""  # the DGFiP simulator's scenario for this person's tax household, if any


def _tags(identity: Identity, today: date) -> tuple[str, ...]:
    """What makes an identity special for a service: minor, born abroad, presumed birth date, refused."""
    if invalid_reason(identity):
        return ("refusée par FranceConnect : le service reçoit access_denied",)
    born = date.fromisoformat(presumed_birthdate(identity.birthdate))
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    checks = ((age < 18, f"mineur ({age} ans)"), (identity.birthcountry != FRANCE, "né à l’étranger"),
              ("-00" in identity.birthdate, "date de naissance présumée"))
    return tuple(label for condition, label in checks if condition)


def _suggested(apis: set[str]) -> str:
    """The démarche whose sources this person's data covers best (the earliest registered on a tie); '' when
    the démarches are not known (the service then lets the person choose)."""
    def coverage(demarche: Demarche) -> float:
        return len(apis & set(demarche.apis)) / len(demarche.apis) if demarche.apis else 0.0

    if not demarches():
        return ""
    best = max(demarches().values(), key=coverage)  # max keeps the first of equals: registration order
    return best.slug if coverage(best) else next(iter(demarches()))


def tax_households() -> dict[str, str]:
    """login → the DGFiP simulator's scenario of the household where this person is a declarant."""
    if not FOYERS_FILE.is_file():
        return {}
    raw = json.loads(FOYERS_FILE.read_text(encoding="utf-8"))
    return {declarant["fc_login"]: raw.get("_scenarios", {}).get(foyer["id"], foyer["id"])
            for foyer in raw["foyers"] for declarant in foyer["declarants"] if declarant.get("fc_login")}


def groups(today: date | None = None) -> list[tuple[str, list[Persona]]]:
    """The personas by group: API Particulier scenarios, FranceConnect failures, the other identities."""
    today = today or date.today()
    scenarios = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))["_scenarios"]
    apis = {persona.login: set(persona.apis) for persona in load_personas()}
    taxes = tax_households()
    failures = {identity.login for identity in FAILURE_IDENTITIES}
    named, broken, others = [], [], []
    for login, identity in identities().items():
        name = f"{identity.given_name} {identity.family_name}".strip() or login
        sources = apis.get(login, set()) | ({DGFIP_SOURCE} if login in taxes else set())
        row = Persona(login, name, scenarios.get(login) or FAILURES.get(identity.failure, ""),
                      _tags(identity, today), _suggested(sources), taxes.get(login, ""))
        (named if login in scenarios else broken if login in failures else others).append(row)
    named.sort(key=lambda row: list(scenarios).index(row.login))
    return [("Scénarios API Particulier", named), ("Pannes de FranceConnect", broken),
            ("Autres identités du fichier officiel (aucun dossier API Particulier : parcours manuel)", others)]


@bp.get("")
def index() -> str:
    """The personas page, in French, with the DSFR."""
    return render_template("franceconnect/personas.html", groups=groups(), procedures=demarches().values(),
                           service_url=current().settings.service_url,
                           dgfip_procedures=[d.title for d in demarches().values() if DGFIP_SOURCE in d.apis])


@bp.get("/commencer")
def start() -> Response:
    """Remember the persona for the next login here, then open the service with the démarche chosen."""
    login = request.args.get("login", "")
    if login not in identities():
        raise ErrorPage("Cette identité de test n’existe pas.", error="unknown_persona", status=404)
    slug = request.args.get("demarche") if request.args.get("demarche") in demarches() else _suggested(set())
    settings = current().settings
    query = f"?{urlencode({'demarche': slug})}" if slug else ""
    response = redirect(f"{settings.service_url}/commencer{query}", 303)
    response.set_cookie(PERSONA_COOKIE, quote(login), max_age=1800, path="/", httponly=True, samesite="Lax",
                        secure=settings.public_url.startswith("https://"))
    response.delete_cookie(SESSION_COOKIE, path="/api/v2")  # else the last person would still be logged in
    return response


@bp.before_app_request
def use_chosen_persona() -> None:
    """On the first screen of a login, skip the provider choice and prefill the chosen persona's login."""
    login = unquote(request.cookies.get(PERSONA_COOKIE, ""))
    if request.endpoint != "oidc_interaction.show" or login not in identities():
        return
    store = current().store
    interaction = store.interaction(request.view_args["uid"])
    if interaction and not interaction.idp and not interaction.login:
        store.update_interaction(interaction.uid, idp=PERSONA_IDP, login_hint=login)
        g.persona_used = True


@bp.after_app_request
def forget_chosen_persona(response: Response) -> Response:
    """The shortcut works once: « Choisir un autre compte » then shows the provider list again."""
    if g.get("persona_used"):
        response.delete_cookie(PERSONA_COOKIE, path="/")
    return response
