"""The back-office's forms: the list's filters (GET, no CSRF: they change nothing) and the decision."""

from __future__ import annotations

from datetime import date

from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from demarche.dossiers.states import CORRECTION, NEEDS_MOTIVE, STATUSES
from demarche.procedures import PROCEDURES
from demarche.validation import DateBetween, FrenchForm, Text

# Filter dates beyond these would overflow the day arithmetic (9999-12-31 + 1 day) and find nothing anyway.
FILTER_DATES = (date(2000, 1, 1), date(2099, 12, 31), "Indiquez une date entre le {earliest} et le {latest}.")

TABS = (*STATUSES, "tous")
SORTS = {
    "recent": "Les plus récents d’abord",
    "ancien": "Les plus anciens d’abord",
    "maj": "Dernière mise à jour",
    "nom": "Nom du demandeur",
    "reference": "Numéro de dossier",
}



def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 choices (tuples are deprecated there)."""
    return [SelectChoice(value, label) for value, label in pairs]


class FilterForm(FrenchForm):
    """Tab, search, filters, sort and page of the dossier list, read from the query string."""

    class Meta:
        csrf = False

    statut = SelectField("État", choices=choices((tab, tab) for tab in TABS), default="depose",
                         validators=[Optional()])
    q = StringField("Rechercher un dossier", validators=[Text(), Optional(), Length(max=100)],
                    description="Numéro de dossier ou nom du demandeur")
    procedure = SelectField("Démarche", validators=[Optional()],
                            choices=choices([("", "Toutes les démarches"),
                                             *((slug, p.title) for slug, p in PROCEDURES.items())]))
    du = DateField("Déposé à partir du", validators=[Optional(), DateBetween(*FILTER_DATES)])
    au = DateField("Déposé jusqu’au", validators=[Optional(), DateBetween(*FILTER_DATES)])
    tri = SelectField("Trier par", choices=choices(SORTS.items()), default="recent", validators=[Optional()])
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1, max=100_000)])

    def cleaned(self) -> dict:
        """The valid values only: a wrong date or sort is ignored (and shown in error), never a 500."""
        self.validate()
        value = {name: (field.data if not field.errors else None) for name, field in self._fields.items()}
        value["statut"] = value["statut"] if value["statut"] in TABS else "depose"
        value["tri"] = value["tri"] if value["tri"] in SORTS else "recent"
        # Optional() takes « \x85 » (NEL) for blank space and clears the choice's error: check again
        value["procedure"] = value["procedure"] if value["procedure"] in PROCEDURES else None
        value["page"] = value["page"] or 1
        value["q"] = (value["q"] or "").strip()
        return value

    def query_args(self) -> dict[str, str]:
        """The filters as they came, for the tabs, pages and export buttons: only this form's names, so a
        stray « _method » or « _external » never reaches url_for()."""
        return {name: field.raw_data[0] for name, field in self._fields.items() if field.raw_data}


class DecisionForm(FrenchForm):
    """Move the dossier on: only the moves its status allows; a decision or a correction request needs a motive."""

    decision = RadioField("Nouvel état", validators=[DataRequired("Choisissez le nouvel état du dossier.")])
    motive = TextAreaField("Motif", validators=[Text(multiline=True), Length(max=2000)],
                           description="Obligatoire pour une décision ou une demande de correction (dites ce que "
                                       "l’usager doit corriger) : il est envoyé à l’usager par courriel.")

    def validate_motive(self, field) -> None:
        if self.decision.data in NEEDS_MOTIVE and not (field.data or "").strip():
            raise ValidationError("Indiquez ce que l’usager doit corriger : il le recevra." if self.decision.data
                                  == CORRECTION else "Indiquez le motif de la décision : l’usager le recevra.")
