"""The client's real address, scheme and host behind the reverse proxies named by TRUSTED_PROXIES: werkzeug's
ProxyFix for that many hops (https://werkzeug.palletsprojects.com/en/stable/middleware/proxy_fix/), or for as
many hops as the listed proxy addresses account for. Unset: X-Forwarded-* headers are ignored (anyone can send them).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trust_proxies(app: Flask, hops: int, networks: Iterable[Network]) -> None:
    """Wrap the WSGI app once, before any request: every limit then reads the client's own address."""
    networks = tuple(networks)
    if networks:
        app.wsgi_app = TrustedAddresses(app.wsgi_app, networks)
    elif hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


class TrustedAddresses:
    """ProxyFix for the proxies at these addresses: the peer must be one of them, and each further listed
    address read from the right of X-Forwarded-For adds one hop (the same walk as gunicorn's and uvicorn's
    FORWARDED_ALLOW_IPS). A request from anywhere else is served with its headers ignored."""

    MAX_HOPS = 16

    def __init__(self, wsgi_app, networks: tuple[Network, ...]):
        self.wsgi_app, self.networks = wsgi_app, networks
        self._fixes: dict[int, ProxyFix] = {}

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def hops(self, forwarded_for: str) -> int:
        """The peer is a trusted proxy (one hop); each trusted address it forwarded for is one more."""
        chain = [value.strip() for value in forwarded_for.split(",") if value.strip()]
        hops = 1
        while hops < min(len(chain), self.MAX_HOPS) and self.trusted(chain[-hops]):
            hops += 1
        return hops

    def __call__(self, environ, start_response):
        if not self.trusted(environ.get("REMOTE_ADDR", "")):
            return self.wsgi_app(environ, start_response)
        hops = self.hops(environ.get("HTTP_X_FORWARDED_FOR", ""))
        fix = self._fixes.get(hops)
        if fix is None:
            fix = self._fixes[hops] = ProxyFix(self.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        return fix(environ, start_response)
