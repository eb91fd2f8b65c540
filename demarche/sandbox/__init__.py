"""Local simulators of FranceConnect v2, ProConnect and API Particulier v3, and a demo mailbox, for the
demo and the tests.

Each is a WSGI app of its own (see shared/CONTRACT.md; ProConnect: proconnect.py, the mailbox: mailbox.py).
The service never knows it talks to a simulator: it is pointed at them by URL (and at the mailbox by
SMTP_HOST/SMTP_PORT), exactly as it would be at the real platforms.
"""

# The API Particulier simulator is a FranceConnect "data provider": it validates citizens' access
# tokens through the FranceConnect simulator's /checktoken with these credentials.
DATA_PROVIDER_CLIENT_ID = "api-particulier-simulateur"
DATA_PROVIDER_CLIENT_SECRET = "api-particulier-simulateur-secret-demo"  # noqa: S105 - demo value

# Data scopes of API Particulier's "modalité FranceConnect" that the FranceConnect simulator knows
# (shared/docs/franceconnect.md §9; names as in the sandbox discovery's scopes_supported).
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

# --- DGFiP (API Impôt particulier) as a FranceConnect data provider: begin ---
# The DGFiP simulator (demarche.sandbox.impot_particulier) checks citizens' access tokens through
# /checktoken with these credentials; FranceConnect shows these scopes under the DGFiP on its
# transmission screen. Names: the subset of FranceConnect's dgfip_* scopes the DGFiP simulator answers,
# https://github.com/france-connect/sources/blob/7a8566f690b9c67955757b32dbe5671246901d29/back/libs/scopes/src/data/dgfip/dgfip.claims.ts
DGFIP_DATA_PROVIDER_CLIENT_ID = "impot-particulier-simulateur"
DGFIP_DATA_PROVIDER_CLIENT_SECRET = "impot-particulier-simulateur-secret-demo"  # noqa: S105 - demo value
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
# --- DGFiP: end ---
