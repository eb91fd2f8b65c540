"""The OpenAPI 3.1 document of /api/v1, assembled from what flask-openapi3 collected on the blueprint
(paths, component schemas from the pydantic models, tags) plus the API's description and security scheme."""

from __future__ import annotations

from functools import cache

from flask_openapi3 import APIBlueprint
from flask_openapi3.models import APISpec, Components, Info

INFO = Info(title="API Démarche", version="1.0.0",
            description="Les dossiers déposés auprès de votre organisation, pour votre logiciel métier. "
                        "Guide : docs/api.md. Erreurs au format application/problem+json (RFC 9457).")
SECURITY_SCHEMES = {"bearer": {"type": "http", "scheme": "bearer",
                               "description": "Jeton créé par `flask api-tokens create`"}}


@cache
def build(bp: APIBlueprint) -> dict:
    """The document as JSON-ready data (the routes are fixed at import, so it is built once)."""
    spec = APISpec(openapi="3.1.0", info=INFO, paths=bp.paths, tags=bp.tags or None,
                   components=Components(schemas=bp.components_schemas, securitySchemes=SECURITY_SCHEMES))
    return spec.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
