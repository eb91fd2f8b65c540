"""What FranceConnect and ProConnect logins share: start, callback, French error pages, logout.

Status rule (docs/authentification.md): a provider's refusal or outage is answered 200 with a French page
and a way forward (like API Particulier's failures in the journey); a request we refuse is a 4xx; a 5xx
means our own fault only, so that an operator's 5xx alert never fires for someone else's outage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app, redirect, render_template, url_for

from demarche.auth import session as auth_session
from demarche.auth.flow import CallbackError, begin, complete, end_session, logout_state_matches
from demarche.auth.oidc import OidcClient, OidcError, ProviderUnreachable, TokenSet

# kind → (status, title, message); {name} is the federation, {contact} whom to tell.
PAGES = {
    "denied": (200, "Connexion annulée",
               "Vous avez interrompu la connexion avec {name}, ou votre identité n’a pas pu être vérifiée par "
               "le fournisseur d’identité choisi."),
    "server_error": (200, "{name} a rencontré une erreur",
                     "{name} n’a pas pu terminer votre connexion. Réessayez dans quelques instants."),
    "unavailable": (200, "{name} est momentanément indisponible",
                    "Le service de connexion de l’État ne répond pas pour le moment. Réessayez dans quelques "
                    "minutes."),
    "state": (400, "Votre demande de connexion a expiré",
              "Par sécurité, une demande de connexion n’est valable qu’une fois et pendant 30 minutes. "
              "Recommencez la connexion."),
    "protocol": (400, "La connexion n’a pas pu aboutir",
                 "La réponse reçue de {name} est incomplète. Recommencez la connexion."),
    "verification": (400, "La connexion a été interrompue par sécurité",
                     "La réponse de {name} n’a pas pu être vérifiée. Aucune donnée n’a été conservée. "
                     "Recommencez la connexion."),
    "configuration": (400, "La connexion avec {name} a échoué",
                      "Notre service a envoyé une demande que {name} a refusée. Réessayez plus tard ; si le "
                      "problème persiste, {contact}."),
}


@dataclass(frozen=True)
class Federation:
    """One identity federation as the service uses it: its client, session keys, pages and routes."""

    name: str  # "FranceConnect", shown in the pages
    blueprint: str  # the blueprint's name: its endpoints are <blueprint>.callback, .logout_callback
    pending_key: str  # session key of the login in flight
    logout_state_key: str  # session key of the logout's state
    error_template: str
    logged_out_template: str
    contact: str  # « contactez la mairie »: who to tell when the provider refuses our request

    @property
    def log(self) -> logging.Logger:
        return logging.getLogger(f"demarche.{self.blueprint}")

    def client(self) -> OidcClient:
        return current_app.extensions[self.blueprint]

    def public_url(self, endpoint: str) -> str:
        return current_app.config["PUBLIC_URL"] + url_for(f"{self.blueprint}.{endpoint}")

    # Hooks: what happened, for whoever listens (FranceConnect announces its steps to the demo's trace).
    def announce_authorization(self, purpose: str, url: str) -> None:
        """Called once the authorization URL is ready."""

    def announce_tokens(self, purpose: str, tokens: TokenSet) -> None:
        """Called once the ID token is verified."""

    def announce_userinfo(self, purpose: str, claims: dict) -> None:
        """Called once the userinfo is verified."""

    def error_page(self, kind: str):
        """A French page with a retry button (and the alternative the template offers): never a dead end."""
        status, title, message = PAGES[kind]
        title, message = (text.format(name=self.name, contact=self.contact) for text in (title, message))
        return render_template(self.error_template, title=title, message=message, kind=kind), status

    def refuse(self, error: CallbackError):
        """Log why a login stopped (a stable reason, no personal data) and show its French page."""
        context = {"reason": error.reason} | ({"description": error.description} if error.description else {})
        self.log.warning(f"{self.blueprint} login refused", extra={"context": context})
        return self.error_page(error.kind)

    def start(self, purpose: str, scopes: tuple[str, ...], callback_endpoint: str | None = None):
        """Redirect to the provider; state and nonce stay in the server-side session, single use."""
        redirect_uri = (current_app.config["PUBLIC_URL"] + url_for(callback_endpoint) if callback_endpoint
                        else self.public_url("callback"))
        try:
            url = begin(self.client(), self.pending_key, purpose, scopes, redirect_uri)
        except OidcError as error:
            self.log.warning(f"{self.blueprint} discovery failed", extra={"context": {"reason": error.reason}})
            return self.error_page("unavailable")
        self.announce_authorization(purpose, url)
        return redirect(url, code=303)

    def finish(self, purpose: str) -> TokenSet:
        """Check state (first), iss, error; exchange the code; verify the ID token. Raise CallbackError."""
        tokens = complete(self.client(), self.pending_key, purpose)
        self.announce_tokens(purpose, tokens)
        return tokens

    def userinfo(self, purpose: str, tokens: TokenSet) -> dict:
        """The verified userinfo of this login (same sub as the ID token). Raise CallbackError."""
        try:
            claims = self.client().fetch_userinfo(tokens.access_token, expected_sub=tokens.id_claims["sub"])
        except ProviderUnreachable as error:
            raise CallbackError("unavailable", error.reason) from error
        except OidcError as error:
            raise CallbackError("verification", error.reason) from error
        self.announce_userinfo(purpose, claims)
        return claims

    def logout(self, id_token: str | None):
        """End the local session first, then the provider's, with a fresh state to check on return."""
        auth_session.close()
        url = end_session(self.client(), id_token, self.logout_state_key, self.public_url("logout_callback"))
        return redirect(url or url_for(f"{self.blueprint}.logout_callback"), code=303)

    def logout_callback(self):
        """Back from the provider's logout. A wrong state is logged; the person is out either way."""
        if not logout_state_matches(self.logout_state_key):
            self.log.warning(f"{self.blueprint} logout state mismatch")
        response = current_app.make_response(render_template(self.logged_out_template))
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response
