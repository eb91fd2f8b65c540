"""The FranceConnect-mode resources under /impotparticulier/1.0: the checks of the gateway and of the
DGFiP, in order, then one year's assessment masked to the citizen's dgfip_* scopes.

Paths, APIM scopes, headers and media types are those of the official OpenAPI
(docs/specs/api-impot-particulier-openapi.json, https://api.gouv.fr/les-api/impot-particulier).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, json, request

from demarche_sandbox.impot_particulier import foyers as households
from demarche_sandbox.impot_particulier.errors import DgfipError, denied, malformed
from demarche_sandbox.impot_particulier.franceconnect import Citizen, check_token
from demarche_sandbox.impot_particulier.gateway import check_teleservice, gateway_token
from demarche_sandbox.impot_particulier.state import Failure, SimState
from demarche_sandbox.impot_particulier.years import allowed_years, taxed

BASE = "/impotparticulier/1.0"
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ANNREV = re.compile(r"^[0-9]{4}$")
LATE_FAILURES = ("500", "504", "timeout", "hang")

bp = Blueprint("ip_resources", __name__, url_prefix=BASE)


@dataclass(frozen=True)
class Resource:
    apim_scope: str
    media_type: str
    with_year: bool  # the answer carries annRevenu (the "dernière situation" resources)


SITUATION = Resource("RessourceIR", "application/prs.dgfip.part.situations.ir.assiettes.v1+json", False)
DERNIERE = Resource("RessourceIRDerniere", "application/prs.dgfip.part.derniere.situations.ir.assiettes.v1+json",
                    True)
DEUX_ANS = Resource("RessourceIRDerniere2", DERNIERE.media_type, True)


def _state() -> SimState:
    return current_app.extensions["ip_sim"]


@bp.get("/situations/ir/assiettes/annrev/<annrev>")
def situation(annrev: str) -> Response:
    return _serve(SITUATION, annrev)


@bp.get("/dernieresituation/ir/assiettes/annrev/<annrev>")
def derniere_situation(annrev: str) -> Response:
    return _serve(DERNIERE, annrev)


@bp.get("/dernieresituation/ir/assiettes/deuxans")
def derniere_situation_deux_ans() -> Response:
    """No year: the last assessment, or the one before when the last is not available yet."""
    return _serve(DEUX_ANS, None)


def _check_headers(resource: Resource) -> None:
    """The gateway's checks: bearer and its resource scope, X-Correlation-ID, ID_Teleservice."""
    token = gateway_token(resource.apim_scope)
    correlation = request.headers.get("X-Correlation-ID", "")
    if not correlation:
        raise malformed("en-tête X-Correlation-ID absent")
    if not UUID.match(correlation):
        raise malformed("X-Correlation-ID doit être un UUID")
    check_teleservice(token)


def _citizen() -> Citizen:
    token = request.headers.get("X-FranceConnect-OAuth", "").strip()
    if not token:
        raise malformed("en-tête X-FranceConnect-OAuth absent (jeton d'accès FranceConnect de l'usager)")
    citizen = check_token(token, _state().settings)
    if not citizen.scopes & households.DATA_SCOPES:
        raise denied("le consentement FranceConnect ne porte sur aucune donnée de la DGFiP", 4031)
    return citizen


def _years(citizen: Citizen, annrev: str | None) -> list[int]:
    """The years to try, in order: the one asked, or for deuxans the last two the scopes allow."""
    today = _state().today()
    allowed = allowed_years(citizen.scopes, today)
    wanted = [int(annrev)] if annrev is not None else [today.year - 1, today.year - 2]
    years = [year for year in wanted if year in allowed]
    if not years:
        asked = annrev or "N-1 / N-2"
        raise denied(f"le consentement FranceConnect ne couvre pas l'année de revenus {asked}", 4031)
    return years


def _apply(failure: Failure | None) -> None:
    """An injected provider failure, after identification (per route, or per household)."""
    if failure is None:
        return
    settings = _state().settings
    if failure.status in ("timeout", "hang"):
        time.sleep(settings.slow_seconds if failure.status == "timeout" else settings.hang_seconds)
        raise DgfipError(504, "Délai d'attente de la réponse du service de la DGFiP dépassé")
    raise DgfipError(int(failure.status), "Erreur technique")


def _serve(resource: Resource, annrev: str | None) -> Response:
    _check_headers(resource)
    if annrev is not None and not ANNREV.match(annrev):
        raise malformed("l'année de revenus doit avoir 4 chiffres", 4002)
    citizen = _citizen()
    years = _years(citizen, annrev)
    foyer = households.find_foyer(current_app.extensions["ip_sim_foyers"], citizen.identity)
    _apply(_state().take_failure(request.path, LATE_FAILURES, foyer=foyer.id if foyer else ""))
    if foyer is None:
        raise DgfipError(410, "Aucun usager ne correspond à l'identité FranceConnect", 4102)
    today = _state().today()
    for year in years:
        full = households.assessment(foyer, year, today) if taxed(year, today) else None
        if full is not None:
            body = households.mask(full, citizen.scopes)
            if resource.with_year:
                body = {"annRevenu": year, **body}
            return Response(json.dumps(body), status=200, content_type=resource.media_type)
    raise DgfipError(410, codeapp=4101)
