"""The relying-party side: the OIDC client, the login flow, FranceConnect (citizens) and ProConnect (agents).

`demarche.auth.session` is the one typed accessor of what the session holds about the person signed in:
no other module reads or writes a session key.
"""

from __future__ import annotations

from flask import Flask

from demarche.auth import email_login, franceconnect, proconnect


def init_app(app: Flask) -> None:
    """The FranceConnect client and routes; ProConnect's only when it is configured (the back-office); the e-mail
    sign-in (« Je n’ai pas FranceConnect ») unless EMAIL_LOGIN=0."""
    franceconnect.init_app(app)
    proconnect.init_app(app)
    email_login.init_app(app)
