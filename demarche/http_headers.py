"""Security headers on every response (ASVS V14.4 / V3.4) and no-store on dynamic pages (V8.2.1).

The CSP allows no inline script: the DSFR's JavaScript is served from /static/dsfr/.
"""

from __future__ import annotations

from flask import Flask, Response, request

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
        return response
