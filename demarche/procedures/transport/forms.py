"""The review-and-complete form of the student transport pass (Flask-WTF, CSRF included)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from demarche.procedures.transport.pricing import ECHELONS, PASSES, ZONES

NOT_BOURSIER = "non_boursier"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


ECHELON_CHOICES = _choices([("", "Sélectionnez votre situation"), (NOT_BOURSIER, "Je ne suis pas boursier"),
                            *((e, f"Échelon {'0 bis' if e == '0bis' else e}") for e in ECHELONS)])


class TransportForm(FlaskForm):
    """Every field; build_form() removes those the certified data makes useless."""

    draft = HiddenField()
    # A radio group left empty fails the choice check: its message is the "required" one.
    pass_type = RadioField("Type d’abonnement", choices=_choices(PASSES.items()),
                           invalid_choice_message="Choisissez un abonnement.")
    zone = RadioField("Zone de validité", choices=_choices(ZONES.items()),
                      invalid_choice_message="Choisissez une zone.")
    echelon = SelectField("Échelon de votre bourse sur critères sociaux du Crous", choices=ECHELON_CHOICES,
                          validators=[DataRequired("Indiquez votre échelon, ou que vous n’êtes pas boursier.")])
    etablissement = StringField("Établissement où vous êtes inscrit", validators=[
        DataRequired("Indiquez votre établissement d’études."), Length(max=200)])
    c2s = RadioField("Bénéficiez-vous de la complémentaire santé solidaire (C2S) ?",
                     choices=_choices([("oui", "Oui"), ("non", "Non")]), default="non",
                     invalid_choice_message="Répondez par oui ou par non.")
    email = StringField("Adresse électronique", validators=[
        DataRequired("Indiquez une adresse électronique pour recevoir l’accusé de réception."),
        Regexp(EMAIL, message="Indiquez une adresse électronique valide, par exemple nom@exemple.fr."),
        Length(max=254),
    ])
