import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from photos.images import build_renditions, clean_upload
from tests.factories import image_bytes, make_photo, upload

pytestmark = pytest.mark.django_db


def jpeg_with_gps():
    image = Image.new("RGB", (640, 480), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def png_with_declared_size(width, height):
    """A tiny PNG whose header claims enormous dimensions (a decompression bomb)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


def refusal(content, name="photo.jpg"):
    with pytest.raises(ValidationError) as error:
        clean_upload(upload(name, content))
    return " ".join(error.value.messages)


def test_valid_jpeg_is_reencoded_without_metadata_under_a_random_name():
    cleaned = clean_upload(upload("IMG_0001 vacances.jpg", jpeg_with_gps()))

    assert cleaned.content.name.endswith(".jpg")
    assert "vacances" not in cleaned.content.name
    reopened = Image.open(io.BytesIO(cleaned.content.read()))
    assert reopened.format == "JPEG"
    assert dict(reopened.getexif()) == {}


def test_bytes_appended_after_a_gif_are_refused():
    appended = image_bytes("GIF", (40, 40)) + b"TRAILING-BYTES"
    assert "données cachées" in refusal(appended, "anim.gif")


def test_html_named_jpg_is_refused():
    assert "n’est pas une image" in refusal(b"<html><script>alert(1)</script></html>")


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "n’est pas une image" in refusal(svg, "dessin.svg")


def test_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", (800, 600), quality=95)
    assert "endommagée" in refusal(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding():
    assert "mégapixels" in refusal(png_with_declared_size(50_000, 50_000), "bomb.png")


def test_image_over_the_pixel_budget_is_refused(settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    assert "trop grande" in refusal(image_bytes("PNG", (200, 200)), "big.png")


def test_file_over_the_size_limit_is_refused(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    assert "Mo autorisés" in refusal(image_bytes("JPEG", (600, 600)))


def test_renditions_never_upscale_and_come_in_webp_and_jpeg():
    photo = make_photo()  # 1200 px wide
    renditions = build_renditions(photo.image)

    assert [r["width"] for r in renditions] == [480, 800, 1200]
    for rendition in renditions:
        assert rendition["webp"].endswith(".webp")
        assert rendition["jpg"].endswith(".jpg")
        assert rendition["height"] == round(675 * rendition["width"] / 1200)
