"""What every form accepts in a typed field, in one place: free text under the one rule (demarche/freetext.py),
one deliverable e-mail address, a plausible date; and every WTForms message in French."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.i18n import get_translations
from wtforms.validators import StopValidation, ValidationError

from demarche import freetext
from demarche.dates import PARIS, day

EMAIL_MESSAGE = ("Indiquez une seule adresse électronique valide, sans accent avant « @ », "
                 "par exemple nom@exemple.fr.")
_REFERENCE = re.compile(r"[A-Za-z0-9-]{1,32}")
_DRAFT_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe()

# WTForms' messages the service's forms can show, in the service's French; anything else falls back on
# WTForms' own French catalogue (wtforms/locale/fr).
MESSAGES = {
    "This field is required.": "Ce champ est obligatoire.",
    "Not a valid choice.": "Choisissez une des options proposées.",
    "Invalid Choice: could not coerce.": "Choisissez une des options proposées.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Choisissez parmi les options proposées.",
    "'%(value)s' is not a valid choice for this field.": "Choisissez parmi les options proposées.",
    "'%(value)s' are not valid choices for this field.": "Choisissez parmi les options proposées.",
    "Not a valid date value.": "Indiquez une date valide, par exemple 14/03/2017.",
    "Not a valid integer value.": "Indiquez un nombre entier, en chiffres.",
    "Field cannot be longer than %(max)d character.": "Ce champ ne peut pas dépasser %(max)d caractère.",
    "Field cannot be longer than %(max)d characters.": "Ce champ ne peut pas dépasser %(max)d caractères.",
    "Number must be between %(min)s and %(max)s.": "Indiquez un nombre entre %(min)s et %(max)s.",
    "Invalid email address.": EMAIL_MESSAGE,
}


class FrenchTranslations:
    """gettext for WTForms: the service's wording first, then WTForms' French catalogue."""

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string) or _catalogue().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        chosen = singular if n == 1 else plural
        return MESSAGES.get(chosen) or _catalogue().ngettext(singular, plural, n)


@cache
def _catalogue():
    return get_translations(["fr_FR", "fr"])


FRENCH = FrenchTranslations()


class _FrenchMeta:
    def get_translations(self, form):
        return FRENCH


class FrenchForm(FlaskForm):
    """Base of the service's forms (CSRF included): every message in French."""

    Meta = type("Meta", (_FrenchMeta,), {})


class FrenchSubform(Form):
    """Base of a form nested in another (FormField): every message in French too."""

    Meta = type("Meta", (_FrenchMeta,), {})


class Text:
    """A free-text field under the one rule (demarche/freetext.py); the field keeps the NFC text.

    Put it first in the chain: Optional() would take a lone « \\x85 » for blank space and stop the checks.
    """

    def __init__(self, multiline: bool = False, max_length: int | None = None):
        self.multiline, self.max_length = multiline, max_length

    def __call__(self, form, field) -> None:
        if not isinstance(field.data, str):
            return
        try:
            field.data = freetext.clean(field.data, multiline=self.multiline, max_length=self.max_length)
        except freetext.TextRefused as refused:
            raise StopValidation(str(refused)) from None


class Name(Text):
    """A person's name: a single-line free text (the rule refuses bidi and zero-width characters everywhere)."""

    def __init__(self):
        super().__init__(multiline=False)


# email-validator (https://github.com/JoshData/python-email-validator), syntax only: no DNS query, the form
# must answer at once. It refuses lists (« a,b@x.fr »), comments (« vu(caché)@x.fr »), quoted local parts,
# special-use domains (localhost…) and, with allow_smtputf8=False, what SMTP without SMTPUTF8 cannot carry.
EMAIL_OPTIONS = {"check_deliverability": False, "allow_smtputf8": False, "allow_quoted_local": False}


def is_email(value: str) -> bool:
    """One deliverable address: the forms' rule, and the CLI's for the agents' allow-list."""
    try:
        validate_email(value, **EMAIL_OPTIONS)
    except EmailNotValidError:
        return False
    return True


def email_address():
    """The WTForms validator of a typed address (an empty one is left to DataRequired)."""

    def check(form, field) -> None:
        if field.data and not is_email(field.data):
            raise ValidationError(EMAIL_MESSAGE)

    return check


class DateBetween:
    """A date within bounds (a callable for « today »): 0001-01-01 is a valid date, not a plausible one."""

    def __init__(self, earliest: date, latest, message: str):
        self.earliest, self.latest, self.message = earliest, latest, message

    def __call__(self, form, field) -> None:
        latest = self.latest() if callable(self.latest) else self.latest
        if field.data is not None and not self.earliest <= field.data <= latest:
            raise ValidationError(self.message.format(earliest=day(self.earliest), latest=day(latest)))


def today() -> date:
    """Today in Paris: a child born this morning in Paris is not « born in the future » at 00:30 UTC."""
    return datetime.now(PARIS).date()


def birth_date() -> DateBetween:
    return DateBetween(date(1900, 1, 1), today,
                       "Indiquez une date de naissance entre le {earliest} et aujourd’hui.")


def strip(value):
    """WTForms filter: surrounding spaces typed or pasted by mistake."""
    return value.strip() if isinstance(value, str) else value


def is_reference(value: str) -> bool:
    """Could this be a dossier reference? Anything else is 404 before any query (PostgreSQL refuses NUL)."""
    return bool(_REFERENCE.fullmatch(value))


def is_draft_key(value: str) -> bool:
    return bool(_DRAFT_KEY.fullmatch(value))
