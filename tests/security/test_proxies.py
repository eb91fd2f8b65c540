"""TRUSTED_PROXIES (issue 19, a): the limits count the client the proxies name, not the proxy; forwarded headers
from anyone else are ignored; counts are shared through Redis under REDIS_KEY_PREFIX, and only there."""

from __future__ import annotations

import re
import uuid

import pytest
import redis
from flask import request

from demarche.config import ConfigurationError, load_settings
from tests import servers
from tests.api.conftest import bearer, new_token
from tests.conftest import service_env

REDIS = servers.redis_url()  # the machine's Redis, or the throw-away one tests/servers.py started
GUESS = "/verifier/CAN-2026-AAAAAA-BBBB-CCCC"  # a tampered code: 400, and one guess spent
PROXY = "127.0.0.1"  # gunicorn behind nginx on the same machine, as the production guide runs it


def via_proxy(client: str, spoofed: str = "", proxy: str = PROXY) -> dict:
    """What the service receives from the proxy: its own address as peer, the client appended to the header."""
    chain = f"{spoofed}, {client}" if spoofed else client
    return {"environ_base": {"REMOTE_ADDR": proxy}, "headers": {"X-Forwarded-For": chain}}


def guesses(app, count: int, **request) -> list[int]:
    client = app.test_client()
    return [client.get(GUESS, **request).status_code for _ in range(count)]


def echo(app):
    """A route that shows what the app believes about the request (registered before the first request)."""
    app.add_url_rule("/_echo", "echo", lambda: f"{request.remote_addr} {request.scheme} {request.host}")
    return app.test_client()


@pytest.fixture
def prefix():
    """A REDIS_KEY_PREFIX of its own on the shared Redis, its keys deleted afterwards."""
    server = redis.Redis.from_url(REDIS)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS} (TEST_REDIS_URL; tests/servers.py starts one when redis-server exists)")
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    keys = list(server.scan_iter(f"*{name}*"))
    if keys:
        server.delete(*keys)


def test_behind_one_proxy_each_client_has_its_own_count(make_app):
    app = make_app(TRUSTED_PROXIES="1")
    assert guesses(app, 20, **via_proxy("203.0.113.5")) == [400] * 20
    refused = app.test_client().get(GUESS, **via_proxy("203.0.113.5"))
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "vous pourrez recommencer à partir du" in refused.get_data(as_text=True)
    # Someone else, through the same proxy, still checks their code (it used to be 429 for everyone).
    assert guesses(app, 1, **via_proxy("198.51.100.9")) == [400]


def test_a_client_cannot_escape_its_count_by_forging_the_header(make_app):
    app = make_app(TRUSTED_PROXIES="1")
    codes = [app.test_client().get(GUESS, **via_proxy("203.0.113.5", spoofed=f"10.0.0.{n}")).status_code
             for n in range(21)]
    assert codes == [400] * 20 + [429]


def test_without_trusted_proxies_the_header_is_ignored(make_app):
    app = make_app()
    client = echo(app)
    answer = client.get("/_echo", environ_base={"REMOTE_ADDR": "198.51.100.1"},
                        headers={"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https",
                                 "X-Forwarded-Host": "evil.example"})
    assert answer.get_data(as_text=True) == "198.51.100.1 http localhost"
    codes = [app.test_client().get(GUESS, **via_proxy(f"203.0.113.{n}")).status_code for n in range(21)]
    assert codes[-1] == 429  # every forged address is the same peer


def test_the_hops_give_address_scheme_and_host(make_app):
    client = echo(make_app(TRUSTED_PROXIES="2"))
    headers = {"X-Forwarded-For": "10.9.9.9, 203.0.113.5, 192.0.2.1", "X-Forwarded-Proto": "https, http",
               "X-Forwarded-Host": "demarche.example, inner"}
    answer = client.get("/_echo", environ_base={"REMOTE_ADDR": "192.0.2.2"}, headers=headers)
    assert answer.get_data(as_text=True) == "203.0.113.5 https demarche.example"


def test_listed_proxy_addresses_are_walked_from_the_right(make_app):
    client = echo(make_app(TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.1"))
    chain = {"X-Forwarded-For": "10.9.9.9, 203.0.113.5, 10.2.2.2", "X-Forwarded-Proto": "https"}
    trusted = client.get("/_echo", environ_base={"REMOTE_ADDR": "10.1.1.1"}, headers=chain)
    assert trusted.get_data(as_text=True).split()[0] == "203.0.113.5"  # 10.9.9.9 on its left is the client's own
    untrusted = client.get("/_echo", environ_base={"REMOTE_ADDR": "198.51.100.1"}, headers=chain)
    assert untrusted.get_data(as_text=True) == "198.51.100.1 http localhost"
    single = client.get("/_echo", environ_base={"REMOTE_ADDR": "192.0.2.1"},
                        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert single.get_data(as_text=True) == "203.0.113.7 https localhost"


def test_an_ipv6_client_counts_for_its_network(make_app):
    app = make_app(TRUSTED_PROXIES="1")
    codes = [app.test_client().get(GUESS, **via_proxy(f"2001:db8:1:2::{n:x}")).status_code for n in range(21)]
    assert codes == [400] * 20 + [429]  # one /64: the addresses one device picks at will
    assert guesses(app, 1, **via_proxy("2001:db8:1:3::1")) == [400]


@pytest.mark.parametrize("value", ["-1", "deux", "11", "10.0.0.300", "*", "1, 10.0.0.1", "10.0.0.0/33"])
def test_a_bad_value_stops_the_start_in_french_and_english(value):
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings({**service_env("sqlite://"), "TRUSTED_PROXIES": value})
    assert excinfo.value.name == "TRUSTED_PROXIES"
    message = str(excinfo.value)
    assert " : " in message and ("mandataires" in message or "adresse IP" in message) and "hops" in message


@pytest.mark.parametrize(("value", "hops", "networks"), [
    ("", 0, ()), ("0", 0, ()), ("2", 2, ()), (" 10.0.0.0/8,192.0.2.1 2001:db8::/32", 0,
                                               ("10.0.0.0/8", "192.0.2.1/32", "2001:db8::/32")),
])
def test_good_values(value, hops, networks):
    settings = load_settings({**service_env("sqlite://"), "TRUSTED_PROXIES": value})
    assert settings.trusted_proxy_hops == hops
    assert tuple(str(network) for network in settings.trusted_proxy_networks) == networks


def test_two_instances_share_the_client_count_through_redis(make_app, prefix):
    first, second = (make_app(TRUSTED_PROXIES="1", REDIS_URL=REDIS, REDIS_KEY_PREFIX=prefix) for _ in range(2))
    client = via_proxy("203.0.113.5")
    assert guesses(first, 10, **client) + guesses(second, 10, **client) == [400] * 20
    assert guesses(first, 1, **client) == [429] and guesses(second, 1, **client) == [429]
    assert guesses(second, 1, **via_proxy("203.0.113.6")) == [400]
    assert list(redis.Redis.from_url(REDIS).scan_iter(f"*{prefix}:pages*"))  # under the service's prefix


def test_another_service_on_the_same_redis_keeps_its_own_counts(make_app, prefix):
    mine = make_app(TRUSTED_PROXIES="1", REDIS_URL=REDIS, REDIS_KEY_PREFIX=prefix)
    other = make_app(TRUSTED_PROXIES="1", REDIS_URL=REDIS, REDIS_KEY_PREFIX=f"{prefix}-other")
    client = via_proxy("203.0.113.5")
    assert guesses(mine, 21, **client)[-1] == 429
    assert guesses(other, 1, **client) == [400]


def test_the_api_counts_under_the_prefix_too(make_app, prefix):
    settings = {"API_RATE_LIMIT": "2/minute", "REDIS_URL": REDIS, "TRUSTED_PROXIES": "1"}
    mine, same = (make_app(REDIS_KEY_PREFIX=prefix, **settings) for _ in range(2))
    other = make_app(REDIS_KEY_PREFIX=f"{prefix}-other", **settings)
    anonymous = via_proxy("203.0.113.5")
    assert [app.test_client().get("/api/v1/dossiers", **anonymous).status_code for app in (mine, same, mine)] == [
        401, 401, 429]
    assert other.test_client().get("/api/v1/dossiers", **anonymous).status_code == 401
    token = new_token(mine)
    codes = [app.test_client().get("/api/v1/dossiers", headers=bearer(token)).status_code
             for app in (mine, same, mine)]
    assert codes == [200, 200, 429]
    assert list(redis.Redis.from_url(REDIS).scan_iter(f"*{prefix}:api*"))


def test_https_behind_the_proxy_keeps_forms_working(make_app, fc_sim):
    """TLS ends at the proxy: with its headers trusted the service knows the request is https, so Flask-WTF checks
    the Referer against the host the browser named (X-Forwarded-Host), as on a direct https request."""
    app = make_app(TRUSTED_PROXIES="1", PUBLIC_URL="https://demarche.example",
                   FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")
    client = app.test_client()
    proxied = {"environ_base": {"REMOTE_ADDR": PROXY}, "base_url": "http://127.0.0.1:8000"}
    headers = {"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "demarche.example"}
    home = client.get("/", headers=headers, **proxied).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    started = client.post("/franceconnect/login", data={"csrf_token": token}, **proxied,
                          headers={**headers, "Referer": "https://demarche.example/"})
    assert started.status_code == 303 and started.headers["Location"].startswith(fc_sim.url)
    forged = client.post("/franceconnect/login", data={"csrf_token": token}, **proxied,
                         headers={**headers, "Referer": "https://evil.example/"})
    assert forged.status_code == 400  # the Referer check is on, as on any https request
