"""The démarches this service offers. Adding one: its folder (code and templates) and one line below
(docs/ajouter-une-demarche.md)."""

from __future__ import annotations

from demarche.procedures import cantine, transport
from demarche.procedures.base import Procedure

PROCEDURES: dict[str, Procedure] = {
    procedure.slug: procedure
    for procedure in (
        cantine.PROCEDURE,
        transport.PROCEDURE,
    )
}
