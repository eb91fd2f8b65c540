"""« Coulisses »: the protocol steps that just happened, shown live in the demo, redacted.

Each step is one line of explanation and a link to the official document. Recorded in the
server-side session, only when COULISSES is on (the demo's default; off elsewhere): the steps of the
journey and the providers arrive as signals (demarche/signals.py) this module subscribes to.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, has_request_context, session

from demarche import signals
from demarche.auth import session as auth_session
from demarche.models import ConsentRecord
from demarche.providers import SourceResult

MAX_STEPS = 25
KEY = "coulisses"  # this feature's one session key, kept through the login
DOCS = {
    "fc_endpoints": "https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-endpoints/",
    "fc_v2": "https://docs.partenaires.franceconnect.gouv.fr/fs/migration/fs-migration-diff-v1-v2/",
    "fc_scopes": "https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-scope-fc/",
    "ap_openapi": "https://particulier.api.gouv.fr/developpeurs/openapi",
    "ap_fc": "https://particulier.api.gouv.fr/cas_usages/modalite_appel_france_connect",
    "crpa": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031367412",
    "ip_api": "https://api.gouv.fr/les-api/impot-particulier",
    "owasp_otp": "https://cheatsheetseries.owasp.org/cheatsheets/Multifactor_Authentication_Cheat_Sheet.html",
    "ap_cog": "https://particulier.api.gouv.fr/blog/parametre-lieu-naissance-code-cog",
    "ap_cgu": "https://particulier.api.gouv.fr/cgu",
}
SECRET_KEYS = {"state", "nonce", "code", "access_token", "id_token", "client_secret", "token"}


def _stored() -> list[dict]:
    return list(session.get(KEY) or [])


def enabled() -> bool:
    return bool(current_app.extensions.get(KEY))


def redact(value: object) -> str:
    """The first characters of a credential, enough to recognise it, never enough to use it."""
    text = str(value)
    return text if len(text) <= 10 else f"{text[:6]}… ({len(text)} caractères)"


def record(title: str, explanation: str, details: dict, doc: str) -> None:
    """Append a step; credentials in `details` are shortened. Nothing outside a request (a background job)."""
    if not has_request_context() or not enabled():
        return
    shown = {key: redact(value) if key in SECRET_KEYS else value for key, value in details.items()}
    steps = _stored()[-(MAX_STEPS - 1):]
    steps.append({"at": time.strftime("%H:%M:%S"), "title": title, "explanation": explanation,
                  "details": shown, "doc": DOCS[doc]})
    session[KEY] = steps


def steps() -> list[dict]:
    """The recorded steps, newest first (for the template)."""
    return list(reversed(_stored())) if enabled() else []


def authorization(purpose: str, url: str, **_: object) -> None:
    """The authorization request, parameter by parameter."""
    from urllib.parse import parse_qsl, urlsplit

    params = dict(parse_qsl(urlsplit(url).query))
    what = "données des administrations (API Particulier, DGFiP)" if purpose == "data" else "identité"
    record(f"Demande d’autorisation FranceConnect : {what}",
           "Le navigateur est redirigé vers FranceConnect ; state et nonce, aléatoires et à usage unique, "
           "restent côté serveur.", params, "fc_endpoints")


def tokens(purpose: str, tokens, **_: object) -> None:
    """The code exchange and the verified ID token."""
    token_set = tokens
    record("Échange du code contre les jetons",
           "Appel serveur à serveur (client_secret_post), une seule fois : le code n’est valable que 30 s.",
           {"access_token": token_set.access_token, "expires_in": token_set.expires_in, "scope": token_set.scope},
           "fc_endpoints")
    claims = token_set.id_claims
    record("Jeton d’identité vérifié",
           "Signature (ES256/RS256, clé du JWKS), iss, aud, exp, iat, nonce et acr vérifiés avant tout autre appel.",
           {key: claims.get(key) for key in ("iss", "aud", "sub", "acr", "iat", "exp", "nonce")}, "fc_v2")


def userinfo(purpose: str, claims: dict, **_: object) -> None:
    record("Userinfo vérifié (JWT signé)",
           "L’identité pivot arrive signée ; son sub doit être celui du jeton d’identité.",
           {key: value for key, value in claims.items() if key not in ("iat", "exp")}, "fc_scopes")


def init_app(app: Flask) -> None:
    """Subscribe to the pattern's signals, only where the coulisses are shown (the demo); the templates read
    `coulisses_steps` everywhere (an empty list elsewhere)."""
    app.context_processor(lambda: {"coulisses_steps": steps})
    auth_session.keep_through_login(KEY)
    app.extensions[KEY] = app.config["SETTINGS"].coulisses
    if not app.extensions[KEY]:
        return
    # Signals are process-wide: record() still checks the current app, for processes holding several apps.
    for signal, receiver in (
        (signals.authorization_started, authorization),
        (signals.tokens_verified, tokens),
        (signals.userinfo_verified, userinfo),
        (signals.provider_answered, provider_answered),
        (signals.consent_recorded, consent_recorded),
        (signals.email_code, email_code),
        (signals.identity_declared, identity_declared),
        (signals.identity_check, identity_check),
        (signals.counter_filing, counter_filing),
    ):
        signal.connect(receiver, weak=False)


def provider_answered(source: str, result: SourceResult) -> None:
    """One provider call: route, status, latency, request id (API Particulier's or the DGFiP's)."""
    values = {"route": result.route, "statut HTTP": result.status, "durée": f"{result.elapsed_ms:.0f} ms"}
    if result.route.startswith("/impotparticulier"):
        record(f"API Impôt particulier (DGFiP) : {source}",
               "Jeton de la passerelle (client credentials) et jeton FranceConnect de l’usager "
               "(X-FranceConnect-OAuth) ; une année de revenus par appel ; le X-Correlation-ID permet au "
               "support de la DGFiP de retrouver l’appel.",
               {**values, "X-Correlation-ID": result.request_id, "résultat": _kind(result)}, "ip_api")
        return
    record(f"API Particulier : {source}",
           "Appel avec le recipient (SIRET de la collectivité) ; "
           "le X-Request-ID permet au support de retrouver l’appel.",
           {**values, "X-Request-ID": result.request_id}, "ap_openapi")


def _kind(result: SourceResult) -> str:
    return result.failure.value if result.failure else "données reçues"


def consent_recorded(consent: ConsentRecord) -> None:
    record("Consentement enregistré",
           "Le choix de l’usager est tracé avant tout appel, quelle que soit la suite.",
           {"décision": consent.decision, "version du texte": consent.text_version,
            "catégories": ", ".join(consent.categories), "modalité": consent.modality,
            "destinataire (SIRET)": consent.recipient, "résultat": consent.outcome}, "crpa")


_EMAIL_STEPS = {
    "sent": ("Code de connexion envoyé par courriel",
             "6 chiffres tirés au hasard (module secrets), valables 10 minutes, une seule fois, 5 essais ; seul "
             "leur HMAC est gardé côté serveur ; 5 envois par adresse et par heure."),
    "accepted": ("Code accepté : compte par courriel ouvert",
                 "Nouvelle session (identifiant renouvelé) ; le code est consommé. L’adresse est prouvée, pas "
                 "l’identité : aucune donnée certifiée ne sera montrée à ce compte."),
    "refused": ("Code refusé", "Chaque essai erroné est compté ; au cinquième, le code n’est plus valable."),
}


def email_code(step: str, details: dict, **_: object) -> None:
    title, explanation = _EMAIL_STEPS[step]
    record(title, explanation, details, "owasp_otp")


def identity_declared(identity, **_: object) -> None:
    record("Identité déclarée (non certifiée)",
           "Lieu de naissance : le code COG valable à la date de naissance (99100 déduit pour la France). "
           "Rien n’est demandé aux administrations avant le dépôt.",
           {"codeCogInseeCommuneNaissance": identity.commune or "(né à l’étranger)",
            "codeCogInseePaysNaissance": identity.country, "lieu": identity.birthplace_label}, "ap_cog")


def identity_check(step: str, details: dict, **_: object) -> None:
    if step == "requested":
        record("Vérification demandée par un agent",
               "Après avoir noté comment l’identité a été vérifiée (le moyen seulement), l’appel à la modalité "
               "identite part en tâche de fond, sous le même quota et les mêmes disjoncteurs que le "
               "préremplissage ; chaque appel est journalisé.", details, "ap_cgu")
    else:
        record("Conclusion de l’agent enregistrée",
               "L’usager ne verra que cette conclusion, jamais les données reçues.", details, "ap_cgu")


def counter_filing(step: str, details: dict, **_: object) -> None:
    if step == "mandate":
        record("Mandat enregistré au guichet",
               "L’agent habilité a vu une pièce d’identité (son type seulement : ni numéro, ni copie) ; la "
               "personne confie le dépôt de cette démarche à son organisation. Les données seront demandées en "
               "modalité identite : l’identité a été vérifiée en personne.", details, "ap_fc")
    else:
        record("Dossier déposé pour le compte de la personne",
               "« Déposé par [agent] pour le compte de [personne] » sur l’accusé, l’attestation, l’espace agents, "
               "les exports, l’API et les webhooks ; journalisé.", details, "ap_fc")
