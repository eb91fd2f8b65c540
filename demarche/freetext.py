"""The one rule for free text, whatever brings it in (a web form, the API, the CLI): Unicode NFC, no control
character (line breaks only where a text has lines), no bidi control nor zero-width character, a bounded
length. Each entry point applies it through its own adapter: validation.Text, freetext.FreeText, FREE_TEXT."""

from __future__ import annotations

import unicodedata
from typing import Annotated

import click
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

CONTROL_MESSAGE = ("Ce champ contient un caractère de contrôle invisible : retapez le texte au clavier, "
                   "sans copier-coller.")
INVISIBLE_MESSAGE = ("Ce champ contient un caractère invisible (espace sans largeur ou inversion du sens "
                     "d’écriture) : retapez le texte au clavier, sans copier-coller.")
LENGTH_MESSAGE = "Ce texte dépasse {max} caractères ({length}) : raccourcissez-le."
LINE_BREAKS = frozenset("\r\n\t")  # what a text with lines may hold besides printable characters
# Bidi embeddings, overrides, isolates and marks make a text read differently from what it holds (« Trojan
# Source », CVE-2021-42574, https://trojansource.codes/); zero-width characters make two texts look alike.
# Unicode's list: https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters
INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
                      "\u200b\u200c\u200d\u2060\ufeff")
# Noncharacters (https://www.unicode.org/faq/private_use.html#noncharacters): XML and many mail readers refuse
# them; a lone surrogate (which JSON's « \ud800 » makes) cannot even be encoded for the database.
NONCHARACTERS = frozenset(map(chr, range(0xFDD0, 0xFDF0))) | {chr(p * 0x10000 + c) for p in range(17)
                                                             for c in (0xFFFE, 0xFFFF)}


class TextRefused(ValueError):
    """The text breaks the rule; str(error) says why, in French."""


def clean(value: str, *, multiline: bool = False, max_length: int | None = None) -> str:
    """The text as stored (NFC), or TextRefused: the rule itself, without any framework."""
    value = unicodedata.normalize("NFC", value)
    allowed = LINE_BREAKS if multiline else frozenset()
    if any(_is_control(char) and char not in allowed for char in value):
        raise TextRefused(CONTROL_MESSAGE)
    if not INVISIBLE.isdisjoint(value):
        raise TextRefused(INVISIBLE_MESSAGE)
    if max_length is not None and len(value) > max_length:
        raise TextRefused(LENGTH_MESSAGE.format(max=max_length, length=len(value)))
    return value


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") or char in NONCHARACTERS


def _pydantic(multiline: bool, max_length: int | None):
    def check(value: str) -> str:
        try:
            return clean(value, multiline=multiline, max_length=max_length)
        except TextRefused as refused:
            raise PydanticCustomError("free_text", str(refused)) from None

    return AfterValidator(check)


def FreeText(max_length: int, multiline: bool = False):  # noqa: N802 - used as a type: FreeText(2000)
    """The rule as a pydantic type, for the API's models: Annotated[str, the rule]."""
    return Annotated[str, _pydantic(multiline, max_length)]


class FreeTextParam(click.ParamType):
    """The rule as a click parameter type, for the CLI: a refused text is a usage error, in French."""

    name = "texte"

    def __init__(self, max_length: int = 200):
        self.max_length = max_length

    def convert(self, value, param, ctx):
        try:
            return clean(str(value), max_length=self.max_length)
        except TextRefused as refused:
            self.fail(str(refused), param, ctx)


FREE_TEXT = FreeTextParam()
