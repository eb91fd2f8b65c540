"""The identity form: names as on the civil-status record, one first name per field, sex, birth date and
birthplace — a commune picked from those that existed on that date, or a country.

API Particulier asks for each first name in its own field and for the commune code valid at the birth date
(https://particulier.api.gouv.fr/blog/parametre-lieu-naissance-code-cog); France's 99100 is deduced.
"""

from __future__ import annotations

from wtforms import RadioField, SelectField, StringField
from wtforms.fields import DateField
from wtforms.validators import DataRequired, Length, Optional

from demarche import cog
from demarche.declared_identity import DeclaredIdentity
from demarche.procedures.forms import choices
from demarche.validation import FrenchForm, Name, birth_date, strip

NAME = [Name(), Length(max=100)]
PLACES = choices([("france", "En France (métropole ou outre-mer)"), ("etranger", "À l’étranger")])


class IdentityForm(FrenchForm):
    nom_naissance = StringField("Nom de naissance", filters=[strip],
                                validators=[*NAME, DataRequired("Indiquez votre nom de naissance.")])
    nom_usage = StringField("Nom d’usage (facultatif)", filters=[strip], validators=[*NAME, Optional()])
    prenom_1 = StringField("Premier prénom", filters=[strip],
                           validators=[*NAME, DataRequired("Indiquez votre premier prénom.")])
    prenom_2 = StringField("Deuxième prénom (facultatif)", filters=[strip], validators=[*NAME, Optional()])
    prenom_3 = StringField("Troisième prénom (facultatif)", filters=[strip], validators=[*NAME, Optional()])
    sexe = RadioField("Sexe à l’état civil", choices=choices([("F", "Féminin"), ("M", "Masculin")]),
                      validators=[DataRequired("Indiquez le sexe inscrit à l’état civil.")])
    # Typed as text in the format the hint gives, as every date of the service (RGAA 11.10); ISO is read too.
    date_naissance = DateField("Date de naissance", format=["%d/%m/%Y", "%Y-%m-%d"], validators=[
        DataRequired("Indiquez votre date de naissance au format JJ/MM/AAAA, par exemple 14/07/1985."),
        birth_date()])
    lieu = RadioField("Lieu de naissance", choices=PLACES,
                      validators=[DataRequired("Indiquez si vous êtes né(e) en France ou à l’étranger.")])
    commune_nom = StringField("Commune de naissance", filters=[strip], validators=[Name(), Length(max=100)])
    commune = RadioField("Choisissez votre commune de naissance", choices=[], validate_choice=False)
    pays = SelectField("Pays de naissance", choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pays.choices = choices([("", "Choisissez un pays"), *((c.code, c.name) for c in cog.countries())])

    def communes(self) -> list[cog.Commune]:
        """The communes of that name on the birth date (the choices offered), none before both are known."""
        if not self.date_naissance.data or not self.commune_nom.data:
            return []
        found = cog.search_communes(self.commune_nom.data, self.date_naissance.data)
        self.commune.choices = choices((c.code, c.label) for c in found)
        return found

    def validate_birthplace(self) -> bool:
        """The commune picked must have existed on the birth date; abroad, a 99xxx country of the list."""
        if self.lieu.data == "etranger":
            if cog.country(self.pays.data or "") is None:
                self.pays.errors = ["Choisissez votre pays de naissance dans la liste."]
                return False
            return True
        found = self.communes()
        if self.commune.data:  # picked in the list: it must be one of that date (a forged or stale choice is not)
            if cog.commune(self.commune.data, self.date_naissance.data):
                return True
            self.commune.errors = ["Choisissez votre commune de naissance dans la liste : celle choisie "
                                   "n’existait pas à votre date de naissance."]
            return False
        exact = [c for c in found if cog.same_name(c.name, self.commune_nom.data)]
        if len(found) == 1 or len(exact) == 1:  # one commune of that very name: no need to pick (shown after)
            self.commune.data = (exact or found)[0].code
            return True
        self.commune_nom.errors = [
            "Choisissez votre commune de naissance dans la liste ci-dessous." if found else
            "Aucune commune de ce nom n’existait à votre date de naissance : vérifiez l’orthographe (sans "
            "« Saint » abrégé), ou le nom qu’elle portait alors."]
        return False

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and self.validate_birthplace()

    def declared(self) -> DeclaredIdentity:
        abroad = self.lieu.data == "etranger"
        prenoms = tuple(p.data for p in (self.prenom_1, self.prenom_2, self.prenom_3) if p.data)
        return DeclaredIdentity(nom_naissance=self.nom_naissance.data, prenoms=prenoms, sexe=self.sexe.data,
                                date_naissance=self.date_naissance.data, commune="" if abroad else self.commune.data,
                                country=self.pays.data if abroad else cog.FRANCE, nom_usage=self.nom_usage.data or "")

    @classmethod
    def of(cls, identity: DeclaredIdentity) -> IdentityForm:
        """The form filled with an identity declared earlier (to correct it)."""
        prenoms = [*identity.prenoms, "", "", ""]
        abroad = identity.country != cog.FRANCE
        found = cog.commune(identity.commune, identity.date_naissance) if not abroad else None
        return cls(nom_naissance=identity.nom_naissance, nom_usage=identity.nom_usage, prenom_1=prenoms[0],
                   prenom_2=prenoms[1], prenom_3=prenoms[2], sexe=identity.sexe,
                   date_naissance=identity.date_naissance, lieu="etranger" if abroad else "france",
                   commune_nom=found.name if found else "", commune=identity.commune, pays=identity.country)
