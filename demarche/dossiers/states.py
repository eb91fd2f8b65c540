"""The life of a dossier: déposé → en instruction (↔ en attente de correction) → accepté, refusé or classé sans suite.

The same words everywhere: « Mes démarches », the back-office tabs, the e-mails and the exports
(after demarches-simplifiees.fr's states: https://doc.demarches-simplifiees.fr/).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """One state: its label for a citizen, its back-office tab, its DSFR badge, and the e-mail phrase."""

    code: str
    label: str
    tab: str
    badge: str  # DSFR badge modifier
    phrase: str  # « Votre dossier … {phrase}. »


STATUSES: dict[str, Status] = {s.code: s for s in (
    Status("depose", "Déposé", "À traiter", "info", "a bien été déposé"),
    Status("en_instruction", "En instruction", "En instruction", "new", "est en cours d’instruction"),
    Status("en_attente_de_correction", "En attente de correction", "En attente de correction", "warning",
           "attend vos corrections"),
    Status("accepte", "Accepté", "Acceptés", "success", "a été accepté"),
    Status("refuse", "Refusé", "Refusés", "error", "a été refusé"),
    Status("sans_suite", "Classé sans suite", "Classés sans suite", "warning", "a été classé sans suite"),
)}

# Allowed moves, and the verb an agent clicks for each.
TRANSITIONS: dict[str, dict[str, str]] = {
    "depose": {"en_instruction": "Passer en instruction"},
    "en_instruction": {"en_attente_de_correction": "Demander une correction à l’usager", "accepte": "Accepter",
                       "refuse": "Refuser", "sans_suite": "Classer sans suite"},
    # The citizen answers with « J’ai effectué les corrections » (transitions.confirm_correction); the agent may
    # also stop waiting. No decision while the dossier waits.
    "en_attente_de_correction": {"en_instruction": "Reprendre l’instruction sans attendre la correction"},
}
DECISIONS = ("accepte", "refuse", "sans_suite")  # each needs a motive, sent to the citizen
CORRECTION = "en_attente_de_correction"
NEEDS_MOTIVE = (*DECISIONS, CORRECTION)  # a correction request says what to change: required too


def label(code: str) -> str:
    """The French label of a status code (the code itself if unknown)."""
    status = STATUSES.get(code)
    return status.label if status else code
