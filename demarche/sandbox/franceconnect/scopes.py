"""FranceConnect v2 scopes, the claims each grants (fcp-low.scopes.ts of https://github.com/france-connect/sources)
and their French labels for the transmission screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from demarche.sandbox.oidc_provider.claims import scoped_claims

# Data scopes of API Particulier's "modalité FranceConnect" that the simulator knows (names as in the
# FranceConnect sandbox discovery's scopes_supported).
API_PARTICULIER_SCOPES = (
    "cnaf_quotient_familial",
    "cnaf_allocataires",
    "cnaf_enfants",
    "cnaf_adresse",
    "complementaire_sante_solidaire",
    "revenu_solidarite_active",
    "revenu_solidarite_active_majoration",
    "allocation_adulte_handicape",
    "allocation_soutien_familial",
    "prime_activite",
    "prime_activite_majoration",
    "cnous_statut_boursier",
    "cnous_echelon_bourse",
    "cnous_email",
    "cnous_periode_versement",
    "cnous_statut_bourse",
    "cnous_ville_etudes",
    "cnous_etablissement_etudes",
    "mesri_identifiant",
    "mesri_identite",
    "mesri_inscription_etudiant",
    "mesri_inscription_autre",
    "mesri_admission",
    "mesri_etablissements",
)

PIVOT_CLAIMS = ("given_name", "given_name_array", "family_name", "birthdate", "gender", "birthplace",
                "birthcountry")

SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "openid": ("sub",),
    "identite_pivot": PIVOT_CLAIMS,  # no preferred_username in v2
    "profile": ("given_name", "given_name_array", "family_name", "birthdate", "gender", "preferred_username"),
    "birth": ("birthplace", "birthcountry"),
    "given_name": ("given_name", "given_name_array"),
    "family_name": ("family_name",),
    "birthdate": ("birthdate",),
    "gender": ("gender",),
    "birthplace": ("birthplace",),
    "birthcountry": ("birthcountry",),
    "email": ("email",),
    "preferred_username": ("preferred_username",),
    "idp_birthdate": ("idp_birthdate",),
    "amr": ("amr",),
    "idp_id": ("idp_id",),
}
IDENTITY_SCOPES = tuple(SCOPE_CLAIMS)
OMITTED_WHEN_EMPTY = ("email", "preferred_username")  # an identity provider may not know them

CLAIM_LABELS = {
    "given_name": "Prénom(s)",
    "family_name": "Nom de naissance",
    "preferred_username": "Nom d’usage",
    "birthdate": "Date de naissance",
    "gender": "Sexe",
    "birthplace": "Lieu de naissance (code commune INSEE)",
    "birthcountry": "Pays de naissance (code INSEE)",
    "email": "Adresse électronique",
    "idp_birthdate": "Date de naissance transmise par le fournisseur d’identité",
    "amr": "Méthode d’authentification",
    "idp_id": "Fournisseur d’identité utilisé",
}
GENDER_LABELS = {"male": "Masculin", "female": "Féminin", "unspecified": "Non précisé"}

DATA_SCOPE_LABELS = {
    "cnaf_quotient_familial": "Quotient familial (CAF ou MSA)",
    "cnaf_allocataires": "Allocataires",
    "cnaf_enfants": "Enfants",
    "cnaf_adresse": "Adresse",
    "complementaire_sante_solidaire": "Complémentaire santé solidaire",
    "revenu_solidarite_active": "Revenu de solidarité active (RSA)",
    "allocation_adulte_handicape": "Allocation aux adultes handicapés (AAH)",
    "allocation_soutien_familial": "Allocation de soutien familial (ASF)",
    "prime_activite": "Prime d’activité",
    "cnous_statut_boursier": "Statut d’étudiant boursier",
    "cnous_echelon_bourse": "Échelon de la bourse",
    "cnous_email": "Adresse électronique (Crous)",
    "cnous_periode_versement": "Période de versement de la bourse",
    "cnous_statut_bourse": "Statut définitif ou conditionnel de la bourse",
    "cnous_ville_etudes": "Ville d’études",
    "cnous_etablissement_etudes": "Établissement d’études",
    "mesri_identifiant": "Identifiant national étudiant (INE)",
    "mesri_identite": "Identité de l’étudiant",
    "mesri_inscription_etudiant": "Inscription en formation initiale",
    "mesri_inscription_autre": "Inscription en formation continue ou autre",
    "mesri_admission": "Admission",
    "mesri_etablissements": "Établissements d’inscription",
}


def transmission_items(scopes: Iterable[str], values: dict) -> dict[str, list]:
    """What the transmission screen lists: identity_items, (French label, displayed value) of each identity
    claim about to be transmitted, and data_items, the labels of the data scopes asked."""
    identity = [
        (CLAIM_LABELS[claim], _displayed(claim, value))
        for claim, value in scoped_claims(scopes, values, SCOPE_CLAIMS, OMITTED_WHEN_EMPTY).items()
        if claim in CLAIM_LABELS  # given_name_array repeats given_name
    ]
    return {"identity_items": identity, "data_items": data_items(scopes)}


def _displayed(claim: str, value: object) -> str:
    if claim == "gender":
        return GENDER_LABELS.get(str(value), str(value))
    if claim == "birthdate":
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    if claim == "birthplace" and not value:
        return "sans objet (naissance à l’étranger)"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def data_items(scopes: Iterable[str]) -> list[str]:
    """French labels of the requested data scopes (API Particulier), in request order."""
    return [DATA_SCOPE_LABELS.get(scope, scope) for scope in scopes if scope in API_PARTICULIER_SCOPES]
