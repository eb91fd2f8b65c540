"""Every number people read (pages, PDF, e-mails, exports): French digits, one formatter for the whole
service, as dates.py is for dates: « 3 201 », « 2,5 ». Digits are grouped by three with a narrow
no-break space and the decimal mark is a comma, as the SI brochure writes French numbers
(https://www.bipm.org/fr/publications/si-brochure, 5.4.4)."""

from __future__ import annotations

from flask import Flask

THIN = "\u202f"  # narrow no-break space: « 38 420 » never breaks across two lines


def french(value: int | float | str | None, decimals: int | None = None) -> str:
    """« 38 420 », « 2,5 », « 2,10 » (decimals=2); a digit string (« 3201 ») as a number; "" for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = float(value.replace(",", ".")) if any(c in value for c in ".,") else int(value)
        except ValueError:  # not a number (« non communiqué »): shown as it is
            return value
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(value):,}"
    return text.replace(",", THIN).replace(".", ",")


def register_filters(app: Flask) -> None:
    """|nombre_fr in every template."""
    app.add_template_filter(french, "nombre_fr")
