"""Form parts every démarche shares (Flask-WTF, CSRF included): the draft key, the e-mail, DSFR choices.
What a typed field may hold, and the French messages, are in demarche/validation.py."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from demarche.validation import FrenchForm, Text, email_address, strip


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes with one name (rendered with DSFR markup by the template); a value sent twice
    (« children=0&children=0 ») counts once."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(list(dict.fromkeys(valuelist)))


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class JourneyForm(FrenchForm):
    """Base of a démarche's form: the draft's idempotency key and the contact e-mail (templates/journey/
    form_base.html renders both); a démarche's build_form() removes the fields its certified data answers."""

    draft = HiddenField(validators=[Text(), Length(max=64)])  # a key the service made: nothing longer
    email = StringField("Adresse électronique", filters=[strip], validators=[
        Text(), DataRequired("Indiquez une adresse électronique pour recevoir l’accusé de réception."),
        email_address(), Length(max=254),
    ])
    # The citizen's word on the certified data (shown only when there is some): it becomes data the agent
    # reads, not a sentence (demarches-simplifiees' correct_qf_data, https://github.com/demarche-numerique/demarche.numerique.gouv.fr/pull/12524).
    data_incorrect = BooleanField("Ces informations ne sont pas exactes")
    # No Optional(): it would stop the chain before validate_data_comment.
    data_comment = TextAreaField("Qu’est-ce qui n’est pas exact ?", validators=[Text(multiline=True), Length(max=1000)])

    def validate_data_comment(self, field: TextAreaField) -> None:
        if self.data_incorrect.data and not (field.data or "").strip():
            raise ValidationError("Précisez ce qui n’est pas exact : l’agent en tiendra compte.")


def radio(label: str, options: dict[str, str], message: str, **kwargs) -> RadioField:
    """Radio buttons; a group left empty fails the choice check, so `message` is the "required" one."""
    return RadioField(label, choices=choices(options.items()), invalid_choice_message=message, **kwargs)


def yes_no(label: str) -> RadioField:
    return radio(label, {"oui": "Oui", "non": "Non"}, "Répondez par oui ou par non.", default="non")
