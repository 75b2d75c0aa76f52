"""Images inside an article's text, served like hero photos.

The stored text keeps CKEditor's plain <img src alt> (the sanitizer allows nothing more, and the
editor must get back what it wrote). At display time each image uploaded through the editor
becomes a <picture> with WebP and JPEG renditions, its intrinsic width and height, and lazy
loading. The result is cached with the page's fragments, so the one query is rarely run.
"""

import re
from html import unescape

from django.conf import settings
from django.utils.html import format_html

from .models import BodyImage

IMG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
# "Légende. © Agence" in a caption: the credit is shown as the hero photo's is.
CAPTION_CREDIT = re.compile(
    r"(<figcaption>(?:(?!</figcaption>).)*?)\s*(©[^<]*)(</figcaption>)", re.S
)
# The text column: about 750 px wide on a desktop, the whole width on a phone.
SIZES = "(min-width: 900px) 752px, 100vw"


def responsive_images(html: str) -> str:
    """Sanitized rich text with its editor-uploaded images as responsive <picture>s."""
    if "<img" not in html:
        return html
    images = _images_by_name(html)
    html = IMG.sub(lambda match: _picture(match.group(0), images), html)
    return CAPTION_CREDIT.sub(_credit, html)


def _credit(match: re.Match) -> str:
    # One ordinary space between the caption and its credit, whatever the editor typed: the
    # credit takes no margin of its own (that made two spaces).
    caption, credit, end = match.groups()
    space = "" if caption == "<figcaption>" else " "
    return f'{caption}{space}<span class="credit">{credit.strip()}</span>{end}'


def _attributes(tag: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in ATTRIBUTE.findall(tag)}


def _storage_name(src: str) -> str | None:
    # Texts written before the media moved to a bucket still say /media/ (README, « Passer à
    # l’échelle »): their images are found all the same, and shown from the bucket.
    for media in (settings.MEDIA_URL, "/media/"):
        if src.startswith(media):
            return src[len(media) :]
    return None


def _images_by_name(html: str) -> dict[str, BodyImage]:
    names = {_storage_name(_attributes(tag).get("src", "")) for tag in IMG.findall(html)}
    names.discard(None)
    if not names:
        return {}
    return {image.image.name: image for image in BodyImage.objects.filter(image__in=names)}


def _picture(tag: str, images: dict[str, BodyImage]) -> str:
    attributes = _attributes(tag)
    image = images.get(_storage_name(attributes.get("src", "")) or "")
    if image is None:
        # An outside address or an older upload: kept as it is, loaded lazily all the same.
        return tag[:-1] + ' loading="lazy" decoding="async">'
    source = img_srcset = ""
    if image.renditions:
        source = format_html(
            '<source type="image/webp" srcset="{}" sizes="{}">', image.webp_srcset, SIZES
        )
        img_srcset = format_html(' srcset="{}" sizes="{}"', image.jpeg_srcset, SIZES)
    return format_html(
        '<picture>{}<img src="{}"{} width="{}" height="{}" alt="{}" loading="lazy" '
        'decoding="async"></picture>',
        source,
        image.fallback_url,
        img_srcset,
        image.width,
        image.height,
        attributes.get("alt", ""),
    )
