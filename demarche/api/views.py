"""The routes of /api/v1: the OpenAPI document, the dossier list and a dossier (read), a change of state
(instruct). Every route but the document needs a token; another organisation's dossier is a 404."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_openapi3 import APIBlueprint, Tag
from flask_openapi3.models import Schema
from flask_openapi3.utils import get_model_schema

from demarche.api import body as request_body
from demarche.api import document, idempotency, journal, listing, problems, schemas, serialize, tokens
from demarche.api.problems import problem
from demarche.dossiers.models import Dossier
from demarche.dossiers.states import label
from demarche.dossiers.transitions import TransitionRefused
from demarche.extensions import db
from demarche.models import ApiToken


def _problem(description: str, headers: tuple[str, ...] = ()) -> dict:
    """An error response of the OpenAPI document: problem+json, with the headers it carries."""
    return {"description": description, "headers": {name: {"schema": {"type": "string"}} for name in headers},
            "content": {problems.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


COMMON = {
    401: _problem("Jeton absent, inconnu, révoqué ou expiré", ("WWW-Authenticate",)),
    422: _problem("Paramètres ou corps de requête invalides"),
    429: _problem("Limite de débit atteinte", ("Retry-After",)),
    "default": _problem("Autre erreur (404, 405, 500, 503…), toujours au format problem+json"),
}
NOT_FOUND = _problem("Dossier inconnu, ou d’une autre organisation")
DOSSIERS = Tag(name="Dossiers", description="Les dossiers déposés auprès de l’organisation du jeton")
bp = APIBlueprint("api", __name__, url_prefix=problems.PREFIX, abp_tags=[DOSSIERS],
                  abp_security=[{"bearer": []}], abp_responses=COMMON, validate_response=True)
bp.components_schemas["Problem"] = Schema(**get_model_schema(schemas.Problem))
REFUSALS = {
    "not_allowed": (409, "transition_impossible",
                    "Ce changement d’état n’est pas possible depuis l’état actuel du dossier ({state}) : "
                    "relisez le dossier (allowed_statuses)."),
    "conflict": (409, "conflit",
                 "Le dossier vient d’être modifié par quelqu’un d’autre : relisez-le avant de décider."),
    "motive_required": (422, "motif_obligatoire", "Indiquez le motif (motive) : l’usager le recevra. Il est "
                        "obligatoire pour une décision et pour une demande de correction (ce qu’il faut corriger)."),
    "awaiting_correction": (409, "correction_en_attente",
                            "Le dossier attend la correction demandée à l’usager ({state}) : il ne peut être ni "
                            "accepté, ni refusé, ni classé sans suite avant que l’usager ait confirmé ses "
                            "corrections. Relisez le dossier plus tard (correction_requests), ou repassez-le en "
                            "instruction (en_instruction) pour ne plus attendre."),
}


@bp.before_request
def authenticate():
    """401 without a valid token (RFC 6750 section 3: WWW-Authenticate names the scheme)."""
    if request.endpoint == f"{bp.name}.openapi_document":
        return None
    if tokens.from_request() is None:
        return problem(401, code="jeton_invalide", headers={"WWW-Authenticate": 'Bearer realm="api"'})
    return None


bp.before_request(request_body.refuse_deep_bodies)  # after authenticate(): a stranger's body is never read


@bp.get("/openapi.json", doc_ui=False)
def openapi_document():
    """This API's OpenAPI 3.1 document, generated from the code (no token needed)."""
    return jsonify(document.build(bp))


@bp.get("/dossiers", operation_id="listDossiers", summary="Lister les dossiers", responses={200: schemas.DossierPage})
def list_dossiers(query: schemas.DossierQuery):
    """Les dossiers de l’organisation, du plus anciennement modifié au plus récent, par pages (curseur)."""
    token = _token()
    try:
        items, cursor = listing.page(token.siret, query)
    except listing.BadCursor:
        return problem(422, "Curseur invalide : reprenez la liste sans « cursor », ou avec le dernier next_cursor "
                       "reçu.", code="curseur_invalide")
    journal.record(token, "list", items)
    db.session.commit()
    return schemas.DossierPage(items=[serialize.summary(d) for d in items], next_cursor=cursor).model_dump(mode="json")


@bp.get("/dossiers/<reference>", operation_id="getDossier", summary="Lire un dossier",
        responses={200: schemas.DossierDetail, 404: NOT_FOUND})
def get_dossier(path: schemas.DossierPath):
    """Réponses, données certifiées et leur provenance, consentement, trace FranceConnect, historique."""
    token = _token()
    dossier = _find(token, path.reference)
    if dossier is None:
        return _not_found()
    journal.record(token, "view", [dossier])
    db.session.commit()
    return serialize.detail(dossier).model_dump(mode="json")


@bp.post("/dossiers/<reference>/instruction", operation_id="instructDossier", summary="Changer l’état d’un dossier",
         responses={200: schemas.InstructionResult, 403: _problem("Jeton en lecture seule"), 404: NOT_FOUND,
                    409: _problem("Changement impossible, dossier en attente de correction ou modifié entre-temps")})
def instruct(path: schemas.DossierPath, body: schemas.InstructionBody, header: schemas.InstructionHeaders):
    """Mêmes règles que le back-office ; l’usager reçoit un courriel. Portée « instruct » requise."""
    token = _token()
    if token.scope != "instruct":
        return problem(403, "Ce jeton est en lecture seule (portée « read ») : demandez un jeton de portée "
                       "« instruct » pour changer l’état des dossiers.", code="portee_insuffisante")
    if not header.idempotency_key:
        return _instruct(token, path.reference, body)
    claimed = idempotency.claim(token, header.idempotency_key, idempotency.fingerprint(body.model_dump()))
    if isinstance(claimed, Response):
        return claimed
    try:
        response = _instruct(token, path.reference, body)
    except Exception:
        db.session.rollback()
        idempotency.settle(claimed, problem(500))  # releases the key: a retry runs again
        raise
    return idempotency.settle(claimed, response)


def _instruct(token: ApiToken, reference: str, body: schemas.InstructionBody) -> Response:
    dossier = _find(token, reference)
    if dossier is None:
        return _not_found()
    try:
        event = journal.change_status(dossier, token, body.status, body.motive)
    except TransitionRefused as refused:
        status, code, detail = REFUSALS[refused.reason]
        db.session.refresh(dossier)
        return problem(status, detail.format(state=label(dossier.status)), code=code)
    result = schemas.InstructionResult(dossier=serialize.summary(dossier), event=serialize.event(event))
    return jsonify(result.model_dump(mode="json"))


def _token() -> ApiToken:
    return tokens.from_request()  # authenticate() made sure there is one


def _find(token: ApiToken, reference: str) -> Dossier | None:
    return db.session.scalar(db.select(Dossier).filter_by(reference=reference, organisation_siret=token.siret))


def _not_found() -> Response:
    return problem(404, "Aucun dossier de ce numéro pour l’organisation de ce jeton.", code="dossier_inconnu")
