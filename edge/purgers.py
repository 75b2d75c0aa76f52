"""Purgers: what tells a shared cache to drop the pages carrying some surrogate keys.

Each purger has a name (for the logs and the retries) and `purge(keys)`, which raises
PurgeFailed when the cache did not confirm. Configured by settings (README, « Cache et CDN »):
  VARNISH_PURGE_URLS                      an xkey purge to each Varnish (its purge listener)
  FASTLY_SERVICE_ID, FASTLY_API_TOKEN     Fastly's purge by surrogate key
  CLOUDFLARE_ZONE_ID, CLOUDFLARE_API_TOKEN  Cloudflare's purge by cache tag
Another CDN is one more class with `name` and `purge()`, listed by `configured()`.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Collection, Sequence

from django.conf import settings


class PurgeFailed(Exception):
    pass


def _batches(keys: Sequence[str], size: int):
    keys = sorted(set(keys))
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _send(request: urllib.request.Request, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.read()
    except urllib.error.HTTPError as error:
        raise PurgeFailed(f"{request.full_url} : HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise PurgeFailed(f"{request.full_url} : {getattr(error, 'reason', error)}") from error


class VarnishPurger:
    """`PURGE /` with an `xkey` header, as deploy/varnish/default.vcl expects."""

    # Under Varnish's default limit on a request header (8 KB).
    batch_size = 200

    def __init__(self, url: str, timeout: float = 2.0):
        self.url = url
        self.name = f"varnish:{url}"
        self.timeout = timeout

    def purge(self, keys: Sequence[str]) -> None:
        for batch in _batches(keys, self.batch_size):
            request = urllib.request.Request(
                self.url, method="PURGE", headers={"xkey": " ".join(batch)}
            )
            _send(request, self.timeout)


class FastlyPurger:
    """Fastly's « purge multiple surrogate keys » API call, 256 keys at a time."""

    name = "fastly"
    batch_size = 256

    def __init__(self, service_id: str, token: str, api_url: str, timeout: float = 5.0):
        self.endpoint = f"{api_url.rstrip('/')}/service/{service_id}/purge"
        self.token = token
        self.timeout = timeout

    def purge(self, keys: Sequence[str]) -> None:
        for batch in _batches(keys, self.batch_size):
            request = urllib.request.Request(
                self.endpoint,
                method="POST",
                data=json.dumps({"surrogate_keys": batch}).encode(),
                headers={
                    "Fastly-Key": self.token,
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
            )
            _send(request, self.timeout)


class CloudflarePurger:
    """Cloudflare's « purge cached content » call by cache tags, 30 tags at a time."""

    name = "cloudflare"
    batch_size = 30

    def __init__(self, zone_id: str, token: str, api_url: str, timeout: float = 5.0):
        self.endpoint = f"{api_url.rstrip('/')}/client/v4/zones/{zone_id}/purge_cache"
        self.token = token
        self.timeout = timeout

    def purge(self, keys: Sequence[str]) -> None:
        for batch in _batches(keys, self.batch_size):
            request = urllib.request.Request(
                self.endpoint,
                method="POST",
                data=json.dumps({"tags": batch}).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            answer = _send(request, self.timeout)
            try:
                confirmed = json.loads(answer).get("success") is True
            except (ValueError, AttributeError):
                confirmed = False
            if not confirmed:
                raise PurgeFailed(f"{self.endpoint} : purge non confirmée ({answer[:200]!r})")


def configured() -> list:
    """The purgers the settings describe, Varnish first."""
    purgers = [VarnishPurger(url) for url in settings.VARNISH_PURGE_URLS]
    if settings.FASTLY_SERVICE_ID:
        purgers.append(
            FastlyPurger(
                settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN, settings.FASTLY_API_URL
            )
        )
    if settings.CLOUDFLARE_ZONE_ID:
        purgers.append(
            CloudflarePurger(
                settings.CLOUDFLARE_ZONE_ID,
                settings.CLOUDFLARE_API_TOKEN,
                settings.CLOUDFLARE_API_URL,
            )
        )
    return purgers


def purge_now(keys: Collection[str], names: Collection[str] | None = None) -> dict[str, str]:
    """Sends the keys to every configured purger (or only those named); returns the failures,
    purger name → reason."""
    failed = {}
    for purger in configured():
        if names is not None and purger.name not in names:
            continue
        try:
            purger.purge(list(keys))
        except PurgeFailed as error:
            failed[purger.name] = str(error)
    return failed
