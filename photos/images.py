"""Photo uploads: refuse what is not a real image, strip what should not be published.

Every upload is decoded in full by Pillow, restricted to a few formats and a pixel budget,
turned upright, and encoded afresh: EXIF/GPS/XMP metadata and any bytes appended to the
original file do not survive. A valid image that also carries markup or code (a polyglot)
is refused outright. Renditions for responsive pages are made here too.
"""

import io
import re
import unicodedata
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ACCEPTED_LABEL = "JPEG, PNG, WebP ou GIF"
# As long as the photo's own FileField allows (Photo.image, max_length=100).
MAX_FILE_NAME_LENGTH = 100
HIDDEN_CODE = "Ce fichier contient du code caché : il est refusé."
TRAILING_DATA = "Ce fichier contient des données cachées après l’image : il est refusé."
_PNG_END = b"IEND\xaeB`\x82"
# Markup or code hidden in an image (comment block, metadata, appended bytes) that a browser,
# a PHP server or a JS engine would run if the file were ever served as something else. The
# short markers must end like a real tag, so random compressed pixels practically never match.
ACTIVE_CONTENT = re.compile(
    rb"<script|<iframe|javascript:|<html[\s>]|<svg[\s/>]|<\?php\s", re.IGNORECASE
)


@dataclass
class CleanImage:
    content: ContentFile
    width: int
    height: int


def _open_decoded(data: bytes) -> Image.Image:
    max_pixels = settings.PHOTO_MAX_PIXELS
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice its limit; make every bomb an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except UnidentifiedImageError:
            raise ValidationError(
                f"Ce fichier n’est pas une image {ACCEPTED_LABEL} valide.", code="not_an_image"
            ) from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels(max_pixels) from None
        width, height = image.size
        if width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        try:
            # verify() lets truncated files through: decoding every pixel does not.
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels(max_pixels) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(
                "L’image est endommagée ou incomplète : elle ne peut pas être lue.",
                code="corrupt_image",
            ) from None
    return image


def _too_many_pixels(max_pixels):
    return ValidationError(
        "L’image est trop grande : %(megapixels)s mégapixels au maximum.",
        code="too_many_pixels",
        params={"megapixels": max_pixels // 1_000_000},
    )


def _has_trailing_data(data: bytes, image_format: str) -> bool:
    """Bytes after the image's own end: how GIF/JS and PNG polyglots hide their payload.

    JPEG is left out on purpose: phones append legitimate data after the image (motion
    photos), and re-encoding drops it anyway.
    """
    tail = data.rstrip(b"\x00")
    if image_format == "GIF":
        return not tail.endswith(b"\x3b")
    if image_format == "PNG":
        return not tail.endswith(_PNG_END)
    if image_format == "WEBP":
        declared = int.from_bytes(data[4:8], "little") + 8
        return len(data) > declared + 1
    return False


def check_file_name(name: str) -> None:
    """The rule for the names uploads arrive with, in the photo library and the editor alike.

    The name is never kept (files get random names), but one that shows something else than it
    holds (a right-to-left override turning "gpj.exe" around, invisible characters) or that no
    one could read is refused, so the person renames the file rather than trust it.
    """
    if len(name) > MAX_FILE_NAME_LENGTH:
        raise ValidationError(
            "Le nom du fichier est trop long : %(max)s caractères au plus (il en compte "
            "%(length)s). Renommez le fichier puis envoyez-le à nouveau.",
            code="name_too_long",
            params={"max": MAX_FILE_NAME_LENGTH, "length": len(name)},
        )
    # Cc: control characters; Cf: format characters (bidi overrides, zero-width, BOM…).
    if any(unicodedata.category(character) in ("Cc", "Cf") for character in name):
        raise ValidationError(
            "Le nom du fichier contient des caractères invisibles ou de contrôle (par exemple "
            "une inversion du sens d’écriture) : renommez le fichier puis envoyez-le à nouveau.",
            code="name_hidden_characters",
        )


def clean_upload(uploaded_file) -> CleanImage:
    """Validate an uploaded image and return it re-encoded under a random name."""
    check_file_name(uploaded_file.name or "")
    max_bytes = settings.PHOTO_MAX_UPLOAD_BYTES
    if uploaded_file.size is not None and uploaded_file.size > max_bytes:
        raise ValidationError(
            "Le fichier pèse plus que les %(mb)s Mo autorisés.",
            code="too_large",
            params={"mb": max_bytes // (1024 * 1024)},
        )
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            "Le fichier pèse plus que les %(mb)s Mo autorisés.",
            code="too_large",
            params={"mb": max_bytes // (1024 * 1024)},
        )
    if not data:
        raise ValidationError("Le fichier est vide.", code="empty")

    image = _open_decoded(data)
    if ACTIVE_CONTENT.search(data):
        raise ValidationError(HIDDEN_CODE, code="hidden_code")
    if _has_trailing_data(data, image.format):
        raise ValidationError(TRAILING_DATA, code="trailing_data")
    source_format = image.format
    image = ImageOps.exif_transpose(image)

    buffer = io.BytesIO()
    if source_format in ("PNG", "GIF") or image.mode in ("RGBA", "LA", "P"):
        # Keep transparency; an animated GIF keeps only its first frame.
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(buffer, format="PNG", optimize=True)
        extension = "png"
    elif source_format == "WEBP":
        image.convert("RGB").save(buffer, format="WEBP", quality=88)
        extension = "webp"
    else:
        image.convert("RGB").save(buffer, format="JPEG", quality=88, optimize=True)
        extension = "jpg"
    name = f"{uuid.uuid4().hex}.{extension}"
    return CleanImage(ContentFile(buffer.getvalue(), name=name), image.width, image.height)


def build_renditions(image_field) -> list[dict]:
    """Write the responsive renditions of a stored photo and describe them."""
    widths = settings.PHOTO_RENDITION_WIDTHS
    image_field.open("rb")
    try:
        with Image.open(image_field) as original:
            original.load()
            source = original.convert("RGB")
    finally:
        image_field.close()
    stem = image_field.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    renditions = []
    # Never upscale; the smallest rendition exists even for small originals.
    targets = [w for w in widths if w < source.width] or [source.width]
    if source.width not in targets and source.width <= widths[-1]:
        targets.append(source.width)
    for width in sorted(set(targets)):
        height = round(source.height * width / source.width)
        resized = source.resize((width, height), Image.Resampling.LANCZOS)
        entry = {"width": width, "height": height}
        for fmt, ext, options in (
            ("WEBP", "webp", {"quality": 80, "method": 4}),
            ("JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
        ):
            buffer = io.BytesIO()
            resized.save(buffer, format=fmt, **options)
            name = f"renditions/{stem}-{width}.{ext}"
            if default_storage.exists(name):
                default_storage.delete(name)
            entry[ext] = default_storage.save(name, ContentFile(buffer.getvalue()))
            # Feeds give each enclosure's length: known here, never asked of the storage again.
            entry[f"{ext}_bytes"] = buffer.getbuffer().nbytes
        renditions.append(entry)
    return renditions
