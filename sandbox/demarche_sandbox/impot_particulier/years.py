"""Which income years ("annrev") a caller may read, and which are taxed yet.

DGFiP, "Présentation fonctionnelle de l'API Impôt particulier" v2.9, published with DataPass
(https://github.com/etalab/data_pass/blob/c3a17f12/public/cgus/dgfip/presentation_de_l_api_impot_particulier_v2.9.pdf):
one year per call; a year is available once taxed (default date 22 July, e.g. 22/07/25 for the 2024
incomes); before that the last available year is N-2. The year scopes are FranceConnect's
dgfip_annee_n_moins_1/_2/_3 and dgfip_annee_n_moins_2_si_indispo_n_moins_1 ("N-2 si N-1 indisponible").
"""

from __future__ import annotations

from datetime import date

TAXATION_MONTH_DAY = (7, 22)
YEAR_SCOPES = {"dgfip_annee_n_moins_1": 1, "dgfip_annee_n_moins_2": 2, "dgfip_annee_n_moins_3": 3}
FALLBACK_SCOPE = "dgfip_annee_n_moins_2_si_indispo_n_moins_1"


def taxation_day(annrev: int) -> date:
    """The day the incomes of `annrev` are taxed: 22 July of the next year."""
    return date(annrev + 1, *TAXATION_MONTH_DAY)


def taxed(annrev: int, today: date) -> bool:
    return taxation_day(annrev) <= today


def allowed_years(scopes: frozenset[str], today: date) -> set[int]:
    """The income years the FranceConnect year scopes open, N being the current year."""
    years = {today.year - offset for scope, offset in YEAR_SCOPES.items() if scope in scopes}
    if FALLBACK_SCOPE in scopes:
        years.add(today.year - 1 if taxed(today.year - 1, today) else today.year - 2)
    return years


def relative_key(annrev: int, today: date) -> str:
    """The key of this income year in the households file: "N-1" for last year's incomes, etc."""
    return f"N-{today.year - annrev}"
