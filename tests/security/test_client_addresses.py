"""Whose address counts: the proxy header is believed only when our own proxy sends it."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from actualites.clientip import client_ip
from comments.models import Comment
from tests.comments.factories import post_comment
from tests.factories import make_article, make_user

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.1"
DIRECT = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXIES = [PROXY, "192.168.50.0/24", "2001:db8:aa::/48"]
    return settings


def address(peer, forwarded=None):
    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers))


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        # Reached directly: whatever the client writes in the header is ignored.
        (DIRECT, "203.0.113.9", DIRECT),
        (DIRECT, "10.0.0.1, 203.0.113.9", DIRECT),
        ("127.0.0.1", "203.0.113.9", "127.0.0.1"),
        # Through our proxy: the right-most address it did not add itself is the visitor.
        (PROXY, "203.0.113.9", "203.0.113.9"),
        (PROXY, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (PROXY, "1.2.3.4, 203.0.113.9, 192.168.50.4", "203.0.113.9"),
        (PROXY, " 203.0.113.9 ,192.168.50.4 ", "203.0.113.9"),
        (PROXY, "203.0.113.9:51234", "203.0.113.9"),
        (PROXY, "[2001:db8::5]:443", "2001:db8::5"),
        ("2001:db8:aa::1", "2001:db8::5", "2001:db8::5"),
        ("::ffff:10.0.0.1", "203.0.113.9", "203.0.113.9"),
        # Only trusted hops: the left-most one is a visitor inside our network.
        (PROXY, "192.168.50.7, 192.168.50.4", "192.168.50.7"),
        # The proxy sent nothing usable: the proxy's own address, never a made-up one.
        (PROXY, None, PROXY),
        (PROXY, "", PROXY),
        (PROXY, "203.0.113.9, pas-une-adresse", PROXY),
        (PROXY, "\x00", PROXY),
    ],
)
def test_the_visitor_address_is_taken_from_the_header_only_through_a_trusted_proxy(
    behind_proxy, peer, forwarded, expected
):
    assert address(peer, forwarded) == expected


def test_without_a_proxy_header_configured_the_peer_address_counts(settings):
    settings.CLIENT_IP_HEADER = ""
    settings.TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, "203.0.113.9") == PROXY


@pytest.mark.django_db
def test_rotating_the_header_when_reaching_the_site_directly_does_not_escape_the_rate_limit(
    client, behind_proxy
):
    behind_proxy.COMMENTS_RATE_LIMIT = 3
    article = make_article()
    statuses = [
        post_comment(
            client,
            article,
            ip=DIRECT,
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
            text=f"Avis numéro {n}",
        ).status_code
        for n in range(10)
    ]
    assert statuses == [302] * 3 + [429] * 7
    assert set(Comment.objects.values_list("ip", flat=True)) == {DIRECT}


@pytest.mark.django_db
def test_readers_behind_the_trusted_proxy_are_counted_one_by_one(client, behind_proxy):
    behind_proxy.COMMENTS_RATE_LIMIT = 1
    article = make_article()
    for n in range(4):
        response = post_comment(
            client,
            article,
            ip=PROXY,
            headers={"X-Forwarded-For": f"6.6.6.6, 203.0.113.{n}"},
            text=f"Avis numéro {n}",
        )
        assert response.status_code == 302
    assert Comment.objects.filter(ip="203.0.113.3").count() == 1


@pytest.mark.django_db
def test_rotating_the_header_does_not_escape_the_login_lockout(client, behind_proxy):
    make_user(username="redac", is_staff=True, password="Bon-mot-de-passe-42")

    def login(password, n):
        return client.post(
            reverse("admin:login"),
            {"username": "redac", "password": password, "next": "/admin/"},
            REMOTE_ADDR=DIRECT,
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )

    for n in range(12):
        login("mauvais", n)
    assert login("Bon-mot-de-passe-42", 99).status_code == 429


def _manage_check(**env):
    environment = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_proxy_header_without_trusted_proxies_stops_the_site_from_starting():
    result = _manage_check(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXIES="")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


def test_a_trusted_proxy_that_is_not_an_address_stops_the_site_from_starting():
    result = _manage_check(
        CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXIES="10.0.0.1,proxy.local"
    )
    assert result.returncode != 0
    assert "proxy.local" in result.stderr


def test_trusted_proxies_accept_addresses_and_networks():
    result = _manage_check(
        CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXIES="10.0.0.1, 172.30.80.0/24, ::1"
    )
    assert result.returncode == 0, result.stderr


# --- docker compose: the site is reached through the proxy only --------------------------------

DEFAULT = re.compile(r"\$\{(\w+):?-([^}]*)\}")


def compose_file():
    """docker-compose.yml with each ${VAR:-default} at its default, as compose reads it."""
    yaml = pytest.importorskip("yaml")
    text = DEFAULT.sub(lambda match: match.group(2), (ROOT / "docker-compose.yml").read_text())
    text = re.sub(r"\$\{(\w+):\?[^}]*\}", "x", text)
    return yaml.safe_load(text)


def test_compose_publishes_only_the_proxy_and_trusts_only_the_proxy_and_varnish():
    services = compose_file()["services"]

    published = {name for name, service in services.items() if service.get("ports")}
    # Besides the proxy, only the local trial of object storage (a profile, on loopback).
    assert published == {"proxy", "medias"}
    assert services["medias"]["profiles"] == ["objets"]
    assert services["medias"]["ports"] == ["127.0.0.1:9443:9443"]
    assert sorted(services["proxy"]["ports"]) == ["443:443", "443:443/udp", "80:80"]
    proxy_address = services["proxy"]["networks"]["edge"]["ipv4_address"]
    varnish_address = services["varnish"]["networks"]["edge"]["ipv4_address"]
    environment = services["web"]["environment"]
    assert environment["CLIENT_IP_HEADER"] == "HTTP_X_FORWARDED_FOR"
    assert environment["TRUSTED_PROXIES"].split(",") == [proxy_address, varnish_address]
    # Visitors reach Varnish's page listener through the proxy, never its purge listener.
    assert "varnish:6081" in services["proxy"]["command"]
    assert "purge=:6082" in services["varnish"]["command"]
    vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
    # Every replica of "web" on port 8000 is a node (deploy/varnish/start.sh and nodes.sh).
    assert services["varnish"]["environment"]["WEB_SERVICE"] == "web"
    assert services["varnish"]["environment"]["WEB_PORT"] == "8000"
    assert 'include "nodes.vcl";' in vcl
    assert f'! "{proxy_address}";' in vcl


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose absent")
def test_compose_file_is_valid():
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        env={**os.environ, "DJANGO_SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
