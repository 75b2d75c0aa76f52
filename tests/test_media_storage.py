"""Photos in an S3-compatible bucket (MEDIA_STORAGE=s3), against a real S3 API.

moto runs in server mode on a loopback port for these tests: django-storages and boto3 talk to
it over HTTP as they would to AWS, MinIO or any other S3 service, and the public addresses the
pages show are fetched from it like a browser would.
"""

import io
import json
import os
import re
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path
from xml.etree import ElementTree

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from actualites.media_storage import media_settings
from photos.body_images import responsive_images
from photos.images import build_renditions
from photos.models import BodyImage, Photo
from tests.factories import image_bytes, make_article, make_editor, make_photo, upload

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://www.exemple.fr"
RANDOM_NAME = r"[0-9a-f]{32}"
RENDITION_COUNT = 2 * 3  # WebP and JPEG at 480, 800 and 1200 px for a 1200 px wide photo.


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 API on 127.0.0.1, on a port the system picks."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """A fresh bucket, and the site configured for it exactly as the environment would."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "cle-de-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-de-test")
    name = f"medias-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-3",
        aws_access_key_id="cle-de-test",
        aws_secret_access_key="secret-de-test",
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    # Anyone may read the media, as a CDN or a browser does (README, « Passer à l'échelle »).
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    storage, media_url = media_settings(
        {
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": name,
            "AWS_S3_ENDPOINT_URL": s3_server,
            "AWS_S3_REGION_NAME": "eu-west-3",
        },
        site_url=SITE_URL,
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_URL = media_url
    return Bucket(client, name, media_url)


def public_read_policy(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


class Bucket:
    def __init__(self, client, name, media_url):
        self.client, self.name, self.url = client, name, media_url

    def names(self) -> set[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listing.get("Contents", [])}

    def head(self, name) -> dict:
        return self.client.head_object(Bucket=self.name, Key=name)

    def fetch(self, url):
        """What a browser gets from a public media address: no credentials at all."""
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.headers, response.read()


def names_of(photo) -> set[str]:
    return {photo.image.name} | {r[key] for r in photo.renditions for key in ("webp", "jpg")}


def jpeg_with_gps():
    image = Image.new("RGB", (1200, 675), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def editor(client):
    user = make_editor()
    client.force_login(user)
    return user


def add_photo_in_admin(client, content, name="IMG_2291.jpg"):
    response = client.post(
        reverse("admin:photos_photo_add"),
        {
            "image": upload(name, content),
            "caption": "Le port de Brest au petit matin",
            "credit": "Yann Le Goff",
            "alt_text": "Des chalutiers à quai",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Photo.objects.get()


def test_photo_uploaded_in_the_admin_is_stored_reencoded_in_the_bucket(client, editor, bucket):
    photo = add_photo_in_admin(client, jpeg_with_gps())

    assert re.fullmatch(rf"photos/{RANDOM_NAME}\.jpg", photo.image.name)
    assert bucket.names() == names_of(photo)
    assert len(photo.renditions) == 3
    headers, stored = bucket.fetch(photo.image.url)
    assert photo.image.url == f"{bucket.url}{photo.image.name}"
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Re-encoded: what the camera wrote (maker, GPS position) is not in the stored file.
    assert b"CameraMaker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_renditions_in_the_bucket_carry_their_own_content_type(client, editor, bucket):
    photo = add_photo_in_admin(client, image_bytes(size=(1200, 675)))

    for rendition in photo.renditions:
        assert re.fullmatch(
            rf"renditions/{RANDOM_NAME}-{rendition['width']}\.webp", rendition["webp"]
        )
        assert bucket.head(rendition["webp"])["ContentType"] == "image/webp"
        assert bucket.head(rendition["jpg"])["ContentType"] == "image/jpeg"
        headers, stored = bucket.fetch(f"{bucket.url}{rendition['webp']}")
        assert headers["Content-Type"] == "image/webp"
        assert Image.open(io.BytesIO(stored)).size == (rendition["width"], rendition["height"])


def test_png_keeps_its_type_in_the_bucket(client, editor, bucket):
    photo = add_photo_in_admin(client, image_bytes("PNG", size=(600, 400)), name="carte.png")

    assert photo.image.name.endswith(".png")
    assert bucket.head(photo.image.name)["ContentType"] == "image/png"


def test_public_article_page_shows_the_photo_from_the_bucket(client, bucket):
    article = make_article(hero_photo=make_photo(with_renditions=True))

    html = client.get(article.get_absolute_url()).content.decode()

    addresses = re.findall(r'(?:src|srcset)="([^"]+)"', html)
    media = [a for a in addresses if "renditions/" in a or "photos/" in a]
    assert media, html[:2000]
    for address in media:
        for candidate in address.split(", "):
            assert candidate.startswith(bucket.url), candidate
    first = media[0].split(", ")[0].split(" ")[0]
    headers, _ = bucket.fetch(first)
    assert headers["Content-Type"] in {"image/webp", "image/jpeg"}


def test_image_uploaded_in_the_editor_goes_to_the_bucket_and_shows_as_a_picture(
    client, editor, bucket
):
    response = client.post(
        reverse("articles:editor-upload"),
        {"upload": upload("quai.jpg", image_bytes(size=(1600, 900)))},
    )

    assert response.status_code == 200
    url = response.json()["url"]
    image = BodyImage.objects.get()
    assert url == f"{bucket.url}{image.image.name}"
    assert re.fullmatch(rf"editor/{RANDOM_NAME}\.jpg", image.image.name)
    assert bucket.names() == names_of(image)
    html = responsive_images(f'<figure class="image"><img src="{url}" alt="Un quai"></figure>')
    assert f'<source type="image/webp" srcset="{bucket.url}renditions/' in html
    assert ' 1600w"' in html and 'width="1600" height="900"' in html


def test_replacing_a_photo_in_the_admin_puts_new_files_and_removes_the_old_ones(
    client, editor, bucket, django_capture_on_commit_callbacks
):
    photo = add_photo_in_admin(client, image_bytes(size=(1200, 675)))
    old_files = names_of(photo)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:photos_photo_change", args=[photo.pk]),
            {
                "image": upload("autre.jpg", image_bytes(size=(800, 600), colour=(10, 200, 10))),
                "caption": photo.caption,
                "credit": photo.credit,
                "alt_text": photo.alt_text,
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    photo.refresh_from_db()
    assert not old_files & names_of(photo)
    assert bucket.names() == names_of(photo)
    assert (photo.width, photo.height) == (800, 600)


def test_rebuilding_renditions_rewrites_them_under_the_same_names(bucket):
    photo = make_photo(with_renditions=True)
    before = bucket.names()

    again = build_renditions(photo.image)

    assert again == photo.renditions
    assert bucket.names() == before


def test_deleting_a_photo_in_the_admin_removes_its_files_from_the_bucket(
    client, editor, bucket, django_capture_on_commit_callbacks
):
    photo = add_photo_in_admin(client, image_bytes())
    assert bucket.names() == names_of(photo)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:photos_photo_delete", args=[photo.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert bucket.names() == set()


def test_a_photo_an_article_uses_is_not_deleted_and_keeps_its_files(
    client, editor, bucket, django_capture_on_commit_callbacks
):
    article = make_article(hero_photo=make_photo(with_renditions=True))
    files = bucket.names()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:photos_photo_delete", args=[article.hero_photo.pk]), {"post": "yes"}
        )

    assert Photo.objects.filter(pk=article.hero_photo.pk).exists()
    assert bucket.names() == files


# The settings, read from the environment in a fresh process as the site reads them.


def site_settings(**environ):
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'default': settings.STORAGES['default'], "
        "'media_url': settings.MEDIA_URL, 'serve': settings.SERVE_MEDIA, "
        "'img': settings.SECURE_CSP['img-src'], 'admin_img': settings.SECURE_CSP_ADMIN['img-src']}))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "MEDIA_STORAGE"))
    }
    env.update(DJANGO_SETTINGS_MODULE="actualites.settings", DJANGO_SECRET_KEY="t", **environ)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        return result.stderr.strip().splitlines()[-1]
    return json.loads(result.stdout)


def test_media_stay_on_the_local_disk_by_default():
    configured = site_settings()

    assert configured["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert configured["media_url"] == "/media/"
    assert configured["serve"] is True
    assert configured["img"] == ["'self'", "data:"]


def test_bucket_behind_a_cdn_domain_gives_the_media_addresses_and_the_csp():
    configured = site_settings(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="actualites-medias",
        AWS_S3_REGION_NAME="eu-west-3",
        AWS_S3_CUSTOM_DOMAIN="medias.exemple.fr",
        SITE_URL=SITE_URL,
    )

    assert configured["media_url"] == "https://medias.exemple.fr/"
    assert configured["default"]["BACKEND"] == "actualites.s3.MediaBucket"
    assert configured["default"]["OPTIONS"]["bucket_name"] == "actualites-medias"
    assert configured["default"]["OPTIONS"]["querystring_auth"] is False
    assert configured["serve"] is False
    assert "https://medias.exemple.fr" in configured["img"]
    assert "https://medias.exemple.fr" in configured["admin_img"]


def test_bucket_without_cdn_is_addressed_by_its_own_name():
    on_aws = site_settings(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="ae-medias", AWS_S3_REGION_NAME="eu-west-3"
    )
    on_minio = site_settings(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="ae-medias",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        SITE_URL="https://localhost",
    )

    assert on_aws["media_url"] == "https://ae-medias.s3.eu-west-3.amazonaws.com/"
    assert on_minio["media_url"] == "http://127.0.0.1:9000/ae-medias/"
    assert on_minio["default"]["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"


def test_media_on_the_site_s_own_domain_are_refused_in_french():
    error = site_settings(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="ae-medias",
        AWS_S3_CUSTOM_DOMAIN="www.exemple.fr/medias",
        SITE_URL=SITE_URL,
    )

    assert "ImproperlyConfigured" in error
    assert "autre domaine que le site" in error


def test_bucket_storage_without_a_bucket_name_is_refused_in_french():
    error = site_settings(MEDIA_STORAGE="s3")

    assert "AWS_STORAGE_BUCKET_NAME" in error and "ImproperlyConfigured" in error


def test_unknown_media_storage_is_refused_in_french():
    error = site_settings(MEDIA_STORAGE="ftp")

    assert "« ftp » est inconnu" in error


def test_images_of_texts_written_before_the_move_to_the_bucket_are_shown_from_it(bucket):
    image = BodyImage(width=1600, height=900)
    image.image.save("ancienne.jpg", upload(content=image_bytes(size=(1600, 900))), save=False)
    image.renditions = build_renditions(image.image)
    image.save()

    html = responsive_images(f'<p><img src="/media/{image.image.name}" alt="Un quai"></p>')

    assert f'<source type="image/webp" srcset="{bucket.url}renditions/' in html
    assert f'<img src="{bucket.url}renditions/' in html


def test_feed_gives_enclosure_lengths_without_asking_the_bucket(client, bucket, monkeypatch):
    from actualites.s3 import MediaBucket

    article = make_article(hero_photo=make_photo(with_renditions=True))
    photo = article.hero_photo

    def no_request(self, name):
        raise AssertionError(f"taille demandée au compartiment : {name}")

    monkeypatch.setattr(MediaBucket, "size", no_request)
    feed = client.get(reverse("articles:feed")).content

    enclosure = ElementTree.fromstring(feed).find("channel/item/enclosure")
    name = enclosure.get("url").removeprefix(bucket.url)
    assert name in {r["jpg"] for r in photo.renditions}
    assert int(enclosure.get("length")) == bucket.head(name)["ContentLength"] > 0
