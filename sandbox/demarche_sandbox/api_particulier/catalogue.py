"""The APIs the simulator serves: v3 paths, modalities, providers, not-found errors and scope masks, from
https://particulier.api.gouv.fr/developpeurs/openapi and https://github.com/etalab/siade_staging_data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from demarche_sandbox.api_particulier.errors import SimError

DSS_MODALITIES = ("identite", "france_connect")
STUDENT_MODALITIES = ("identite", "france_connect", "ine")


@dataclass(frozen=True)
class Api:
    """One API of the catalogue; its routes are `base/<modality>`."""

    name: str  # also the personas' key
    base: str
    modalities: tuple[str, ...]
    profile: str  # identity parameters: dss | cnous | mesri (see params)
    provider_prefix: str  # 37 CNAV, 26 CNOUS, 25 MESRI
    provider: str
    not_found: tuple[str, str, str, str]  # code, title, detail, meta.provider
    scopes: dict[str, tuple[str, ...]]  # data key → FranceConnect/API scopes that reveal it
    fc_drops: tuple[str, ...] = ()  # keys absent from the france_connect route (v3)
    extra_params: tuple[str, ...] = field(default=())

    def routes(self) -> list[tuple[str, str]]:
        return [(f"{self.base}/{modality}", modality) for modality in self.modalities]

    def not_found_error(self, modality: str) -> SimError:
        code, title, detail, provider = self.not_found
        if modality == "ine" and self.name == "etudiant_boursier":
            detail += " Veuillez vérifier que l'identifiant correspond au périmètre couvert par l'API."
        return SimError(404, code, title=title, detail=detail, meta={"provider": provider})


_NOT_REFERENCED = (
    "35003",
    "Allocataire non référencé",
    "L'allocataire n'est pas référencé auprès des caisses éligibles",
    "CNAF & MSA",
)

APIS = (
    Api(
        name="quotient_familial",
        base="/v3/dss/quotient_familial",
        modalities=DSS_MODALITIES,
        profile="dss",
        provider_prefix="37",
        provider="CNAV",
        not_found=_NOT_REFERENCED,
        scopes={
            "allocataires": ("cnaf_allocataires",),
            "enfants": ("cnaf_enfants",),
            "adresse": ("cnaf_adresse",),
            "quotient_familial": ("cnaf_quotient_familial",),
        },
        extra_params=("annee", "mois"),
    ),
    Api(
        name="complementaire_sante_solidaire",
        base="/v3/dss/complementaire_sante_solidaire",
        modalities=DSS_MODALITIES,
        profile="dss",
        provider_prefix="37",
        provider="CNAV",
        not_found=(
            "40003",
            "Dossier allocataire absent RNCPS",
            "Le dossier allocataire n'a pas été trouvé auprès du RNCPS.",
            "RNCPS",
        ),
        scopes={
            key: ("complementaire_sante_solidaire",)
            for key in ("est_beneficiaire", "avec_participation", "date_debut_droit")
        },
    ),
    Api(
        name="revenu_solidarite_active",
        base="/v3/dss/revenu_solidarite_active",
        modalities=DSS_MODALITIES,
        profile="dss",
        provider_prefix="37",
        provider="CNAV",
        not_found=_NOT_REFERENCED,
        scopes={
            "est_beneficiaire": ("revenu_solidarite_active",),
            "date_debut_droit": ("revenu_solidarite_active",),
            "avec_majoration": ("revenu_solidarite_active_majoration",),
        },
    ),
    Api(
        name="allocation_adulte_handicape",
        base="/v3/dss/allocation_adulte_handicape",
        modalities=DSS_MODALITIES,
        profile="dss",
        provider_prefix="37",
        provider="CNAV",
        not_found=_NOT_REFERENCED,
        scopes={key: ("allocation_adulte_handicape",) for key in ("est_beneficiaire", "date_debut_droit")},
    ),
    Api(
        name="etudiant_boursier",
        base="/v3/cnous/etudiant_boursier",
        modalities=STUDENT_MODALITIES,
        profile="cnous",
        provider_prefix="26",
        provider="CNOUS",
        not_found=(
            "26003",
            "Entité non trouvée",
            "Aucun étudiant boursier n'a pu être trouvé avec les critères de recherche fournis.",
            "CNOUS",
        ),
        scopes={
            "est_boursier": ("cnous_statut_boursier", "cnous_statut_bourse"),
            "echelon_bourse": ("cnous_echelon_bourse",),
            "email": ("cnous_email",),
            "periode_versement_bourse": ("cnous_periode_versement",),
            "etablissement_etudes": ("cnous_etablissement_etudes", "cnous_ville_etudes"),
            "identite": ("cnous_identite",),
        },
        fc_drops=("identite",),
    ),
    Api(
        name="statut_etudiant",
        base="/v3/mesri/statut_etudiant",
        modalities=STUDENT_MODALITIES,
        profile="mesri",
        provider_prefix="25",
        provider="MESRI",
        not_found=(
            "25003",
            "Entité non trouvée",
            "Aucun étudiant n'a pu être trouvé avec les critères de recherche fournis.",
            "MESRI",
        ),
        scopes={
            "admissions": (
                "mesri_admissions",
                "mesri_admission",
                "mesri_inscription_etudiant",
                "mesri_inscription_autre",
                "mesri_admission_inscrit",
                "mesri_admission_regime_formation",
                "mesri_admission_commune_etudes",
                "mesri_admission_etablissement_etudes",
                "mesri_etablissements",
            ),
            "identite": ("mesri_identite",),
        },
        fc_drops=("identite",),
    ),
)


def route_scopes(api: Api) -> set[str]:
    """Every scope that opens at least one key of this API."""
    return {scope for scopes in api.scopes.values() for scope in scopes}


def mask(data: dict, api: Api, scopes: frozenset[str] | None) -> dict:
    """Keep only the keys the granted scopes reveal; None means an unrestricted token."""
    if scopes is None:
        return data
    return {key: value for key, value in data.items() if set(api.scopes.get(key, ())) & scopes}
