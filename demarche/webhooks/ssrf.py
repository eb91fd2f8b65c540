"""Where a webhook may be sent: https:// to a public address only; the address checked is the one connected to.

Refused: private (RFC 1918, unique-local fc00::/7), loopback, link-local (169.254.0.0/16, fe80::/10, so the
cloud metadata 169.254.169.254), shared CGNAT space (100.64.0.0/10, RFC 6598), multicast, reserved, and
IPv6 forms that embed such an IPv4 (mapped, 6to4, Teredo, NAT64). Loopback over plain http:// is accepted
in the demo and the tests only. OWASP: https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
Resolver = Callable[[str, int], list[IP]]


class UnsafeUrl(ValueError):
    """The URL may not receive webhooks; the message says why, in French."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to (DNS is not asked again)."""

    url: str
    host: str
    ip: IP

    def request_parts(self) -> tuple[str, dict[str, str], dict]:
        """URL with the pinned IP, the Host header and the TLS server name (SNI) of the original host."""
        parts = urlsplit(self.url)
        literal = f"[{self.ip}]" if self.ip.version == 6 else str(self.ip)
        netloc = f"{literal}:{parts.port}" if parts.port else literal
        url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        extensions = {"sni_hostname": self.host} if parts.scheme == "https" else {}
        return url, {"host": parts.netloc}, extensions


def system_resolver(host: str, port: int) -> list[IP]:
    """Every address the system resolves the host to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def refusal(ip: IP) -> str | None:
    """Why this address may not receive webhooks, or None if it is a public unicast address."""
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return refusal(embedded)
    checks = ((ip in METADATA, "adresse de métadonnées du nuage"), (ip.is_loopback, "boucle locale"),
              (ip.is_link_local, "adresse lien-local"), (ip.is_multicast, "adresse de multidiffusion"),
              (ip in CGNAT, "espace partagé des opérateurs (CGNAT)"), (ip.is_private, "adresse privée"),
              (not ip.is_global, "adresse réservée ou non routable"))
    return next((reason for refused, reason in checks if refused), None)


def check(url: str, *, allow_loopback: bool, resolve: Resolver = system_resolver) -> Target:
    """The URL's target if every address it resolves to is allowed; UnsafeUrl otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeUrl("l’adresse doit être une URL https:// complète")
    if parts.username or parts.password:
        raise UnsafeUrl("l’adresse ne doit pas contenir d’identifiant ni de mot de passe")
    try:
        addresses = resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError) as error:
        raise UnsafeUrl(f"le nom « {parts.hostname} » ne se résout pas") from error
    if not addresses:
        raise UnsafeUrl(f"le nom « {parts.hostname} » ne se résout pas")
    loopback = all(ip.is_loopback for ip in addresses)
    if not (allow_loopback and loopback):
        for ip in addresses:
            if reason := refusal(ip):
                raise UnsafeUrl(f"{parts.hostname} désigne {ip} ({reason}) : seules les adresses publiques "
                                "sont acceptées")
        if parts.scheme != "https":
            raise UnsafeUrl("https:// est obligatoire (http:// n’est accepté que sur la boucle locale, en "
                            "démonstration et en test)")
    return Target(url=url.strip(), host=parts.hostname, ip=addresses[0])
