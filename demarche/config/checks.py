"""How a variable is checked at start-up: a named error, safe URLs (http:// on loopback only), numbers, dates."""

from __future__ import annotations

import ipaddress
from datetime import date
from urllib.parse import urlsplit

from limits import RateLimitItem, parse

_UNITS = {"s": "second", "sec": "second", "m": "minute", "min": "minute", "h": "hour"}


class ConfigurationError(RuntimeError):
    """A variable is missing or unsafe; the message names it, in French and English."""

    def __init__(self, name: str, fr: str, en: str):
        super().__init__(f"{name} : {fr} / {name}: {en}")
        self.name = name


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(name, f"« {url} » n'est pas une URL http(s) valide", f"'{url}' is not a valid URL")
    if parts.scheme == "http" and not is_loopback(url):
        raise ConfigurationError(
            name,
            "http:// n'est accepté que sur une adresse locale (127.0.0.1, localhost) ; utilisez https://",
            "plain http:// is only accepted on a loopback address; use https://",
        )


def month_day(env: dict[str, str], name: str, default: str) -> str:
    """A day of the year, MM-DD (« 06-01 » for the 1st of June)."""
    value = (env.get(name) or default).strip()
    try:
        date.fromisoformat(f"2000-{value}")  # a leap year: « 02-29 » is a day too
    except ValueError:
        raise ConfigurationError(name, "un jour au format MM-JJ est attendu, par exemple 06-01",
                                 "a day formatted MM-DD is expected, e.g. 06-01") from None
    return value


def integer(env: dict[str, str], name: str, default: str) -> int:
    try:
        value = int(env.get(name) or default)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigurationError(name, "un nombre entier positif est attendu", "a non-negative integer is expected")
    return value


def parse_rate(text: str) -> RateLimitItem:
    """« 20/s », « 20/second », « 1200 per minute » → a limits item; ValueError when unreadable."""
    count, _, unit = text.strip().partition("/")
    return parse(f"{count.strip()}/{_UNITS.get(unit.strip(), unit.strip())}" if unit else text)
