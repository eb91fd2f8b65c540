"""FranceConnect v2 scopes, the claims each grants (fcp-low.scopes.ts of https://github.com/france-connect/sources)
and their French labels for the transmission screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from demarche_sandbox.oidc_provider.claims import scoped_claims

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

# The DGFiP (API Impôt particulier) as a FranceConnect data provider: the subset of FranceConnect's dgfip_*
# scopes the DGFiP simulator answers, https://github.com/france-connect/sources/blob/7a8566f690b9c67955757b32dbe5671246901d29/back/libs/scopes/src/data/dgfip/dgfip.claims.ts
DGFIP_PROVIDER_LABEL = "Direction générale des Finances publiques"
DGFIP_SCOPES = (
    "dgfip_rfr",
    "dgfip_nbpart",
    "dgfip_sitfam",
    "dgfip_nbpac",
    "dgfip_pac_nbPac",
    "dgfip_pac",
    "dgfip_pariso",
    "dgfip_aft",
    "dgfip_decl",
    "dgfip_nmUsaDec1",
    "dgfip_nmNaiDec1",
    "dgfip_prnmDec1",
    "dgfip_dateNaisDec1",
    "dgfip_nmUsaDec2",
    "dgfip_nmNaiDec2",
    "dgfip_prnmDec2",
    "dgfip_dateNaisDec2",
    "dgfip_mntRevbareme",
    "dgfip_annee_n_moins_1",
    "dgfip_annee_n_moins_2",
    "dgfip_annee_n_moins_3",
    "dgfip_annee_n_moins_2_si_indispo_n_moins_1",
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
    # --- DGFiP: begin --- labels of FranceConnect's back/libs/scopes/src/data/dgfip/dgfip.labels.ts,
    # https://github.com/france-connect/sources/blob/5559997357491ba8aaf3ee17c8aab8f808b023e8/back/libs/scopes/src/data/dgfip/dgfip.labels.ts
    "dgfip_rfr": "Revenu fiscal de référence",
    "dgfip_nbpart": "Nombre de parts du foyer fiscal",
    "dgfip_sitfam": "Situation de famille (marié, pacsé, célibataire, veuf divorcé)",
    "dgfip_nbpac": "Nombre de personnes à charge",
    "dgfip_pac_nbPac": "Nombre de personnes à charge",
    "dgfip_pac": "Détail des personnes à charge et rattachées",
    "dgfip_pariso": "Parent isolé (case T)",
    "dgfip_aft": "Adresse déclarée au 1er Janvier",
    "dgfip_decl": "État-civil des déclarants du foyer fiscal",
    "dgfip_nmUsaDec1": "Nom déclarant 1",
    "dgfip_nmNaiDec1": "Nom de naissance déclarant 1",
    "dgfip_prnmDec1": "Prénom déclarant 1",
    "dgfip_dateNaisDec1": "Date de naissance déclarant 1",
    "dgfip_nmUsaDec2": "Nom déclarant 2",
    "dgfip_nmNaiDec2": "Nom de naissance déclarant 2",
    "dgfip_prnmDec2": "Prénom déclarant 2",
    "dgfip_dateNaisDec2": "Date de naissance déclarant 2",
    "dgfip_mntRevbareme": "Montant de l’impôt sur les revenus soumis au barème (ligne 14)",
    "dgfip_annee_n_moins_1": "Dernière année de revenu",
    "dgfip_annee_n_moins_2": "Avant-dernière année de revenu",
    "dgfip_annee_n_moins_3": "Avant-avant-dernière année de revenu",
    "dgfip_annee_n_moins_2_si_indispo_n_moins_1": "Avant-dernière année de revenu, si la dernière année "
                                                  "n’est pas disponible",
    # --- DGFiP: end ---
}
# The data providers, in the order FranceConnect's transmission screen groups their scopes.
DATA_PROVIDERS = (("API Particulier", API_PARTICULIER_SCOPES), (DGFIP_PROVIDER_LABEL, DGFIP_SCOPES))


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


def data_items(scopes: Iterable[str]) -> list[tuple[str, list[str]]]:
    """(data provider, French labels of its requested scopes in request order), for each provider asked."""
    scopes = list(scopes)
    groups = [(name, [DATA_SCOPE_LABELS.get(scope, scope) for scope in scopes if scope in provided])
              for name, provided in DATA_PROVIDERS]
    return [(name, labels) for name, labels in groups if labels]
