"""« Je n’ai pas FranceConnect »: an account opened with a code sent to an e-mail address, no password.

The account has the same « Mes démarches » and « Mes données »; it proves a mailbox, not a person, so it
never receives certified data (https://particulier.api.gouv.fr/cgu, article 2). Sending is limited per address
and per client (https://cheatsheetseries.owasp.org/cheatsheets/Forgot_Password_Cheat_Sheet.html); the
code is never logged. Switched off with EMAIL_LOGIN=0.
"""

from __future__ import annotations

import logging
import time

from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import StringField
from wtforms.validators import DataRequired

from demarche import mail, ratelimit, signals
from demarche.auth import email_code
from demarche.auth import session as auth_session
from demarche.dates import display
from demarche.extensions import db
from demarche.models import Citizen, utcnow
from demarche.observability import pseudonymous_key
from demarche.validation import email_address

bp = Blueprint("email_login", __name__, url_prefix="/connexion-par-courriel")
log = logging.getLogger("demarche.email_login")
ISSUER = "urn:demarche:email"  # Citizen.issuer of the e-mail accounts; their sub is the address
PER_CLIENT = "60 per hour"  # every page of the sign-in together, per client address (a desk shares one)
PER_ADDRESS = "5/hour"  # codes sent to one address, whoever asks
REFUSALS = {
    "wrong": "Ce code n’est pas le bon. Vérifiez les 6 chiffres reçus par courriel.",
    "expired": "Ce code a expiré (il est valable 10 minutes). Demandez-en un nouveau.",
    "exhausted": "Trop de codes erronés : ce code n’est plus valable. Demandez-en un nouveau.",
    "missing": "Aucun code n’est en attente pour ce navigateur. Indiquez votre adresse pour en recevoir un.",
}


class AddressForm(FlaskForm):
    email = StringField("Adresse électronique", validators=[DataRequired("Indiquez votre adresse électronique."),
                                                            email_address()])


class CodeForm(FlaskForm):
    code = StringField("Code reçu par courriel", validators=[DataRequired("Indiquez le code reçu par courriel.")])


def init_app(app: Flask) -> None:
    """The sign-in pages, limited per client; absent when EMAIL_LOGIN=0 (after ratelimit.init_app)."""
    enabled = app.config["SETTINGS"].email_login
    app.jinja_env.globals["email_login_enabled"] = enabled
    if enabled:
        app.register_blueprint(bp)
        ratelimit.limit_blueprint(app, bp, PER_CLIENT)


@bp.get("")
def start():
    return render_template("email_login/address.html", form=AddressForm())


@bp.post("")
def send_code():
    """Send a code to the address (the same answer whether an account exists), then ask for it."""
    form = AddressForm()
    if not form.validate_on_submit():
        return render_template("email_login/address.html", form=form), 400
    address = email_code.normalise(form.email.data)
    refused = ratelimit.spend_on("email-login-code", email_code.address_key(address), PER_ADDRESS)
    if refused:
        flash("Trop de codes ont été demandés pour cette adresse. "
              f"Réessayez à partir du {display(refused.at)}.", "error")
        return render_template("email_login/address.html", form=form), 429
    code = email_code.issue(address)
    mail.queue_message(None, "login_code", address, "Votre code de connexion",
                       render_template("mail/login_code.txt", code=code, minutes=email_code.LIFETIME // 60))
    db.session.commit()
    log.info("login code sent")  # neither the address nor the code
    signals.email_code.send("sent", details={"validité": f"{email_code.LIFETIME // 60} minutes",
                                             "essais": email_code.MAX_TRIES})
    return redirect(url_for("email_login.code"), code=303)


@bp.get("/code")
def code():
    waiting = email_code.pending()
    if waiting is None:
        return redirect(url_for("email_login.start"), code=303)
    return render_template("email_login/code.html", form=CodeForm(), waiting=waiting)


@bp.post("/code")
def check_code():
    """The right code opens the account (created at first use); a wrong one is counted."""
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("email_login/code.html", form=form, waiting=email_code.pending()), 400
    try:
        address = email_code.check(form.code.data)
    except email_code.CodeRefused as refused:
        log.info("login code refused", extra={"context": {"reason": refused.kind}})
        signals.email_code.send("refused", details={"raison": refused.kind, "essais restants": refused.tries_left})
        if refused.kind != "wrong":
            flash(REFUSALS[refused.kind], "error")
            return redirect(url_for("email_login.start"), code=303)
        form.code.errors = [f"{REFUSALS['wrong']} Il vous reste {refused.tries_left} essai(s)."]
        return render_template("email_login/code.html", form=form, waiting=email_code.pending()), 400
    citizen = _citizen_of(address)
    auth_session.open_email_citizen(citizen.id, pseudonymous_key(f"email:{address}"), address, int(time.time()))
    log.info("e-mail login", extra={"context": {"user_key": pseudonymous_key(f"email:{address}")}})
    signals.email_code.send("accepted", details={"émetteur du compte": ISSUER})
    return redirect(url_for("pages.start"), code=303)


@bp.post("/deconnexion")
def logout():
    """An e-mail account has no provider session to end: forget ours."""
    auth_session.close()
    return redirect(url_for("email_login.logged_out"), code=303)


@bp.get("/deconnecte")
def logged_out():
    return render_template("email_login/logged_out.html")


def _citizen_of(address: str) -> Citizen:
    """The account of this address, created at its first sign-in (two at once: theirs is taken, never a 500)."""
    found = db.session.scalar(db.select(Citizen).filter_by(issuer=ISSUER, sub=address))
    if found is None:
        found = Citizen(issuer=ISSUER, sub=address)
        db.session.add(found)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            found = db.session.scalar(db.select(Citizen).filter_by(issuer=ISSUER, sub=address))
    found.last_login_at = utcnow()
    db.session.commit()
    return found
