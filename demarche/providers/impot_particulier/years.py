"""Which income year (« annrev ») to ask for. A year is available once taxed, by default on 22 July of the
next year; before that the latest is N-2 (DGFiP, « Présentation fonctionnelle de l'API Impôt particulier »
v2.9, https://github.com/etalab/data_pass/blob/c3a17f12/public/cgus/dgfip/presentation_de_l_api_impot_particulier_v2.9.pdf).
The FranceConnect year scopes (dgfip_annee_*) say which years the citizen agreed to share.
"""

from __future__ import annotations

from datetime import date

TAXATION_MONTH_DAY = (7, 22)
YEAR_SCOPES = {"dgfip_annee_n_moins_1": 1, "dgfip_annee_n_moins_2": 2, "dgfip_annee_n_moins_3": 3}
FALLBACK_SCOPE = "dgfip_annee_n_moins_2_si_indispo_n_moins_1"  # N-2 while N-1 is not taxed yet


def latest_taxed(today: date) -> int:
    """N-1 from the taxation date on, N-2 before."""
    return today.year - 1 if today >= date(today.year, *TAXATION_MONTH_DAY) else today.year - 2


def years_to_ask(scopes: frozenset[str], today: date) -> list[int]:
    """The years to try in order: the latest taxed one the scopes open, then the year before if they open it
    too (asked only after a 410/4101 for the first). Empty when no year scope was granted."""
    latest = latest_taxed(today)
    opened = {today.year - offset for scope, offset in YEAR_SCOPES.items() if scope in scopes}
    if FALLBACK_SCOPE in scopes:
        opened.add(latest)
    return sorted((year for year in opened if year <= latest), reverse=True)[:2]
