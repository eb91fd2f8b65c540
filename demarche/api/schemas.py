"""The API's pydantic models: what a request may carry and what each answer holds (the OpenAPI document is
generated from them by flask-openapi3, and every answer is validated against them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from demarche.dossiers.states import STATUSES
from demarche.freetext import FreeText
from demarche.procedures import PROCEDURES

StatusCode = Literal[tuple(STATUSES)]  # type: ignore[valid-type]
ProcedureSlug = Literal[tuple(PROCEDURES)]  # type: ignore[valid-type]
EXAMPLE_REFERENCE = "CAN-2026-4F7K2Q"
REFERENCE = Field(max_length=32, pattern=r"^[A-Z0-9-]+$", description="Numéro du dossier",
                  json_schema_extra={"example": EXAMPLE_REFERENCE})  # the parameter's OpenAPI example


class Problem(BaseModel):
    """An error (RFC 9457)."""

    type: str = Field(description="about:blank : le statut HTTP décrit l’erreur")
    title: str = Field(description="Intitulé de l’erreur, en français")
    status: int
    detail: str = Field(description="Explication et marche à suivre, en français")
    instance: str = Field(description="Chemin de la requête")
    code: str | None = Field(None, description="Cas précis, pour un programme (voir docs/api.md)")
    correlation_id: str | None = Field(None, description="Identifiant à communiquer au support")
    errors: list[dict[str, str]] | None = Field(None, description="Champs invalides (422)")


class DossierQuery(BaseModel):
    """Filters and page of the dossier list."""

    procedure: ProcedureSlug | None = Field(None, description="Démarche (slug)")
    status: StatusCode | None = Field(None, description="État du dossier")
    submitted_from: date | None = Field(None, description="Déposé le ou après ce jour (UTC)")
    submitted_to: date | None = Field(None, description="Déposé le ou avant ce jour (UTC)")
    updated_since: datetime | None = Field(None, description="Modifié à partir de cet instant "
                                                             "(ISO 8601 ; UTC si sans fuseau)")
    cursor: FreeText(200) | None = Field(None, max_length=200, description="Curseur opaque renvoyé dans next_cursor")
    limit: int = Field(50, ge=1, le=100, description="Nombre de dossiers par page (100 au plus)")


class DossierPath(BaseModel):
    reference: FreeText(32) = REFERENCE


class InstructionHeaders(BaseModel):
    idempotency_key: FreeText(255) | None = Field(None, alias="Idempotency-Key", min_length=1, max_length=255,
                                        description="Clé choisie par le client : une requête rejouée avec la "
                                                    "même clé reçoit la même réponse sans effet nouveau")


class InstructionBody(BaseModel):
    """A change of state, with its motive (required for a decision: the citizen receives it)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"status": "en_instruction"}, {"status": "accepte", "motive": "Inscription validée pour 2026-2027."},
        {"status": "en_attente_de_correction", "motive": "Précisez le régime alimentaire de votre enfant."}]})

    status: StatusCode = Field(description="Nouvel état : en_instruction, en_attente_de_correction (demander une "
                                           "correction à l’usager), accepte, refuse ou sans_suite")
    motive: FreeText(2000, multiline=True) = Field(
        "", max_length=2000, description="Motif, transmis à l’usager (obligatoire pour une décision ou une demande de "
                                         "correction : ce qu’il faut corriger)")


class DossierSummary(BaseModel):
    reference: str
    procedure: str
    procedure_title: str
    status: StatusCode
    status_label: str
    submitted_at: datetime
    updated_at: datetime


class DossierPage(BaseModel):
    """One page of dossiers, in the order of (updated_at, reference): nothing is skipped between pages."""

    items: list[DossierSummary]
    next_cursor: str | None = Field(description="À renvoyer dans `cursor` pour la page suivante ; null à la fin")


class Provenance(BaseModel):
    platform: str = ""
    provider: str = ""
    route: str = ""
    request_id: str = ""
    retrieved_at: str = ""
    modality: str = ""


class CertifiedSource(BaseModel):
    source: str = Field(description="Clé de la source, ex. quotient_familial")
    label: str
    data: dict[str, Any] = Field(description="Données certifiées, telles que reçues")
    provenance: Provenance


class Consent(BaseModel):
    text_version: str
    categories: list[str]
    decision: str = Field(description="accepted ou refused")
    modality: str
    recipient: str = Field(description="SIRET destinataire des données")
    decided_at: datetime
    outcome: str


class Authentication(BaseModel):
    """The FranceConnect trace, without the `sub` (personal): a pseudonym for this organisation instead."""

    provider: str
    issuer: str
    acr: str | None = Field(None, description="Niveau eIDAS de l’authentification")
    auth_time: datetime | None
    citizen_pseudonym: str = Field(description="Identifiant stable de l’usager pour cette organisation, "
                                               "sans lien avec l’identifiant FranceConnect")


class Change(BaseModel):
    """A declared answer the citizen changed while correcting, as the summary reads it."""

    label: str
    old: str
    new: str


class Event(BaseModel):
    at: datetime
    actor: str = Field(description="« usager », l’adresse de l’agent, ou « api:<nom du jeton> »")
    kind: str = Field(description="submitted, status_changed, correction_requested ou corrected")
    from_status: str | None
    to_status: str | None
    motive: str | None
    changes: list[Change] | None = Field(None, description="corrected : les réponses modifiées (ancienne → nouvelle)")


class CorrectionRound(BaseModel):
    """A correction asked of the citizen and, once confirmed, the answer."""

    requested_at: datetime
    requested_by: str
    motive: str = Field(description="Ce que l’usager doit corriger")
    corrected_at: datetime | None = Field(description="Quand l’usager a confirmé ses corrections ; null en attente")
    changes: list[Change]


class FiledFor(BaseModel):
    """A dossier filed at a desk by an agent for a person present, under a recorded mandate (issue 20)."""

    filed_by: str = Field(description="Nom de l’agent qui a déposé le dossier")
    filed_by_email: str = Field(description="Adresse professionnelle de cet agent (ProConnect)")
    organisation_siret: str = Field(description="SIRET de l’organisation qui détient le mandat")
    on_behalf_of: str = Field(description="Prénoms et nom de naissance de la personne pour le compte de qui")
    text: str = Field(description="« Déposé par … pour le compte de … », tel que l’affichent les pages")


class DossierDetail(DossierSummary):
    identity: dict[str, Any] = Field(description="Identité pivot certifiée par FranceConnect")
    answers: dict[str, Any] = Field(description="Réponses de l’usager, chaque valeur avec son origine")
    certified: list[CertifiedSource]
    consent: Consent | None
    authentication: Authentication | None
    filed_for: FiledFor | None = Field(None, description="Présent quand un agent a déposé le dossier au guichet "
                                                         "pour le compte de la personne")
    events: list[Event]
    correction_requests: list[CorrectionRound] = Field(description="Les corrections demandées et leurs réponses")
    allowed_statuses: list[str] = Field(description="États vers lesquels le dossier peut passer")


class InstructionResult(BaseModel):
    dossier: DossierSummary
    event: Event
