"""The review-and-complete form of the school-canteen démarche (Flask-WTF, CSRF included)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import DateField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from demarche.procedures.forms import JourneyForm, MultiCheckboxField, choices
from demarche.validation import FrenchSubform, Name, Text, birth_date

SCHOOLS = [
    ("", "Sélectionnez une école"),
    ("jules-ferry", "École élémentaire Jules-Ferry"),
    ("louis-pasteur", "École maternelle Louis-Pasteur"),
    ("marie-curie", "Groupe scolaire Marie-Curie"),
]
DAYS = [("lundi", "Lundi"), ("mardi", "Mardi"), ("jeudi", "Jeudi"), ("vendredi", "Vendredi")]
DIETS = [
    ("standard", "Menu standard"),
    ("sans_porc", "Sans porc"),
    ("vegetarien", "Végétarien"),
    ("pai", "Allergie ou intolérance alimentaire (projet d’accueil individualisé)"),
]
REGIMES = [("CNAF", "CAF"), ("MSA", "MSA"), ("aucun", "Aucun organisme, ou je ne sais pas")]


class ChildForm(FrenchSubform):
    """A child declared by hand, when no certified list is available."""

    prenoms = StringField("Prénom(s)", validators=[Name(), Optional(), Length(max=100)])
    nom = StringField("Nom", validators=[Name(), Optional(), Length(max=100)])
    # Typed as text in the format the hint gives (« 14/03/2017 »): a browser's date picker shows a format
    # of its own locale, which no hint can name (RGAA 11.10). ISO dates are still read (a renewal's refill).
    date_naissance = DateField("Date de naissance", format=["%d/%m/%Y", "%Y-%m-%d"],
                               validators=[Optional(), birth_date()])

    def identity(self) -> tuple:
        """Who the row names, whatever the case and spaces: the same child twice is one child."""
        return (" ".join((self.prenoms.data or "").casefold().split()),
                " ".join((self.nom.data or "").casefold().split()), self.date_naissance.data)


class CantineForm(JourneyForm):
    """Every field of the démarche; build_form() removes those the certified data makes useless."""

    children = MultiCheckboxField("Enfants à inscrire", validate_choice=True)
    manual_children = FieldList(FormField(ChildForm), min_entries=3, max_entries=3)
    quotient_familial = IntegerField(
        "Votre quotient familial (facultatif)",
        validators=[Optional(), NumberRange(min=0, max=20000, message="Indiquez un nombre entre 0 et 20 000.")],
    )
    regime = RadioField("Organisme qui vous verse des prestations familiales", choices=choices(REGIMES),
                        default="aucun")
    address = TextAreaField(
        "Adresse du foyer",
        validators=[Text(multiline=True), DataRequired("Indiquez l’adresse du foyer."), Length(max=300)],
    )
    school = SelectField("École", choices=choices(SCHOOLS), validators=[DataRequired("Choisissez l’école.")])
    days = MultiCheckboxField("Jours de restauration", choices=choices(DAYS),
                              validators=[DataRequired("Choisissez au moins un jour.")])
    diet = RadioField("Régime alimentaire", choices=choices(DIETS), default="standard")
    diet_details = TextAreaField("Précisions sur le régime (facultatif)",
                                 validators=[Text(multiline=True), Optional(), Length(max=500)])
    phone = StringField("Téléphone (facultatif)", validators=[
        Text(), Optional(), Length(max=20),
        Regexp(r"^\+?[0-9 .-]{10,20}$", message="Indiquez un numéro de téléphone valide."),
    ])
    # Stored on the dossier (Dossier.renewal_reminder), not in the answers; withdrawable from the receipt.
    renewal_reminder = BooleanField("Me prévenir pour la réinscription l’an prochain")

    def validate_children(self, field: MultiCheckboxField) -> None:
        if not field.data:
            raise ValidationError("Choisissez au moins un enfant à inscrire.")

    def validate_manual_children(self, field: FieldList) -> None:
        rows = [entry.form for entry in field.entries]
        filled = [row for row in rows if row.prenoms.data or row.nom.data or row.date_naissance.data]
        if not filled:
            raise ValidationError("Indiquez au moins un enfant à inscrire.")
        if any(not (row.prenoms.data and row.nom.data and row.date_naissance.data) for row in filled):
            raise ValidationError("Pour chaque enfant, indiquez le prénom, le nom et la date de naissance.")
        if len({row.identity() for row in filled}) < len(filled):
            raise ValidationError("Vous avez indiqué deux fois le même enfant : ne le déclarez qu’une fois.")
