"""The declared fields of a démarche's form as the citizen sent them (Dossier.form_data): raw values by field
name, to reopen the same form for a correction or a renewal. Certified values are never in it: build_form()
removed their fields, and only the form's own fields are kept (not the CSRF token, the draft key, the opt-in)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

NOT_KEPT = ("csrf_token", "draft", "renewal_reminder")


def declared(form: FlaskForm, posted: MultiDict) -> dict[str, list[str]]:
    """The posted values of this form's fields; sub-fields (« manual_children-0-nom ») go with their field."""
    names = [name for name in form._fields if name not in NOT_KEPT]
    return {key: posted.getlist(key) for key in posted
            if any(key == name or key.startswith(f"{name}-") for name in names)}


def as_formdata(data: dict[str, list[str]] | None) -> MultiDict | None:
    """What declared() kept, as a form's formdata (None: nothing kept, the form starts empty)."""
    if not data:
        return None
    return MultiDict([(key, value) for key, values in data.items() for value in values])
