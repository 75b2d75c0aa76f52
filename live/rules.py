"""What may happen in a live, and the only place where it happens.

Editors (newsroom.roles.is_editor) run every live: they open and end it, publish held
entries, pin key moments, correct and withdraw any entry. Journalists write in the lives they
are writers of: their entries are published at once or held for an editor, as the editor set
for that live, and they may correct their own. Every decision that changes what readers see
is recorded in LiveEvent, and the pages that show the live are refreshed explicitly.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape, strip_tags

from articles.models import Article
from edge.purging import purge_after_commit
from newsroom.roles import is_editor
from photos.models import Photo
from public_cache import pagecache

from .models import Live, LiveEntry, LiveEvent

Status = LiveEntry.Status
Action = LiveEvent.Action


class LiveError(Exception):
    """A move the live's state does not allow; the message is for the person, in French."""


# Who may do what ------------------------------------------------------------------------------


def is_writer(user: AbstractUser, live: Live) -> bool:
    return (
        user.is_active
        and user.is_staff
        and live.pk is not None
        and live.writers.filter(pk=user.pk).exists()
    )


def can_see(user: AbstractUser, live: Live) -> bool:
    """The live's admin page: its editors and its writers."""
    return is_editor(user) or is_writer(user, live)


def can_post(user: AbstractUser, live: Live) -> bool:
    return is_editor(user) or is_writer(user, live)


def can_run(user: AbstractUser) -> bool:
    """Open, set up, end a live; publish, pin and withdraw its entries."""
    return is_editor(user)


def can_correct(user: AbstractUser, entry: LiveEntry) -> bool:
    if entry.status == Status.WITHDRAWN:
        return False
    if is_editor(user):
        return True
    return entry.author_id == user.pk and is_writer(user, entry.live)


# The live -------------------------------------------------------------------------------------


def why_not_a_live(article: Article) -> str:
    """Why this article cannot become a live, in French; "" when it can."""
    if article.status != Article.Status.PUBLISHED:
        return (
            "Un direct s’ouvre sur un article publié : faites d’abord relire et publier "
            "l’article qui le présente."
        )
    if Live.objects.filter(article=article).exists():
        return "Cet article est déjà un direct."
    return ""


def start(
    article: Article,
    *,
    by: AbstractUser,
    entry_rule: str = Live.EntryRule.AT_ONCE,
    writers=(),
    summary: str = "",
) -> Live:
    """Turn a published article into a live coverage."""
    _require(can_run(by), "Seuls les éditeurs peuvent ouvrir un direct.")
    problem = why_not_a_live(article)
    if problem:
        raise LiveError(problem)
    with transaction.atomic():
        live = Live.objects.create(article=article, entry_rule=entry_rule, summary=summary.strip())
        live.writers.set(writers)
        _record(Action.START, live, by, after=_settings(live))
        _changed(live, cards=True)
    return live


def update(
    live: Live, *, by: AbstractUser, summary: str, entry_rule: str, writers
) -> list[LiveEvent]:
    """The editor's settings: « L’essentiel », the rule for writers' entries, the writers."""
    _require(can_run(by), "Seuls les éditeurs peuvent régler un direct.")
    events = []
    with transaction.atomic():
        live = _lock(live)
        before = _settings(live)
        if summary.strip() != live.summary:
            old = live.summary
            live.summary = summary.strip()
            live.save(update_fields=["summary", "updated_at"])
            events.append(
                _record(
                    Action.SUMMARY,
                    live,
                    by,
                    before={"summary": old},
                    after={"summary": live.summary},
                )
            )
        live.entry_rule = entry_rule
        live.save(update_fields=["entry_rule", "updated_at"])
        live.writers.set(writers)
        after = _settings(live)
        if {k: v for k, v in before.items() if k != "summary"} != {
            k: v for k, v in after.items() if k != "summary"
        }:
            events.append(_record(Action.SETTINGS, live, by, before=before, after=after))
        if events:
            _changed(live)
    return events


def end(live: Live, *, by: AbstractUser) -> Live:
    """Close the live: no more entries; its page says « terminé » and stops refreshing."""
    _require(can_run(by), "Seuls les éditeurs peuvent terminer un direct.")
    with transaction.atomic():
        live = _lock(live)
        if live.state == Live.State.ENDED:
            raise LiveError("Ce direct est déjà terminé.")
        live.state, live.ended_at = Live.State.ENDED, timezone.now()
        live.save(update_fields=["state", "ended_at", "updated_at"])
        _record(Action.END, live, by)
        _changed(live, cards=True)
    return live


def reopen(live: Live, *, by: AbstractUser) -> Live:
    _require(can_run(by), "Seuls les éditeurs peuvent rouvrir un direct.")
    with transaction.atomic():
        live = _lock(live)
        if live.state == Live.State.RUNNING:
            raise LiveError("Ce direct est déjà en cours.")
        live.state, live.ended_at = Live.State.RUNNING, None
        live.save(update_fields=["state", "ended_at", "updated_at"])
        _record(Action.REOPEN, live, by)
        _changed(live, cards=True)
    return live


# Entries --------------------------------------------------------------------------------------


def post(
    live: Live,
    *,
    by: AbstractUser,
    text: str,
    title: str = "",
    photo: Photo | None = None,
    quote_url: str = "",
    quote_text: str = "",
) -> LiveEntry:
    """A new entry, from plain text (blank lines make paragraphs): published at once when
    an editor writes it or the live lets its writers publish, else held for an editor."""
    _require(can_post(by, live), "Vous n’écrivez pas dans ce direct.")
    body = text_to_html(text)
    if not strip_tags(body).strip():
        raise LiveError("L’entrée est vide : écrivez son texte avant de l’envoyer.")
    with transaction.atomic():
        live = _lock(live)
        if live.state != Live.State.RUNNING:
            raise LiveError("Ce direct est terminé : il ne reçoit plus d’entrées.")
        at_once = is_editor(by) or live.entry_rule == Live.EntryRule.AT_ONCE
        now = timezone.now()
        entry = LiveEntry.objects.create(
            live=live,
            status=Status.PUBLISHED if at_once else Status.HELD,
            title=title.strip(),
            body=body,
            photo=photo,
            quote_url=quote_url.strip(),
            quote_text=quote_text.strip(),
            author=by,
            created_at=now,
            published_at=now if at_once else None,
        )
        if at_once:
            _changed(live)
    return entry


def publish(entry: LiveEntry, *, by: AbstractUser) -> LiveEntry:
    """A held entry goes public, timed now."""
    _require(can_run(by), "Seuls les éditeurs publient les entrées gardées.")
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status != Status.HELD:
            raise LiveError("Cette entrée n’attend pas de publication.")
        if entry.live.state != Live.State.RUNNING:
            raise LiveError("Ce direct est terminé : rouvrez-le pour publier cette entrée.")
        entry.status, entry.published_at = Status.PUBLISHED, timezone.now()
        entry.save(update_fields=["status", "published_at"])
        _record(Action.PUBLISH, entry.live, by, entry=entry, after=_snapshot(entry))
        _changed(entry.live)
    return entry


def correct(
    entry: LiveEntry,
    *,
    by: AbstractUser,
    body: str,
    title: str = "",
    photo: Photo | None = None,
    quote_url: str = "",
    quote_text: str = "",
) -> LiveEntry:
    """Change an entry; once published, readers see « modifié à 14h32 » beside it."""
    _require(can_correct(by, entry), "Vous ne pouvez pas modifier cette entrée.")
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status == Status.WITHDRAWN:
            raise LiveError("Cette entrée a été retirée : elle ne se modifie plus.")
        before = _snapshot(entry)
        entry.body, entry.title = body, title.strip()
        entry.photo, entry.quote_url, entry.quote_text = (
            photo,
            quote_url.strip(),
            quote_text.strip(),
        )
        # The field sanitizes the body as it saves it, on the instance too.
        entry.save(update_fields=["body", "title", "photo", "quote_url", "quote_text"])
        if not strip_tags(entry.body).strip():
            raise LiveError("L’entrée ne peut pas être vide : retirez-la plutôt.")
        after = _snapshot(entry)
        if after == before:
            return entry
        if entry.status == Status.PUBLISHED:
            entry.corrected_at = timezone.now()
            entry.save(update_fields=["corrected_at"])
            _record(Action.CORRECT, entry.live, by, entry=entry, before=before, after=after)
            _changed(entry.live)
    return entry


def pin(entry: LiveEntry, *, by: AbstractUser, key_moment: bool = True) -> LiveEntry:
    """Mark a published entry as a « Moment clé » (shown at the top of the page), or unmark."""
    _require(can_run(by), "Seuls les éditeurs choisissent les moments clés.")
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status != Status.PUBLISHED:
            raise LiveError("Seule une entrée publiée peut être un moment clé.")
        if entry.is_key_moment == key_moment:
            return entry
        entry.is_key_moment = key_moment
        entry.save(update_fields=["is_key_moment"])
        _record(Action.PIN if key_moment else Action.UNPIN, entry.live, by, entry=entry)
        _changed(entry.live)
    return entry


def withdraw(entry: LiveEntry, *, by: AbstractUser, reason: str) -> LiveEntry:
    """Take an entry off the page; it stays in the admin and the trail, with the reason."""
    _require(can_run(by), "Seuls les éditeurs retirent une entrée.")
    if not reason.strip():
        raise LiveError("Indiquez la raison du retrait : elle est gardée dans le journal.")
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status == Status.WITHDRAWN:
            raise LiveError("Cette entrée est déjà retirée.")
        was_public = entry.status == Status.PUBLISHED
        before = _snapshot(entry)
        entry.status, entry.withdrawn_at, entry.is_key_moment = (
            Status.WITHDRAWN,
            timezone.now(),
            False,
        )
        entry.save(update_fields=["status", "withdrawn_at", "is_key_moment"])
        _record(Action.WITHDRAW, entry.live, by, entry=entry, before=before, reason=reason.strip())
        if was_public:
            _changed(entry.live)
    return entry


# Helpers --------------------------------------------------------------------------------------


def text_to_html(text: str) -> str:
    """The quick form's plain text as paragraphs: nothing typed is taken for HTML."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br>".join(escape(line.strip()) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _lock(live: Live) -> Live:
    return Live.objects.select_for_update().select_related("article").get(pk=live.pk)


def _lock_entry(entry: LiveEntry) -> LiveEntry:
    locked = LiveEntry.objects.select_for_update().get(pk=entry.pk)
    locked.live = Live.objects.select_related("article").get(pk=locked.live_id)
    return locked


def _changed(live: Live, *, cards: bool = False) -> None:
    """What readers see of the live changed: its version (the key of the page's live
    fragments), then the cached pages that show it: the live's page, poll endpoint and feed
    (key live-<id>), at the origin and in shared caches. With `cards` (a live opened, ended,
    reopened), the cards of its article too, for their « En direct » badge (key article-<id>,
    which every card names)."""
    Live.objects.filter(pk=live.pk).update(version=F("version") + 1, updated_at=timezone.now())
    live.refresh_from_db(fields=["version", "updated_at"])
    keys = {f"live-{live.pk}"}
    if cards:
        keys.add(f"article-{live.article_id}")
    pagecache.invalidate(keys)
    purge_after_commit(keys)


def _settings(live: Live) -> dict:
    return {
        "summary": live.summary,
        "entry_rule": live.entry_rule,
        "writers": sorted(live.writers.values_list("username", flat=True)),
    }


def _snapshot(entry: LiveEntry) -> dict:
    return {
        "status": entry.status,
        "title": entry.title,
        "body": entry.body,
        "photo_id": entry.photo_id,
        "quote_url": entry.quote_url,
        "quote_text": entry.quote_text,
    }


def _record(action, live, user, *, entry=None, before=None, after=None, reason="") -> LiveEvent:
    return LiveEvent.record(
        action,
        by=user,
        live_id=live.pk,
        article_title=live.article.title,
        entry_id=entry.pk if entry else None,
        reason=reason,
        before=before,
        after=after,
    )
