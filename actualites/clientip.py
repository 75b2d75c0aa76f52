"""The visitor's address, which rate limits (comments, newsletter) and login lockouts count by.

Behind a reverse proxy every request comes from the proxy: its header (CLIENT_IP_HEADER, such
as X-Forwarded-For) names the visitor. Anyone can send that header, so it is believed only
when the request comes from one of our proxies (TRUSTED_PROXIES), and then read from the
right: each proxy appends the address it was reached from, anything further left is the
client's say-so.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def parse_address(value: str) -> Address | None:
    """An address as peers and proxies write it: "203.0.113.5", "203.0.113.5:443",
    "[2001:db8::1]:443", "::ffff:10.0.0.1" (read as 10.0.0.1); None for anything else."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def client_ip(request) -> str | None:
    """The visitor's address: the peer's, or the right-most one our proxies did not add."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    header = settings.CLIENT_IP_HEADER
    if peer is None or not header or not is_trusted_proxy(peer):
        return str(peer) if peer else None
    visitor = peer
    for entry in reversed(request.META.get(header, "").split(",")):
        address = parse_address(entry)
        if address is None:
            # Our proxy writes addresses: past this, nothing in the header can be believed.
            break
        visitor = address
        if not is_trusted_proxy(address):
            break
    return str(visitor)


def axes_client_ip(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE."""
    return client_ip(request)
