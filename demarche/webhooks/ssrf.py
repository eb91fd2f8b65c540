"""Where a webhook may be sent: https:// to a public address only; the address checked is the one connected to.

Every range of IANA's special-purpose registries is refused by an explicit rule (Python's is_global misses
some, e.g. ::127.0.0.1 and fec0::1 before 3.13), and the IPv6 forms that embed an IPv4 are judged by it.
Loopback over plain http:// is accepted in the demo and the tests only. Registries:
https://www.iana.org/assignments/iana-ipv4-special-registry/ and
https://www.iana.org/assignments/iana-ipv6-special-registry/ ; OWASP:
https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
PRIVATE, RESERVED = "adresse privée", "adresse réservée ou non routable"
# (network, reason), first match wins: every non-global range, each with the reason an operator can act on.
RULES = [(ipaddress.ip_network(net), reason) for net, reason in (
    ("0.0.0.0/8", PRIVATE), ("10.0.0.0/8", PRIVATE), ("100.64.0.0/10", "espace partagé des opérateurs (CGNAT)"),
    ("127.0.0.0/8", "boucle locale"), ("169.254.0.0/16", "adresse lien-local"), ("172.16.0.0/12", PRIVATE),
    ("192.0.0.0/24", RESERVED), ("192.0.2.0/24", PRIVATE), ("192.88.99.0/24", "relais 6to4 (RFC 7526)"),
    ("192.168.0.0/16", PRIVATE), ("198.18.0.0/15", RESERVED), ("198.51.100.0/24", PRIVATE),
    ("203.0.113.0/24", PRIVATE), ("224.0.0.0/4", "adresse de multidiffusion"), ("240.0.0.0/4", PRIVATE),
    ("::1/128", "boucle locale"), ("::/128", PRIVATE),
    ("::/96", "adresse IPv4-compatible, obsolète (RFC 4291, section 2.5.5.1)"),
    ("64:ff9b:1::/48", "préfixe NAT64 local (RFC 8215)"), ("100::/64", RESERVED),
    ("2001::/32", "tunnel Teredo (RFC 4380)"), ("2001::/23", RESERVED), ("2001:db8::/32", PRIVATE),
    ("3fff::/20", PRIVATE), ("5f00::/16", RESERVED), ("fc00::/7", PRIVATE), ("fe80::/10", "adresse lien-local"),
    ("fec0::/10", "adresse site-local, obsolète (RFC 3879)"), ("ff00::/8", "adresse de multidiffusion"))]
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 is the last 32 bits
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
    if ip in METADATA:
        return "adresse de métadonnées du nuage"
    if ip.version == 6 and (embedded := _embedded_ipv4(ip)) is not None:
        return refusal(embedded)
    rule = next((reason for network, reason in RULES if ip.version == network.version and ip in network), None)
    return rule or (None if ip.is_global else RESERVED)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 (well-known prefix) address reaches."""
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.ipv4_mapped or ip.sixtofour


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
