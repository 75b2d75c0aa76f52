import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from articles.models import Article
from live import rules
from live.models import Live, LiveEntry, LiveEvent
from live.rules import LiveError
from public_cache import pagecache
from tests.factories import make_article
from tests.live.factories import make_editor, make_journalist, make_live, post_at

pytestmark = pytest.mark.django_db

Status = LiveEntry.Status


@pytest.fixture
def editor():
    return make_editor(username="edith")


@pytest.fixture
def writer():
    return make_journalist(username="wassila")


@pytest.fixture
def live(editor, writer):
    return make_live(editor=editor, writers=[writer])


def test_a_writer_posts_and_the_entry_is_published_at_once(live, writer):
    entry = rules.post(live, by=writer, text="Air Force One vient de se poser.")

    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    assert entry.published_at is not None
    assert entry.author == writer
    assert entry.body == "<p>Air Force One vient de se poser.</p>"


def test_a_journalist_who_is_not_a_writer_of_the_live_cannot_post(live):
    outsider = make_journalist(username="olivier")

    with pytest.raises(PermissionDenied):
        rules.post(live, by=outsider, text="Je passe par là.")
    assert not LiveEntry.objects.exists()


def test_held_rule_keeps_writers_entries_until_an_editor_publishes_them(editor, writer):
    live = make_live(editor=editor, writers=[writer], entry_rule=Live.EntryRule.HELD)

    entry = rules.post(live, by=writer, text="Les deux délégations se saluent.")
    assert entry.status == Status.HELD and entry.published_at is None
    assert not live.entries.published().exists()

    with pytest.raises(PermissionDenied):
        rules.publish(entry, by=writer)
    rules.publish(entry, by=editor)

    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED and entry.published_at is not None
    assert LiveEvent.objects.filter(action=LiveEvent.Action.PUBLISH, entry_id=entry.pk).exists()


def test_an_editor_entry_is_published_at_once_even_when_writers_are_held(editor):
    live = make_live(editor=editor, entry_rule=Live.EntryRule.HELD)

    assert rules.post(live, by=editor, text="Début de la rencontre.").status == Status.PUBLISHED


def test_an_empty_entry_is_refused_in_french_and_nothing_is_stored(live, writer):
    with pytest.raises(LiveError, match="L’entrée est vide"):
        rules.post(live, by=writer, text="  \n\n ")
    assert not LiveEntry.objects.exists()


def test_typed_html_is_kept_as_text_never_as_markup(live, writer):
    entry = rules.post(live, by=writer, text="<script>alert(1)</script> <b>gras</b>\n\nSuite")

    assert "<script>" not in entry.body and "<b>" not in entry.body
    assert "&lt;b&gt;gras&lt;/b&gt;" in entry.body
    assert entry.body.endswith("<p>Suite</p>")


def test_only_editors_pin_a_key_moment_and_only_a_published_entry(editor, writer):
    live = make_live(editor=editor, writers=[writer], entry_rule=Live.EntryRule.HELD)
    held = rules.post(live, by=writer, text="En attente.")
    published = rules.post(live, by=editor, text="Poignée de main sur le tarmac.")

    with pytest.raises(PermissionDenied):
        rules.pin(published, by=writer)
    with pytest.raises(LiveError, match="publiée"):
        rules.pin(held, by=editor)
    rules.pin(published, by=editor)

    assert list(live.entries.key_moments()) == [published]
    rules.pin(published, by=editor, key_moment=False)
    assert not live.entries.key_moments().exists()
    actions = list(LiveEvent.objects.filter(entry_id=published.pk).values_list("action", flat=True))
    assert sorted(actions) == ["pin", "unpin"]


def test_a_correction_shows_when_it_was_made_and_is_audited(live, writer, editor):
    entry = rules.post(live, by=writer, text="La réunion a commencé à 11 heures.")
    assert entry.corrected_at is None

    rules.correct(entry, by=editor, body="<p>La réunion a commencé à 11h30.</p>")

    entry.refresh_from_db()
    assert entry.corrected_at is not None
    assert entry.body == "<p>La réunion a commencé à 11h30.</p>"
    event = LiveEvent.objects.get(action=LiveEvent.Action.CORRECT)
    assert "11 heures" in event.before["body"] and "11h30" in event.after["body"]
    assert event.actor == editor


def test_a_correction_body_is_sanitized(live, editor):
    entry = rules.post(live, by=editor, text="Texte.")

    rules.correct(entry, by=editor, body='<p onclick="x()">Texte <img src=x onerror=y()></p>')

    entry.refresh_from_db()
    assert "onclick" not in entry.body and "onerror" not in entry.body


def test_a_writer_corrects_their_own_entries_only(live, writer, editor):
    colleague = make_journalist(username="camille")
    live.writers.add(colleague)
    own = rules.post(live, by=writer, text="Mon entrée.")
    other = rules.post(live, by=colleague, text="Celle de Camille.")

    rules.correct(own, by=writer, body="<p>Mon entrée, précisée.</p>")
    with pytest.raises(PermissionDenied):
        rules.correct(other, by=writer, body="<p>Réécrite.</p>")
    other.refresh_from_db()
    assert other.body == "<p>Celle de Camille.</p>"


def test_withdrawal_needs_a_reason_hides_the_entry_and_is_audited(live, writer, editor):
    entry = rules.post(live, by=writer, text="Une information non vérifiée.")
    rules.pin(entry, by=editor)

    with pytest.raises(PermissionDenied):
        rules.withdraw(entry, by=writer, reason="Erreur")
    with pytest.raises(LiveError, match="raison"):
        rules.withdraw(entry, by=editor, reason=" ")
    rules.withdraw(entry, by=editor, reason="Information démentie par la Maison-Blanche.")

    entry.refresh_from_db()
    assert entry.status == Status.WITHDRAWN and not entry.is_key_moment
    assert not live.entries.published().exists()
    event = LiveEvent.objects.get(action=LiveEvent.Action.WITHDRAW)
    assert event.reason == "Information démentie par la Maison-Blanche."
    assert event.before["body"] == "<p>Une information non vérifiée.</p>"
    with pytest.raises(PermissionDenied):
        rules.correct(entry, by=editor, body="<p>Revenue.</p>")


def test_an_ended_live_takes_no_more_entries_until_reopened(live, writer, editor):
    with pytest.raises(PermissionDenied):
        rules.end(live, by=writer)
    rules.end(live, by=editor)

    live.refresh_from_db()
    assert live.state == Live.State.ENDED and live.ended_at is not None
    with pytest.raises(LiveError, match="terminé"):
        rules.post(live, by=writer, text="Encore une chose.")
    with pytest.raises(LiveError, match="déjà terminé"):
        rules.end(live, by=editor)

    rules.reopen(live, by=editor)
    assert rules.post(live, by=writer, text="Rebondissement.").is_published
    assert [e.action for e in LiveEvent.objects.order_by("at", "pk")] == ["start", "end", "reopen"]


def test_a_live_opens_only_on_a_published_article_and_only_by_an_editor(editor, writer):
    draft = make_article(status=Article.Status.DRAFT)
    published = make_article()

    with pytest.raises(LiveError, match="article publié"):
        rules.start(draft, by=editor)
    with pytest.raises(PermissionDenied):
        rules.start(published, by=writer)
    live = rules.start(published, by=editor, writers=[writer], summary="Point un\nPoint deux")

    assert live.summary_points == ["Point un", "Point deux"]
    with pytest.raises(LiveError, match="déjà un direct"):
        rules.start(published, by=editor)


def test_settings_changes_are_audited(live, editor, writer):
    events = rules.update(
        live, by=editor, summary="Nouveau point", entry_rule=Live.EntryRule.HELD, writers=[]
    )

    assert [e.action for e in events] == ["summary", "settings"]
    assert events[1].before["writers"] == ["wassila"] and events[1].after["writers"] == []
    assert not rules.can_post(writer, live)


def test_a_published_entry_makes_its_live_pages_stale_and_a_held_one_does_not(editor, writer):
    live = make_live(editor=editor, writers=[writer], entry_rule=Live.EntryRule.HELD)
    key = pagecache.KEY_GENERATION.format(f"live-{live.pk}")
    article = pagecache.KEY_GENERATION.format(f"article-{live.article_id}")
    before, article_before = cache.get(key), cache.get(article)
    assert article_before is not None

    held = post_at(live, writer, "Gardée.")
    assert cache.get(key) == before
    version = Live.objects.get(pk=live.pk).version

    rules.publish(held, by=editor)
    assert cache.get(key) != before
    assert Live.objects.get(pk=live.pk).version == version + 1
    # Only the live's pages: its article's cards and the rest of the site stay in the cache.
    assert cache.get(article) == article_before


def test_an_entry_purges_only_its_live_and_ending_purges_its_cards_too(editor, writer, monkeypatch):
    purged = []
    monkeypatch.setattr(rules, "purge_after_commit", lambda keys: purged.append(set(keys)))
    live = make_live(editor=editor, writers=[writer])
    assert purged == [{f"live-{live.pk}", f"article-{live.article_id}"}]

    entry = rules.post(live, by=writer, text="Une entrée.")
    rules.pin(entry, by=editor)
    rules.withdraw(entry, by=editor, reason="Doublon")
    assert purged[1:] == [{f"live-{live.pk}"}] * 3

    rules.end(live, by=editor)
    assert purged[-1] == {f"live-{live.pk}", f"article-{live.article_id}"}
