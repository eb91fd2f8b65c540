"""The sandbox's personas page (GET /personas): every FranceConnect test identity with its scenario, and a
« Commencer le parcours » button that starts the service's journey as that person. Simulator only.

Scenarios come from data/api_particulier_personas.json (`_scenarios`), identities from the official CSV
(fc_identities, shared/docs/franceconnect.md §8.1). The login stays a real one: the service starts it with a
POST carrying a CSRF token, and no inline script may submit that form for the user (CSP). So the button
leaves a cookie here, fc_sim_persona, and sends the browser to the service's /commencer?demarche=<slug>
(the démarche preselected on its home page); at the next login the simulator skips the provider choice and
prefills the login field. The cookie is used once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, unquote, urlencode

from flask import Blueprint, Response, g, redirect, render_template, request

from demarche.procedures import PROCEDURES
from demarche.sandbox.ap_personas import DEFAULT_FILE, load_personas
from demarche.sandbox.fc_authorize import SESSION_COOKIE
from demarche.sandbox.fc_context import ErrorPage, current
from demarche.sandbox.fc_identities import (
    FAILURE_IDENTITIES,
    FRANCE,
    Identity,
    identities,
    invalid_reason,
    presumed_birthdate,
)

bp = Blueprint("fc_personas", __name__, url_prefix="/personas")

PERSONA_COOKIE = "fc_sim_persona"
PERSONA_IDP = "impots-gouv"  # the identity provider the shortcut picks
FAILURES = {
    "server_error": "FranceConnect répond « server_error » après la connexion : page d’erreur et nouvel essai.",
    "temporarily_unavailable": "FranceConnect répond « temporarily_unavailable » : service momentanément "
                               "indisponible.",
    "slow": "FranceConnect répond lentement (FC_SIM_SLOW_SECONDS) : le service patiente puis continue.",
}


@dataclass(frozen=True)
class Persona:
    """One row of the page."""

    login: str
    name: str
    scenario: str
    tags: tuple[str, ...]
    demarche: str  # the démarche preselected for this person


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
    """The démarche whose sources this person's data covers best (the earliest registered on a tie)."""
    def coverage(procedure) -> float:
        keys = {source.key for source in procedure.sources}
        return len(apis & keys) / len(keys)

    best = max(PROCEDURES.values(), key=coverage)  # max keeps the first of equals: registration order
    return best.slug if coverage(best) else next(iter(PROCEDURES))


def groups(today: date | None = None) -> list[tuple[str, list[Persona]]]:
    """The personas by group: API Particulier scenarios, FranceConnect failures, the other identities."""
    today = today or date.today()
    scenarios = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))["_scenarios"]
    apis = {persona.login: set(persona.apis) for persona in load_personas()}
    failures = {identity.login for identity in FAILURE_IDENTITIES}
    named, broken, others = [], [], []
    for login, identity in identities().items():
        name = f"{identity.given_name} {identity.family_name}".strip() or login
        row = Persona(login, name, scenarios.get(login) or FAILURES.get(identity.failure, ""),
                      _tags(identity, today), _suggested(apis.get(login, set())))
        (named if login in scenarios else broken if login in failures else others).append(row)
    named.sort(key=lambda row: list(scenarios).index(row.login))
    return [("Scénarios API Particulier", named), ("Pannes de FranceConnect", broken),
            ("Autres identités du fichier officiel (aucun dossier API Particulier : parcours manuel)", others)]


@bp.get("")
def index() -> str:
    """The personas page, in French, with the DSFR."""
    return render_template("franceconnect/personas.html", groups=groups(), procedures=PROCEDURES.values(),
                           service_url=current().settings.service_url)


@bp.get("/commencer")
def start() -> Response:
    """Remember the persona for the next login here, then open the service with the démarche chosen."""
    login = request.args.get("login", "")
    if login not in identities():
        raise ErrorPage("Cette identité de test n’existe pas.", error="unknown_persona", status=404)
    slug = request.args.get("demarche") if request.args.get("demarche") in PROCEDURES else _suggested(set())
    settings = current().settings
    response = redirect(f"{settings.service_url}/commencer?{urlencode({'demarche': slug})}", 303)
    response.set_cookie(PERSONA_COOKIE, quote(login), max_age=1800, path="/", httponly=True, samesite="Lax",
                        secure=settings.public_url.startswith("https://"))
    response.delete_cookie(SESSION_COOKIE, path="/api/v2")  # else the last person would still be logged in
    return response


@bp.before_app_request
def use_chosen_persona() -> None:
    """On the first screen of a login, skip the provider choice and prefill the chosen persona's login."""
    login = unquote(request.cookies.get(PERSONA_COOKIE, ""))
    if request.endpoint != "fc_interaction.show" or login not in identities():
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
