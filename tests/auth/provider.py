"""A tiny OpenID provider served over real HTTP, whose JWKS, ID token and userinfo are what the test says.

For the relying party's edge cases that the FranceConnect and ProConnect simulators do not play (a token
without `kid` against a chosen JWKS, a token endpoint answering 500, incomplete discovery). It signs with
joserfc, like any provider would, and answers /authorize at once (no screens).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from demarche.config import DEMO_FC_CLIENT_ID
from demarche.devserver import serve

IDENTITY = {"given_name": "Angela Claire Louise", "family_name": "DUBOIS", "birthdate": "1962-08-24",
            "gender": "female", "birthplace": "75107", "birthcountry": "99100", "email": "angela@example.fr"}


def ec_key(kid: str = "ec-1", curve: str = "P-256", **parameters: str) -> ECKey:
    return ECKey.generate_key(curve, parameters={"kid": kid, **parameters})


def rsa_key(kid: str = "rsa-1", **parameters: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, **parameters})


@dataclass
class TinyProvider:
    """What the provider publishes and signs; change the fields between requests."""

    published: list = field(default_factory=lambda: [ec_key()])  # private keys; the JWKS shows their public part
    signing_key: object = None  # defaults to published[0]
    alg: str = "ES256"
    with_kid: bool = True  # False: no kid in the JWS header
    client_id: str = DEMO_FC_CLIENT_ID
    id_claims: dict = field(default_factory=dict)  # added to (or replacing) the ID token's claims
    token_status: int = 200
    userinfo_status: int = 200
    discovery_removed: tuple[str, ...] = ()
    nonce: str = "n" * 64  # the last authorization request's nonce
    url: str = ""
    jwks_reads: int = 0  # how many times the JWKS was fetched

    def start(self) -> TinyProvider:
        self._server = serve(self._build)
        return self

    def stop(self) -> None:
        self._server.stop()

    def sign(self, claims: dict) -> str:
        key = self.signing_key or self.published[0]
        header = {"alg": self.alg, **({"kid": key.kid} if self.with_kid else {})}
        return jwt.encode(header, claims, key, algorithms=[self.alg])

    def id_token(self) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "aud": self.client_id, "sub": "s" * 64, "iat": now, "exp": now + 60,
                  "nonce": self.nonce, "acr": "eidas1", **self.id_claims}
        return self.sign(claims)

    def _build(self, url: str) -> Flask:
        self.url = url
        app = Flask("tiny_provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            document = {"issuer": url, "authorization_endpoint": f"{url}/authorize", "token_endpoint": f"{url}/token",
                        "userinfo_endpoint": f"{url}/userinfo", "jwks_uri": f"{url}/jwks",
                        "end_session_endpoint": f"{url}/session/end"}
            return jsonify({k: v for k, v in document.items() if k not in self.discovery_removed})

        @app.get("/jwks")
        def jwks():
            self.jwks_reads += 1
            return jsonify(keys=[key.as_dict(private=False) for key in self.published])

        @app.get("/authorize")
        def authorize():
            self.nonce = request.args["nonce"]
            query = urlencode({"code": "c0de", "state": request.args["state"], "iss": url})
            return redirect(f"{request.args['redirect_uri']}?{query}", 303)

        @app.post("/token")
        def token():
            if self.token_status != 200:
                return jsonify(error="server_error"), self.token_status
            return jsonify(access_token="a" * 43, token_type="Bearer", expires_in=60, id_token=self.id_token())

        @app.get("/userinfo")
        def userinfo():
            if self.userinfo_status != 200:
                return jsonify(error="server_error"), self.userinfo_status
            body = self.sign({"iss": url, "aud": self.client_id, "sub": "s" * 64, **IDENTITY})
            return body, 200, {"Content-Type": "application/jwt"}

        @app.get("/session/end")
        def end_session():
            query = urlencode({"state": request.args.get("state", "")})
            return redirect(f"{request.args['post_logout_redirect_uri']}?{query}", 303)

        return app
