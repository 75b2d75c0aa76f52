"""The photo library's rules: who may change a photo, and what changing one records.

A photo is shared: every article using it shows what it holds, so it follows those articles.
A journalist may change a photo only while she may still edit each article using it herself
(her own, in draft or sent back) and no author page shows it as a portrait; once an article
using it is under review, scheduled, published or withdrawn, only editors may. Each change
goes to the history of every article using the photo (workflow.record_photo_change, which
audits those under review or online), and the pages and feeds showing it are refreshed.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from actualites.media_storage import delete_after_commit, stored_files
from articles import workflow
from articles.models import Article, AuthorProfile, Transition
from newsroom.roles import is_editor
from public_cache import invalidation

from .images import build_renditions
from .models import Photo

# What the history and the audit trail keep of a photo, with the words the history uses.
RECORDED = {
    "image": "image",
    "caption": "légende",
    "credit": "crédit",
    "alt_text": "texte alternatif",
}


def articles_using(photo: Photo):
    return Article.objects.filter(hero_photo=photo).order_by("pk")


def why_locked(user: AbstractUser, photo: Photo) -> str:
    """Why this person may not change the photo, in French; "" when she may."""
    if not (user.is_active and user.has_perm("photos.change_photo")):
        return "Votre rôle ne permet pas de modifier les photos."
    if is_editor(user) or photo.pk is None:
        return ""
    if AuthorProfile.objects.filter(portrait=photo).exists():
        return "Cette photo est le portrait d’un auteur : seuls les éditeurs peuvent la modifier."
    for article in articles_using(photo):
        if not workflow.can_edit(user, article):
            whose = (
                "qui n’est plus entre vos mains"
                if workflow.is_own(user, article)
                else "dont vous n’êtes pas l’auteur"
            )
            return (
                f"Cette photo illustre « {article.title} » ({article.status_label.lower()}), "
                f"un article {whose} : seuls les éditeurs peuvent la modifier. Pour changer "
                "d’image, téléversez une nouvelle photo."
            )
    return ""


def can_change(user: AbstractUser, photo: Photo) -> bool:
    return not why_locked(user, photo)


def add(photo: Photo, *, by: AbstractUser) -> Photo:
    """A new photo in the library, with its renditions. It shows nowhere yet."""
    if not (by.is_active and by.has_perm("photos.add_photo")):
        raise PermissionDenied("Votre rôle ne permet pas d’ajouter des photos.")
    photo.uploaded_by = by
    photo.save()
    photo.renditions = build_renditions(photo.image)
    photo.save(update_fields=["renditions"])
    return photo


def change(photo: Photo, *, by: AbstractUser) -> list[Transition]:
    """Save what was changed on `photo` (in memory), if `by` may; then record and refresh.

    Returns the history lines written, one per article using the photo.
    """
    with transaction.atomic():
        stored = Photo.objects.select_for_update().get(pk=photo.pk)
        reason = why_locked(by, stored)
        if reason:
            raise PermissionDenied(reason)
        before = snapshot(stored)
        photo.save()
        if photo.image.name != stored.image.name or not photo.renditions:
            photo.renditions = build_renditions(photo.image)
            photo.save(update_fields=["renditions"])
        if photo.image.name != stored.image.name:
            # A replaced image is often one that must not stay online: its files go too.
            delete_after_commit(stored_files(stored))
        after = snapshot(photo)
        # Said here rather than left to a signal: whoever reads change() sees the refresh.
        invalidation.changed(photo=photo)
        if after == before:
            return []
        comment = _describe(before, after)
        steps = [
            workflow.record_photo_change(
                article, by=by, comment=comment, before=before, after=after
            )
            for article in articles_using(photo)
        ]
    return steps


def delete(photo: Photo, *, by: AbstractUser) -> None:
    """Delete a photo no article uses, and its files once that is committed."""
    if not (by.is_active and by.has_perm("photos.delete_photo")):
        raise PermissionDenied("Votre rôle ne permet pas de supprimer les photos.")
    reason = why_locked(by, photo)
    if reason:
        raise PermissionDenied(reason)
    files, pk = stored_files(photo), photo.pk
    with transaction.atomic():
        photo.delete()  # An article's photo is protected: ProtectedError, nothing deleted.
        delete_after_commit(files)
        invalidation.changed(photo=pk)  # An author's portrait may have been this photo.


def snapshot(photo: Photo) -> dict:
    return {"photo_id": photo.pk, **{field: str(getattr(photo, field)) for field in RECORDED}}


def _describe(before: dict, after: dict) -> str:
    """ "Photo n° 3 modifiée : nouvelle image ; crédit « AFP » → « Reuters »." """
    changes = []
    for field, label in RECORDED.items():
        if before[field] == after[field]:
            continue
        if field == "image":
            changes.append("nouvelle image")
        else:
            changes.append(f"{label} « {before[field]} » → « {after[field]} »")
    return f"Photo n° {after['photo_id']} modifiée : " + " ; ".join(changes) + "."
