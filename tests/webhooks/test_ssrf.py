"""Where webhooks may go: https:// to public addresses; every private, loopback, link-local, CGNAT,
unique-local, multicast and metadata address refused, also behind a name or an IPv6 wrapping; the
address checked is the address connected to, with the original Host header."""

import ipaddress

import httpx
import pytest
from flask import Flask, request

from demarche.devserver import serve
from demarche.extensions import db
from demarche.webhooks import ssrf
from demarche.webhooks.delivery import attempt
from demarche.webhooks.models import WebhookDelivery
from tests.backoffice.factories import make_dossier
from tests.webhooks.helpers import deliveries, record

REFUSED = {
    "https://10.1.2.3/hook": "privée",
    "https://172.16.0.1/hook": "privée",
    "https://192.168.1.10/hook": "privée",
    "https://127.0.0.1/hook": "boucle locale",
    "https://[::1]/hook": "boucle locale",
    "https://169.254.169.254/latest/meta-data": "métadonnées",
    "https://[fd00:ec2::254]/": "métadonnées",
    "https://169.254.10.1/": "lien-local",
    "https://[fe80::1]/": "lien-local",
    "https://100.64.0.1/": "CGNAT",
    "https://100.127.255.254/": "CGNAT",
    "https://[fd12:3456::1]/": "privée",  # unique-local fc00::/7
    "https://[2001:db8::1]/": "privée",  # documentation
    "https://240.0.0.1/": "privée",  # reserved (class E)
    "https://224.0.0.251/": "multidiffusion",
    "https://[ff02::1]/": "multidiffusion",
    "https://0.0.0.0/": "privée",
    "https://[::ffff:10.0.0.1]/": "privée",  # IPv4-mapped
    "https://[2002:a00:1::]/": "privée",  # 6to4 around 10.0.0.1
    "https://[64:ff9b::a9fe:a9fe]/": "métadonnées",  # NAT64 around 169.254.169.254
    # Forms Python 3.11's is_global takes for public (issue 19): one explicit rule each.
    "https://[::127.0.0.1]/": "IPv4-compatible",  # deprecated, RFC 4291 section 2.5.5.1
    "https://[::8.8.8.8]/": "IPv4-compatible",  # refused whatever it embeds
    "https://[fec0::1]/": "site-local",  # deprecated, RFC 3879
    "https://[::ffff:127.0.0.1]/": "boucle locale",  # IPv4-mapped loopback
    "https://[64:ff9b::7f00:1]/": "boucle locale",  # NAT64 well-known prefix around 127.0.0.1
    "https://[64:ff9b::c0a8:101]/": "privée",  # NAT64 around 192.168.1.1
    "https://[64:ff9b:1::a00:1]/": "NAT64 local",  # RFC 8215 local-use prefix
    "https://[2002:7f00:1::]/": "boucle locale",  # 6to4 around 127.0.0.1
    "https://[2002:c0a8:101::1]/": "privée",  # 6to4 around 192.168.1.1
    "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/": "Teredo",  # RFC 4380
    "https://[100::1]/": "réservée",  # discard-only, RFC 6666
    "https://[3fff::1]/": "privée",  # documentation, RFC 9637
    "https://198.18.0.1/": "réservée",  # benchmarking, RFC 2544
    "https://192.0.0.8/": "réservée",  # IETF protocol assignments
    "https://192.88.99.1/": "6to4",  # deprecated relay anycast, RFC 7526
}


@pytest.mark.parametrize(("url", "reason"), REFUSED.items())
def test_non_public_addresses_are_refused(url, reason):
    with pytest.raises(ssrf.UnsafeUrl, match=reason):
        ssrf.check(url, allow_loopback=False)


@pytest.mark.parametrize("url", ["https://[::ffff:8.8.8.8]/", "https://[64:ff9b::808:808]/",
                                 "https://[2002:808:808::1]/", "https://[2001:4860:4860::8888]/"])
def test_forms_that_reach_a_public_address_stay_accepted(url):
    assert ssrf.refusal(ssrf.check(url, allow_loopback=False).ip) is None


def test_a_name_resolving_to_a_private_address_is_refused():
    def resolver(host, port):
        return [ipaddress.ip_address("8.8.4.4"), ipaddress.ip_address("10.0.0.5")]  # one bad is enough

    with pytest.raises(ssrf.UnsafeUrl, match="10.0.0.5"):
        ssrf.check("https://logiciel.example/hook", allow_loopback=False, resolve=resolver)


def test_https_to_a_public_address_is_accepted_and_plain_http_is_not():
    target = ssrf.check("https://8.8.8.8/hook", allow_loopback=False)
    assert target.ip == ipaddress.ip_address("8.8.8.8")
    with pytest.raises(ssrf.UnsafeUrl, match="https:// est obligatoire"):
        ssrf.check("http://8.8.8.8/hook", allow_loopback=False)
    for bad in ("ftp://8.8.8.8/", "https://user:pw@8.8.8.8/", "/relative", "https:///"):
        with pytest.raises(ssrf.UnsafeUrl):
            ssrf.check(bad, allow_loopback=False)


def test_loopback_over_http_only_in_demo_and_tests():
    assert ssrf.check("http://127.0.0.1:5006/webhooks", allow_loopback=True).ip.is_loopback
    assert ssrf.check("http://localhost:5006/webhooks", allow_loopback=True).host == "localhost"
    with pytest.raises(ssrf.UnsafeUrl, match="boucle locale"):
        ssrf.check("http://localhost:5006/webhooks", allow_loopback=False)
    with pytest.raises(ssrf.UnsafeUrl, match="privée"):  # loopback allowed does not open the rest
        ssrf.check("http://192.168.0.2/", allow_loopback=True)


def test_the_checked_address_is_the_one_connected_to_with_the_original_host():
    seen = []
    app = Flask("pinned")

    @app.post("/hook")
    def hook():
        seen.append(request.headers["Host"])
        return "", 204

    server = serve(lambda _url: app)
    answers = iter([[ipaddress.ip_address("127.0.0.1")], [ipaddress.ip_address("10.0.0.9")]])  # DNS rebinding
    try:
        port = server.url.rsplit(":", 1)[1]
        target = ssrf.check(f"http://logiciel.example:{port}/hook", allow_loopback=True,
                            resolve=lambda host, port: next(answers))
        url, host, extensions = target.request_parts()
        assert url == f"http://127.0.0.1:{port}/hook" and extensions == {}
        with httpx.Client() as client:
            response = client.post(url, headers=host, content=b"{}", extensions=extensions)
    finally:
        server.stop()
    assert response.status_code == 204 and seen == [f"logiciel.example:{port}"]
    https = ssrf.Target("https://logiciel.example/hook?x=1", "logiciel.example", ipaddress.ip_address("2001:db8::5"))
    assert https.request_parts() == ("https://[2001:db8::5]/hook?x=1", {"host": "logiciel.example"},
                                     {"sni_hostname": "logiciel.example"})


def test_an_address_that_became_private_is_refused_at_delivery(make_app):
    app = make_app()
    with app.app_context():  # stored before: as if its name now resolved to a private address
        from demarche.webhooks.models import WebhookEndpoint

        db.session.add(WebhookEndpoint(siret="21750001600019", url="http://10.0.0.1/hook", secret="whsec_AAAA"))
        db.session.commit()
    record(app, make_dossier(app), "dossier.depose")
    [pending] = deliveries(app)
    assert (pending.status, pending.attempts) == ("pending", 1)
    with app.app_context():
        outcome = attempt(db.session.get(WebhookDelivery, pending.id))
    assert outcome.status_code is None and outcome.error.startswith("adresse refusée : 10.0.0.1 désigne")
