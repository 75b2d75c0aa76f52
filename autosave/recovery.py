"""Autosave rules: who may keep a private copy of an article form, and what reopening offers.

The copy is the form's fields as the browser would post them. Nothing here touches the article
itself: only the admin's normal save does, and it discards the copy (see admin.AutosaveMixin).
"""

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from django.contrib.auth.models import AbstractUser
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString

from articles import workflow
from articles.dates import french_moment, french_time
from articles.diffs import revision_diff
from articles.models import Article
from photos.models import Photo

from .models import Autosave

# The article form's own fields; the workflow's (comment, date, note) are not kept.
FIELDS = (
    "title",
    "slug",
    "category",
    "standfirst",
    "body",
    "tags",
    "hero_photo",
    "authors",
    "is_featured",
    "meta_description",
)
# Far above any article (the longest demo text is 12 000 characters), far below a flood.
MAX_CHARS = 400_000
TOO_LARGE = (
    "Ce texte est trop long pour la sauvegarde automatique : il n’est conservé que dans cette "
    "page. Enregistrez l’article pour ne pas le perdre."
)


class TooLarge(Exception):
    """The fields sent exceed MAX_CHARS; the message is for the person, in French."""


def may_autosave(user: AbstractUser, article: Article | None) -> bool:
    """The person may keep a copy of a form they may submit, and only then."""
    if not (user.is_active and user.is_staff):
        return False
    if article is None:
        return user.has_perm("articles.add_article")
    return user.has_perm("articles.change_article") and workflow.can_edit(user, article)


def store(*, by: AbstractUser, article: Article | None, data: QueryDict) -> Autosave:
    """Keep the form's fields for `by` (replacing their previous copy of this form)."""
    fields = {name: data.getlist(name) for name in FIELDS if name in data}
    if sum(len(value) for values in fields.values() for value in values) > MAX_CHARS:
        raise TooLarge(TOO_LARGE)
    version = data.get("version", "")
    autosave, _ = Autosave.objects.update_or_create(
        user=by,
        article=article,
        defaults={
            "fields": fields,
            "base_version": int(version) if version.isdigit() else None,
            "saved_at": timezone.now(),
        },
    )
    return autosave


def discard(*, by: AbstractUser, article: Article | None) -> None:
    Autosave.objects.filter(user=by, article=article).delete()


def pending(*, by: AbstractUser, article: Article | None) -> Autosave | None:
    return Autosave.objects.filter(user=by, article=article).first()


def recovered_values(autosave: Autosave, form) -> dict:
    """The copy as the form's initial values: each widget reads it as it reads a POST."""
    data = QueryDict(mutable=True)
    for name, values in autosave.fields.items():
        data.setlist(name, values)
    return {
        name: form.fields[name].widget.value_from_datadict(data, {}, name)
        for name in FIELDS
        if name in form.fields
    }


@dataclass
class Offer:
    """What the form shows when a copy differs from what is saved."""

    saved_at: datetime
    diff: list[tuple[str, SafeString]]
    other_fields: list[str] = field(default_factory=list)
    # Someone saved the article after this copy was made: recovering would undo their save.
    saved_since: bool = False

    @property
    def time(self) -> str:
        return french_time(self.saved_at)

    @property
    def moment(self) -> str:
        return french_moment(self.saved_at, timezone.now(), in_sentence=True)


def offer(autosave: Autosave | None, form, article: Article | None) -> Offer | None:
    """What the copy would change in the form as it opens; None when it changes nothing."""
    if autosave is None:
        return None
    recovered = recovered_values(autosave, form)
    changed = [
        name
        for name, value in recovered.items()
        if form.fields[name].has_changed(form.get_initial_for_field(form.fields[name], name), value)
    ]
    if not changed:
        return None
    before = SimpleNamespace(
        title=article.title if article else "",
        standfirst=article.standfirst if article else "",
        body=article.body if article else "",
        hero_photo=article.hero_photo if article else None,
    )
    photo = str(recovered.get("hero_photo") or "")
    after = SimpleNamespace(
        title=recovered.get("title") or "",
        standfirst=recovered.get("standfirst") or "",
        body=recovered.get("body") or "",
        hero_photo=Photo.objects.filter(pk=photo).first() if photo.isdigit() else None,
    )
    shown = {"title", "standfirst", "body", "hero_photo"}
    return Offer(
        saved_at=autosave.saved_at,
        diff=revision_diff(before, after),
        other_fields=[str(form.fields[name].label) for name in changed if name not in shown],
        saved_since=bool(
            article and autosave.base_version and autosave.base_version < article.version
        ),
    )
