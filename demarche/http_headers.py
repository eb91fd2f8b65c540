"""Security headers on every response (ASVS V14.4 / V3.4) and no-store on dynamic pages (V8.2.1).

The CSP allows no inline script: the DSFR's JavaScript is served from /static/dsfr/. Redirects never
point at the Host header a client sent: Werkzeug builds its trailing-slash redirects from it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self' {form_action}",
    ]
)


def install_security_headers(app: Flask, *, https: bool, form_action: str = "") -> None:
    """Register an after_request hook adding the headers; form_action lists extra POST targets."""
    csp = CSP.format(form_action=form_action).strip()

    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = csp
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if https:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if not request.path.startswith("/static/"):
            # Every dynamic page may show personal data: never stored by a browser or a proxy.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
            response.vary.add("Cookie")
        headers.pop("Server", None)
        _keep_redirect_on_public_url(response)
        return response


def _keep_redirect_on_public_url(response: Response) -> None:
    """An absolute Location on the host the client named (Werkzeug's routing redirects: `Host:
    evil.example` gave `http://evil.example/agents/`) is rebuilt on PUBLIC_URL."""
    location = response.headers.get("Location")
    if not location:
        return
    target = urlsplit(location)
    if target.netloc and target.netloc.lower() == request.host.lower():
        public = current_app.config["PUBLIC_URL"]
        response.headers["Location"] = public + target._replace(scheme="", netloc="").geturl()
