"""Where uploaded photos live: the local disk (default) or an S3-compatible bucket.

settings.py calls media_settings() with the environment; nothing here imports boto3, so a
site on the local disk never loads it. With MEDIA_STORAGE=s3 the public addresses of media are
the bucket's or a CDN's (AWS_S3_CUSTOM_DOMAIN), never the site's own host: a file there cannot
read the site's cookies or pages, whatever it holds.
"""

import logging
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Uploads get random names and are never rewritten in place.
IMMUTABLE = "public, max-age=31536000, immutable"
# What uploads are re-encoded to (photos/images.py); anything else is served as bytes.
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
}


def media_settings(environ, *, site_url: str) -> tuple[dict, str]:
    """STORAGES["default"] and MEDIA_URL for the MEDIA_STORAGE the environment names."""
    kind = (environ.get("MEDIA_STORAGE") or "local").strip().lower()
    if kind == "local":
        return LOCAL, "/media/"
    if kind != "s3":
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE : « {kind} » est inconnu ; valeurs possibles : local, s3."
        )
    bucket = (environ.get("AWS_STORAGE_BUCKET_NAME") or "").strip()
    if not bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 demande AWS_STORAGE_BUCKET_NAME, le nom du compartiment (bucket)."
        )
    endpoint = (environ.get("AWS_S3_ENDPOINT_URL") or "").strip().rstrip("/")
    region = (environ.get("AWS_S3_REGION_NAME") or "").strip()
    domain = (environ.get("AWS_S3_CUSTOM_DOMAIN") or "").strip().strip("/")
    protocol = (environ.get("AWS_S3_URL_PROTOCOL") or "https:").strip()
    if domain:
        # A CDN in front of the bucket, or the bucket's own public name.
        media_url = f"{protocol}//{domain}/"
    elif endpoint:
        # MinIO, Garage, Ceph…: buckets as paths under the endpoint.
        media_url = f"{endpoint}/{bucket}/"
    elif region:
        media_url = f"https://{bucket}.s3.{region}.amazonaws.com/"
    else:
        media_url = f"https://{bucket}.s3.amazonaws.com/"
    address = urlsplit(media_url)
    if address.scheme not in ("http", "https") or not address.hostname:
        raise ImproperlyConfigured(
            f"Adresse des médias invalide : « {media_url} » (vérifiez AWS_S3_CUSTOM_DOMAIN, "
            "AWS_S3_URL_PROTOCOL et AWS_S3_ENDPOINT_URL)."
        )
    if address.hostname == urlsplit(site_url).hostname:
        raise ImproperlyConfigured(
            f"Les médias doivent être servis depuis un autre domaine que le site "
            f"({address.hostname}) : un fichier téléversé ne doit jamais pouvoir lire les "
            "cookies ni les pages du site. Donnez un autre nom dans AWS_S3_CUSTOM_DOMAIN."
        )
    storage = {
        "BACKEND": "actualites.s3.MediaBucket",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": region or None,
            # Every address is MEDIA_URL + name: plain, stable and cacheable, never signed.
            "custom_domain": media_url.split("//", 1)[1].rstrip("/"),
            "url_protocol": f"{address.scheme}:",
            "querystring_auth": False,
            "addressing_style": "path" if endpoint else None,
            # Random names already; a clash gets a new name rather than replacing a file.
            "file_overwrite": False,
            # Public reading is the bucket policy's business (README); an ACL only if asked.
            "default_acl": (environ.get("AWS_DEFAULT_ACL") or "").strip() or None,
        },
    }
    return storage, media_url


def media_origin(media_url: str) -> str | None:
    """scheme://host[:port] of media served from elsewhere (for the CSP), None when local."""
    address = urlsplit(media_url)
    return f"{address.scheme}://{address.netloc}" if address.netloc else None


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def stored_files(image) -> list[str]:
    """Names of an uploaded image's original and renditions (a Photo or a BodyImage)."""
    names = [image.image.name] if image.image else []
    for rendition in image.renditions or []:
        names.extend(rendition[key] for key in ("webp", "jpg") if key in rendition)
    return names


def delete_after_commit(names: list[str]) -> None:
    """Remove files once the change that dropped them is committed (never if it rolls back).

    A file that cannot be removed is logged and left: an orphan in the store is harmless, a
    failed request for it is not.
    """
    from django.core.files.storage import default_storage
    from django.db import transaction

    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except Exception:
                logger.exception("Fichier %s non supprimé du stockage des médias", name)

    if names:
        transaction.on_commit(delete)
