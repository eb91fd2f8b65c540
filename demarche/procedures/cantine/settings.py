"""The commune's settings of the canteen démarche: how it computes a municipal quotient from the revenu
fiscal de référence for families without a CAF or MSA quotient familial (its délibération, shown to citizens).

A commune adopting Démarche changes these three values to its own délibération's (docs/ajouter-une-demarche.md):
divisor "parts" (fiscal parts on the tax notice) or "persons" (declarants and dependants), and the period.
"""

from __future__ import annotations

from demarche.procedures.quotient import MunicipalQuotientRule

MUNICIPAL_QUOTIENT = MunicipalQuotientRule(
    divisor="parts",
    months=12,
    deliberation="délibération n° 2026-042 du conseil municipal de Démarche-sur-Loire du 12 mars 2026",
)
