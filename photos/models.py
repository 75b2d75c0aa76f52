"""Photos with their credit and renditions, and the images inserted in articles' texts."""

import re

from django.conf import settings
from django.db import models

from articles.links import media_url

# « Illustration : Nom », « illustration: Nom », « © Illustration : Nom »…
_ILLUSTRATION_CREDIT = re.compile(r"^\s*©?\s*illustration\s*:\s*", re.IGNORECASE)


class Responsive:
    """Renditions for <picture>: [{"width", "height", "webp", "jpg"}] made by images.py."""

    def _srcset(self, key):
        return ", ".join(f"{media_url(r[key])} {r['width']}w" for r in self.renditions if key in r)

    @property
    def webp_srcset(self):
        return self._srcset("webp")

    @property
    def jpeg_srcset(self):
        return self._srcset("jpg")

    def url_for_width(self, width):
        """URL of the smallest JPEG rendition at least `width` wide, else the original."""
        candidates = sorted(self.renditions, key=lambda r: r["width"])
        for rendition in candidates:
            if rendition["width"] >= width:
                return media_url(rendition["jpg"])
        if candidates:
            return media_url(candidates[-1]["jpg"])
        return self.image.url

    @property
    def fallback_url(self):
        return self.url_for_width(800)


class Photo(Responsive, models.Model):
    image = models.ImageField(
        "image", upload_to="photos/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField("largeur", editable=False, default=0)
    height = models.PositiveIntegerField("hauteur", editable=False, default=0)
    caption = models.CharField("légende", max_length=300, blank=True)
    credit = models.CharField(
        "crédit",
        max_length=120,
        help_text="Nom du photographe ou de l’agence, sans « © ». Pour un dessin, une "
        "infographie ou une image générée, écrivez « Illustration : » suivi de son auteur.",
    )
    alt_text = models.CharField(
        "texte alternatif",
        max_length=250,
        help_text="Ce que montre la photo, pour les lecteurs qui ne la voient pas.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="téléversée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField("téléversée le", auto_now_add=True)
    # [{"width": 800, "height": 450, "webp": "renditions/….webp", "jpg": "renditions/….jpg"}]
    renditions = models.JSONField("déclinaisons", default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at"]
        # Moved from articles/ with its rows (photos/migrations/0001_initial.py).
        db_table = "articles_photo"
        verbose_name = "photo"
        verbose_name_plural = "photos"

    def __str__(self):
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        # FieldFile.save(save=False) can leave the dimension fields empty: read them back.
        if self.image and not (self.width and self.height):
            self.width, self.height = self.image.width, self.image.height
        super().save(*args, **kwargs)

    @property
    def is_illustration(self):
        """A drawing or a generated image, whose credit begins « Illustration : »."""
        return _ILLUSTRATION_CREDIT.match(self.credit) is not None

    @property
    def credit_name(self):
        """Who made the picture: the credit without « © » nor « Illustration : »."""
        return _ILLUSTRATION_CREDIT.sub("", self.credit).lstrip("©").strip()

    @property
    def credit_line(self):
        """Under the picture: « © AFP » for a photo, « Illustration : Actualités Express »
        for an illustration, which no reader may take for a photograph."""
        if self.is_illustration:
            return f"Illustration\u00a0: {self.credit_name}"
        return self.copyright_notice

    @property
    def attribution(self):
        """Where text stands alone (feeds, e-mails): « Photo : © AFP », « Illustration : … »."""
        return self.credit_line if self.is_illustration else f"Photo\u00a0: {self.credit_line}"

    @property
    def copyright_notice(self):
        return f"© {self.credit_name}"


class BodyImage(Responsive, models.Model):
    """An image inserted in an article's text with CKEditor, and its responsive renditions.

    The text itself keeps a plain <img src alt> (what CKEditor edits and the sanitizer allows);
    photos/body_images.py turns it into a <picture> like the hero photo's when displayed.
    """

    image = models.ImageField(
        "image", upload_to="editor/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField("largeur", editable=False, default=0)
    height = models.PositiveIntegerField("hauteur", editable=False, default=0)
    renditions = models.JSONField("déclinaisons", default=list, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="téléversée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("téléversée le", auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        db_table = "articles_bodyimage"
        verbose_name = "image du texte"
        verbose_name_plural = "images du texte"

    def __str__(self):
        return self.image.name
