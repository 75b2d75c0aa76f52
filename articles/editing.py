"""Saving an article's text: what every save does, from the admin, a command or a test.

A save stamps who made it and bumps the version (the optimistic lock of the admin's form),
keeps a public article's former address answering (a redirect), tells readers what changed
in a live article (a public note, unless the fix is minor), keeps a revision of the text and
photo, and refreshes the pages showing the article. Moves between states are workflow.py's.
"""

from django.contrib.auth.models import AbstractUser
from django.db import transaction

from public_cache import invalidation

from . import workflow
from .models import Article, ArticleRevision
from .sanitize import plain_text_view, reader_view
from .workflow import WorkflowError

# Changing these on a live article is something readers must be told about, compared as
# readers see them: markup or spacing noise from the editor is not a change.
NOTED_FIELDS = {
    "title": plain_text_view,
    "standfirst": plain_text_view,
    "body": reader_view,
    "hero_photo": lambda photo_id: photo_id,
}

STALE = (
    "Cet article a été modifié par quelqu’un d’autre depuis que vous l’avez ouvert : "
    "rechargez-le, puis reportez vos changements."
)


def changed_for_readers(stored: Article, article: Article) -> list[str]:
    """The fields of NOTED_FIELDS whose reader's view differs between two states."""
    changed = []
    for name, view in NOTED_FIELDS.items():
        attname = Article._meta.get_field(name).attname  # the photo's id, not the photo
        if view(getattr(stored, attname)) != view(getattr(article, attname)):
            changed.append(name)
    return changed


def save(
    article: Article,
    *,
    by: AbstractUser,
    note_kind: str = "",
    note_text: str = "",
    minor: bool = False,
    unpublishing: bool = False,
) -> ArticleRevision:
    """Save `article` as `by` changed it (in memory), with everything a save records.

    A live article whose text or photo changed needs `note_text` (and `note_kind`) for
    readers, or `minor`; WorkflowError otherwise, and nothing is saved. `unpublishing`: the
    article goes offline right after, with its reason, not a note for readers who won't see
    it.
    """
    with transaction.atomic():
        stored = None
        if article.pk is None:
            article.created_by = by
        else:
            stored = Article.objects.select_for_update().defer("search_vector").get(pk=article.pk)
            if article.version != stored.version:
                raise WorkflowError(STALE)
            article.version = stored.version + 1
        article.updated_by = by
        article.save()
        if stored is not None:
            workflow.record_slug_change(article, stored.slug)
            if stored.is_published and not unpublishing and changed_for_readers(stored, article):
                workflow.record_change(article, by=by, kind=note_kind, text=note_text, minor=minor)
        revision = workflow.save_revision(article, by=by)
        # The pages showing it, under its section, keywords and authors as they stand.
        invalidation.changed(article=article)
    return revision
