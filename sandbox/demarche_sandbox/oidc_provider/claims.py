"""Which claims a grant carries: the values its scopes release, and the acr its request asks for (OpenID
Connect Core 1.0, 5.5.1.1: an essential acr that cannot be met fails the login).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def granted_claims(scopes: Iterable[str], scope_claims: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The identity claims the scopes grant, in a stable order, without sub."""
    wanted = {claim for scope in scopes for claim in scope_claims.get(scope, ())}
    ordered = dict.fromkeys(claim for claims in scope_claims.values() for claim in claims)
    return [claim for claim in ordered if claim in wanted and claim != "sub"]


def scoped_claims(scopes: Iterable[str], values: dict, scope_claims: Mapping[str, tuple[str, ...]],
                  omitted: tuple[str, ...]) -> dict:
    """The claim values the scopes grant; an `omitted` claim (an identity provider may not know it) is left
    out when empty."""
    claims = {}
    for claim in granted_claims(scopes, scope_claims):
        value = values.get(claim, "")
        if claim in omitted and not value:
            continue
        claims[claim] = value
    return claims


def requested_acr(claims: dict) -> tuple[tuple[str, ...], bool]:
    """(values, essential) of the acr asked in the `claims` parameter's id_token member ({"value": …} or
    {"values": […]}); ((), False) when none is asked."""
    member = claims.get("id_token") if isinstance(claims.get("id_token"), dict) else {}
    acr = member.get("acr")
    if not isinstance(acr, dict):
        return (), False
    values = acr.get("values") if isinstance(acr.get("values"), list) else [acr.get("value")]
    return tuple(str(value) for value in values if isinstance(value, str)), acr.get("essential") is True


def choose_acr(reachable: Sequence[str], default: str, acr_values: Sequence[str], claims: dict) -> str | None:
    """The acr to return: the first asked value the person reaches (essential `claims` first, then
    acr_values, which are voluntary), else `default`; None when an essential request cannot be met."""
    values, essential = requested_acr(claims)
    for asked in (values, tuple(acr_values)):
        match = next((value for value in asked if value in reachable), None)
        if match:
            return match
        if asked is values and values and essential:
            return None
    return default
