"""The démarches this service offers. Adding one: its folder (code and templates) and its name below, one line
(docs/ajouter-une-demarche.md)."""

from __future__ import annotations

from importlib import import_module

from demarche.procedures.base import Procedure

DEMARCHES = (  # demarche/procedures/<name>/, each exposing PROCEDURE; in the home page's order
    "cantine",
    "transport",
    "stationnement",
)
PROCEDURES: dict[str, Procedure] = {
    procedure.slug: procedure
    for procedure in (import_module(f"demarche.procedures.{name}").PROCEDURE for name in DEMARCHES)
}
