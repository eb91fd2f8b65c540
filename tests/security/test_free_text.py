"""One rule for free text at every entry point (issue 19 d, e): each writable text field of every web form,
of every API request model and of every CLI command is found from the definitions themselves (a new field is
walked without touching this file) and must refuse control, bidi and zero-width characters, bound its length
and keep the NFC form of what it accepts."""

from __future__ import annotations

import importlib
import pkgutil
import typing
import unicodedata

import click
import pytest
from click.testing import CliRunner
from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.meta import DefaultMeta
from wtforms.validators import Length

import demarche
from demarche import freetext
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import ApiToken
from demarche.validation import FRENCH, FrenchForm, FrenchSubform, Text
from tests.api.conftest import bearer, new_token
from tests.backoffice.factories import make_dossier

CONTROLS = {"NUL": "\x00", "ESC": "\x1b[2J", "BEL": "\x07", "DEL": "\x7f", "NEL": "\x85", "lone surrogate": "\ud800",
            "noncharacter": "\ufffe"}
INVISIBLES = {"RLO": "\u202e", "LRE": "\u202a", "LRI": "\u2066", "PDI": "\u2069", "LRM": "\u200e", "RLM": "\u200f",
              "ALM": "\u061c", "ZWSP": "\u200b", "ZWNJ": "\u200c", "ZWJ": "\u200d", "BOM": "\ufeff"}
NASTY = {**CONTROLS, **INVISIBLES}
LINE_BREAK = "\r\n"
DECOMPOSED, COMPOSED = "Ce\u0301line", "Céline"


def _import_everything() -> None:
    for module in pkgutil.walk_packages(demarche.__path__, "demarche."):
        importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    return {cls} | {s for child in cls.__subclasses__() for s in _subclasses(child)}


def form_fields() -> list[tuple[str, str, UnboundField]]:
    """(form, field name, field) for every text field of every form class of the service."""
    _import_everything()
    found = []
    for form in sorted(_subclasses(FrenchForm) | _subclasses(FrenchSubform), key=lambda c: c.__qualname__):
        for name in dir(form):
            unbound = getattr(form, name)
            if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, StringField):
                found.append((f"{form.__module__}.{form.__qualname__}", name, unbound))
    return found


FORM_FIELDS = form_fields()


def bind(unbound: UnboundField, value: str):
    field = unbound.bind(form=None, name="f", _meta=DefaultMeta(), translations=FRENCH)
    field.process(MultiDict({"f": value}))
    field.validate(None)
    return field


def test_the_walk_finds_the_forms_fields():
    """A guard on the walker itself: the free-text fields the issue named are among those walked."""
    names = {(form.rsplit(".", 1)[1], name) for form, name, _ in FORM_FIELDS}
    assert {("DecisionForm", "motive"), ("JourneyForm", "data_comment"), ("CantineForm", "address"),
            ("ChildForm", "nom"), ("MessageForm", "body"), ("FeedbackForm", "comment")} <= names


@pytest.mark.parametrize(("form", "name", "unbound"), FORM_FIELDS, ids=[f"{f.rsplit('.', 1)[1]}.{n}"
                                                                       for f, n, _ in FORM_FIELDS])
def test_every_form_text_field_follows_the_rule(form, name, unbound):
    validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
    assert validators and isinstance(validators[0], Text), f"{form}.{name}: Text() must come first"
    assert any(isinstance(v, Length) and v.max > 0 for v in validators) or validators[0].max_length, \
        f"{form}.{name}: no length bound"
    for label, char in NASTY.items():
        field = bind(unbound, f"ab{char}cd")
        assert field.errors and field.errors[0] in (freetext.CONTROL_MESSAGE, freetext.INVISIBLE_MESSAGE), label
    multiline = issubclass(unbound.field_class, TextAreaField)
    assert (freetext.CONTROL_MESSAGE in bind(unbound, f"ab{LINE_BREAK}cd").errors) is not multiline
    kept = bind(unbound, DECOMPOSED).data  # NFC: « e » and its combining accent become one « é »
    assert len(kept) == len(COMPOSED) and unicodedata.is_normalized("NFC", kept)  # a filter may change case


# A field with a stricter pattern (a reference: A-Z, 0-9, -) refuses the text before the rule does.
REFUSALS = ("free_text", "string_pattern_mismatch", "string_unicode")


def api_models(app) -> list[tuple[str, type[BaseModel]]]:
    """The request models (path, query, header, body) of every API route, read from the views' signatures."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            hints = typing.get_type_hints(app.view_functions[rule.endpoint])
            found |= {(rule.endpoint, hint) for name, hint in hints.items()
                      if name != "return" and isinstance(hint, type) and issubclass(hint, BaseModel)}
    return sorted(found, key=lambda pair: (pair[0], pair[1].__name__))


def _holds_str(annotation) -> bool:
    """str, Annotated[str, …], or a union with one of them (Optional)."""
    if annotation is str:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        return _holds_str(typing.get_args(annotation)[0])
    return any(_holds_str(arg) for arg in typing.get_args(annotation))


def text_fields(model: type[BaseModel]) -> list[str]:
    """The alias of each field of the model that holds a str."""
    return [info.alias or name for name, info in model.model_fields.items() if _holds_str(info.annotation)]


def test_every_api_text_field_follows_the_rule(make_app):
    models = api_models(make_app())
    walked = {(model.__name__, alias) for _, model in models for alias in text_fields(model)}
    assert {("InstructionBody", "motive"), ("DossierQuery", "cursor"), ("InstructionHeaders", "Idempotency-Key"),
            ("DossierPath", "reference")} <= walked
    for _, model in models:
        for alias in text_fields(model):
            for label, char in NASTY.items():
                with pytest.raises(ValidationError) as refused:
                    model.model_validate({alias: f"AB{char}CD"})
                assert any(e["loc"] == (alias,) and e["type"] in REFUSALS for e in refused.value.errors()), \
                    (model.__name__, alias, label)


def cli_params(app) -> list[tuple[str, click.Parameter]]:
    found = []

    def walk(command: click.Command, path: str) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, f"{path} {name}".strip())
        else:
            found.extend((f"{path} {param.name}", param) for param in command.params)

    for name, command in app.cli.commands.items():
        if name != "db":  # Alembic's own commands (Flask-Migrate) take revisions and paths, not text
            walk(command, name)
    return found


def test_every_cli_text_parameter_follows_the_rule(make_app):
    params = cli_params(make_app())
    assert {"api-tokens create name", "webhooks add url", "agents add email"} <= {path for path, _ in params}
    for path, param in params:
        assert not isinstance(param.type, click.types.StringParamType), f"{path}: plain text, use FREE_TEXT"
        if isinstance(param.type, freetext.FreeTextParam):
            for char in NASTY.values():
                with pytest.raises(click.BadParameter):
                    param.type.convert(f"ab{char}cd", param, None)
            assert param.type.convert(DECOMPOSED, param, None) == COMPOSED


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\r\n", "\u202e", "\u200f", "\ufeff"])
def test_the_api_motive_follows_the_rule_end_to_end(bo_app, char):
    """Issue 19 d: the motive reached the citizen's receipt and e-mail; now a 422 in French, nothing stored."""
    reference, token = make_dossier(bo_app, status="en_instruction"), new_token(bo_app, scope="instruct")
    motive = "Pièce illisible" + char + "merci" if char != "\r\n" else "deux\r\nlignes"
    response = bo_app.test_client().post(f"/api/v1/dossiers/{reference}/instruction", headers=bearer(token),
                                         json={"status": "refuse", "motive": motive})
    if char == "\r\n":  # a motive has lines
        assert response.status_code == 200
        return
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["location"] == "motive" and "caractère" in error["message"]
    with bo_app.app_context():
        assert db.session.scalar(db.select(Dossier.status).filter_by(reference=reference)) == "en_instruction"


def test_the_cli_refuses_a_token_name_against_the_rule(make_app):
    app = make_app()
    result = CliRunner().invoke(app.cli, ["api-tokens", "create", "21450001800013", "--scope", "read",
                                          "--name", "Logiciel\u202eexe.txt"])
    assert result.exit_code == 2 and "caractère invisible" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0
