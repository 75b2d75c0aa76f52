"""Small plain factories: each makes one valid object, overridable field by field."""

import io
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, AuthorProfile, Category
from articles.typography import french_number
from photos.images import build_renditions
from photos.models import Photo

_counter = itertools.count(1)


def image_bytes(fmt="JPEG", size=(1200, 675), colour=(30, 60, 120), **save_options):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, colour).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def upload(name="photo.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type)


def make_user(**overrides):
    n = next(_counter)
    overrides.setdefault("username", f"user{n}")
    overrides.setdefault("email", f"user{n}@example.org")
    password = overrides.pop("password", "Mot-de-passe-solide-42")
    user = get_user_model().objects.create_user(password=password, **overrides)
    return user


def make_author(**overrides):
    n = next(_counter)
    if "user" not in overrides:
        overrides["user"] = make_user()
    # Grouped as the site writes numbers: past a thousand factories, a typography test that
    # reads a default name must not see « 2911 ».
    overrides.setdefault("display_name", f"Auteur Numéro {french_number(n)}")
    overrides.setdefault("slug", f"auteur-{n}")
    return AuthorProfile.objects.create(**overrides)


def make_photo(with_renditions=False, **overrides):
    overrides.setdefault("caption", "Vue de la baie d'Anchorage au crépuscule")
    overrides.setdefault("credit", "Andrew Caballero Reynolds")
    overrides.setdefault("alt_text", "Une baie entourée de montagnes enneigées")
    photo = Photo(**overrides)
    if not photo.image:
        photo.image.save(f"test-{next(_counter)}.jpg", upload(), save=False)
    photo.save()
    if with_renditions:
        photo.renditions = build_renditions(photo.image)
        photo.save(update_fields=["renditions"])
    return photo


def make_article(authors=None, tags=None, **overrides):
    n = next(_counter)
    overrides.setdefault("title", f"Un article d'actualité numéro {french_number(n)}")
    overrides.setdefault("slug", f"article-{n}")
    overrides.setdefault("standfirst", "Un chapô clair qui résume l'essentiel de l'information.")
    overrides.setdefault("body", "<p>Premier paragraphe.</p><h2>Un intertitre</h2><p>Suite.</p>")
    if "category" not in overrides:
        overrides["category"] = Category.objects.get(slug="politique")
    if "hero_photo" not in overrides:
        overrides["hero_photo"] = make_photo()
    overrides.setdefault("status", Article.Status.PUBLISHED)
    if overrides["status"] == Article.Status.PUBLISHED:
        overrides.setdefault("published_at", timezone.now() - timedelta(hours=n % 48 + 1))
    article = Article.objects.create(**overrides)
    article.authors.set(authors if authors is not None else [make_author()])
    if tags:
        article.tags.set(tags)
    return article


def make_member(role, **overrides):
    """A staff account in the Rédacteurs or Éditeurs group, with its author profile."""
    from django.contrib.auth.models import Group

    from newsroom.roles import sync_roles

    sync_roles()
    overrides.setdefault("is_staff", True)
    user = make_user(**overrides)
    user.groups.add(Group.objects.get(name=role))
    make_author(user=user, display_name=f"{user.username.title()} Plume", slug=user.username)
    return user


def make_journalist(**overrides):
    from newsroom.roles import JOURNALISTS

    return make_member(JOURNALISTS, **overrides)


def make_editor(**overrides):
    from newsroom.roles import EDITORS

    return make_member(EDITORS, **overrides)
