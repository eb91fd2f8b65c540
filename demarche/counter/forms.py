"""The desk's form: the identity document seen (its kind only), the person's identity as API Particulier's
identité modality needs it (demarche/declared_identity), and the mandate — which démarche, for how long,
obtained how — as Aidants Connect records its mandates (https://aidantsconnect.beta.gouv.fr/cgu/)."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, RadioField, SelectField
from wtforms.validators import DataRequired, Email, Length, Optional

from demarche.declared_identity.forms import IdentityForm
from demarche.procedures import PROCEDURES
from demarche.procedures.forms import choices
from demarche.validation import Text

# The kind of document seen, never its number nor a copy (data minimisation, RGPD article 5.1.c).
DOCUMENTS = {"carte_identite": "Carte nationale d’identité", "passeport": "Passeport",
             "titre_sejour": "Titre de séjour", "permis_conduire": "Permis de conduire"}
# Aidants Connect's durations (1 day, 1 month, 6 months, 1 year: its AuthorizationDurations constants).
DURATIONS = {"1": "Le temps de ce dépôt (1 jour)", "31": "1 mois", "182": "6 mois", "365": "1 an"}
OBTAINED = {"ecran": "Accord donné à l’écran, devant l’agent", "papier": "Mandat papier signé par la personne"}


class CounterForm(IdentityForm):
    procedure = SelectField("Démarche", validators=[DataRequired("Choisissez la démarche.")])
    document = RadioField("Pièce d’identité présentée", choices=choices(DOCUMENTS.items()),
                          validators=[DataRequired("Indiquez la pièce d’identité que vous avez vue.")])
    duration = RadioField("Durée du mandat", choices=choices(DURATIONS.items()), default="1",
                          validators=[DataRequired("Choisissez la durée du mandat.")])
    obtained = RadioField("Comment la personne a donné son accord", choices=choices(OBTAINED.items()),
                          validators=[DataRequired("Indiquez comment la personne a donné son accord.")])
    agreed = BooleanField("La personne accepte que je dépose cette démarche pour elle et que la mairie "
                          "récupère ses données auprès des organismes de la démarche.",
                          validators=[DataRequired("La personne doit donner son accord pour que vous déposiez "
                                                   "pour elle.")])
    email = EmailField("Adresse électronique de la personne (facultatif)", validators=[
        Text(), Optional(), Email("Indiquez une adresse électronique valide, par exemple nom@exemple.fr."),
        Length(max=320)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure.choices = choices([("", "Choisissez une démarche"),
                                          *((p.slug, p.title) for p in PROCEDURES.values())])

    def validate_procedure(self, field) -> None:
        from wtforms.validators import ValidationError

        if field.data not in PROCEDURES:
            raise ValidationError("Choisissez la démarche dans la liste.")
