"""A JSON body's nesting is bounded before any parser reads it: Python's json module recurses once per level
and ends in RecursionError (a 500) some thousand levels down; no request of this API nests more than twice.

The size is bounded earlier still, by MAX_CONTENT_LENGTH (1 Mo, werkzeug answers 413)."""

from __future__ import annotations

import re

from flask import request

from demarche.api.problems import problem

MAX_DEPTH = 32  # the instruction body is one object of strings; 32 leaves room for any future shape
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)  # brackets inside strings do not nest
_BRACKETS = re.compile(rb"[^\[\]{}]+")


def too_deep(data: bytes, limit: int = MAX_DEPTH) -> bool:
    """Does this JSON text open more than `limit` arrays or objects inside one another?"""
    depth = 0
    for char in _BRACKETS.sub(b"", _STRING.sub(b"", data)):
        depth += 1 if char in b"[{" else -1
        if depth > limit:
            return True
    return False


def refuse_deep_bodies():
    """before_request of the API: a 400 in French for a body nested deeper than MAX_DEPTH."""
    if request.method in ("POST", "PUT", "PATCH") and request.is_json and too_deep(request.get_data()):
        return problem(400, f"Le corps JSON est trop imbriqué : {MAX_DEPTH} niveaux d’objets ou de tableaux au "
                       "plus. Envoyez un objet simple, comme dans la documentation de l’API.",
                       code="json_trop_imbrique")
    return None
