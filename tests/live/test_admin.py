import pytest
from django.urls import reverse

from live import rules
from live.models import Live, LiveEntry, LiveEvent
from tests.factories import make_article
from tests.live.factories import make_editor, make_journalist, make_live, post_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_editor(username="edith")


@pytest.fixture
def writer():
    return make_journalist(username="wassila")


@pytest.fixture
def live(editor, writer):
    return make_live(editor=editor, writers=[writer])


def change_url(live):
    return reverse("admin:live_live_change", args=[live.pk])


def test_an_editor_opens_a_live_on_a_published_article(client, editor, writer):
    article = make_article(title="Sommet : la journée en direct")
    client.force_login(editor)

    response = client.post(
        reverse("admin:live_live_add"),
        {
            "article": article.pk,
            "summary": "Les délégations arrivent.",
            "entry_rule": "held",
            "writers": [writer.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    live = Live.objects.get(article=article)
    assert live.entry_rule == "held" and list(live.writers.all()) == [writer]
    assert LiveEvent.objects.get(live_id=live.pk).action == "start"


def test_a_live_cannot_open_on_an_unpublished_article(client, editor):
    draft = make_article(status="draft")
    client.force_login(editor)

    response = client.post(
        reverse("admin:live_live_add"), {"article": draft.pk, "entry_rule": "at_once"}
    )

    assert response.status_code == 200
    assert "Un direct s’ouvre sur un article publié" in response.content.decode()
    assert not Live.objects.exists()


def test_a_writer_posts_from_the_quick_form_and_sees_the_stream_newest_first(client, live, writer):
    older = post_at(live, writer, "Les avions sont sur le tarmac.", minutes_ago=3)
    client.force_login(writer)

    page = client.get(change_url(live)).content.decode()
    assert 'name="text"' in page and "Publier l’entrée" in page

    response = client.post(
        reverse("admin:live_live_post_entry", args=[live.pk]),
        {"text": "Les deux présidents se serrent la main."},
        follow=True,
    )

    html = response.content.decode()
    newest = LiveEntry.objects.exclude(pk=older.pk).get()
    assert newest.is_published and newest.author == writer
    assert "Entrée publiée." in html
    assert html.index(f'id="entree-{newest.pk}"') < html.index(f'id="entree-{older.pk}"')
    # A writer sees the stream but not the editors' decisions.
    assert "Terminer le direct" not in html and "Moment clé</button>" not in html


def test_an_empty_quick_entry_says_why_and_a_refused_one_keeps_its_text(client, live, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:live_live_post_entry", args=[live.pk]), {"text": " "})
    assert "L’entrée est vide" in response.content.decode()

    rules.end(live, by=editor)
    response = client.post(
        reverse("admin:live_live_post_entry", args=[live.pk]), {"text": "Texte important"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert not LiveEntry.objects.exists()
    assert "Ce direct est terminé : il ne reçoit plus d’entrées." in html
    assert "Texte important</textarea>" in html


def test_a_journalist_who_is_not_a_writer_cannot_open_the_live(client, live):
    outsider = make_journalist(username="olivier")
    client.force_login(outsider)

    assert client.get(change_url(live)).status_code in (302, 403)
    client.post(reverse("admin:live_live_post_entry", args=[live.pk]), {"text": "Intrus"})
    assert not LiveEntry.objects.exists()


def test_an_editor_pins_withdraws_and_ends_from_the_live_page(client, live, editor, writer):
    entry = post_at(live, writer, "Déclaration commune attendue.")
    other = post_at(live, writer, "Doublon.")
    client.force_login(editor)
    action = "admin:live_live_entry_action"

    client.post(reverse(action, args=[live.pk, entry.pk, "epingler"]))
    client.post(reverse(action, args=[live.pk, other.pk, "retirer"]), {"reason": ""})
    other.refresh_from_db()
    assert other.status == "published"
    client.post(reverse(action, args=[live.pk, other.pk, "retirer"]), {"reason": "Doublon"})
    client.post(reverse("admin:live_live_state", args=[live.pk, "terminer"]))

    entry.refresh_from_db(), other.refresh_from_db(), live.refresh_from_db()
    assert entry.is_key_moment
    assert other.status == "withdrawn"
    assert live.state == "ended"
    assert {e.action for e in LiveEvent.objects.all()} >= {"pin", "withdraw", "end"}


def test_a_writer_cannot_pin_or_end(client, live, writer):
    entry = post_at(live, writer, "Une entrée.")
    client.force_login(writer)

    client.post(reverse("admin:live_live_entry_action", args=[live.pk, entry.pk, "epingler"]))
    client.post(reverse("admin:live_live_state", args=[live.pk, "terminer"]))

    entry.refresh_from_db(), live.refresh_from_db()
    assert not entry.is_key_moment and live.state == "running"


def test_a_writer_corrects_their_entry_from_its_page(client, live, writer):
    entry = post_at(live, writer, "Le sommet a commencé à 11 heures.")
    client.force_login(writer)

    response = client.post(
        reverse("admin:live_liveentry_change", args=[entry.pk]),
        {
            "title": "",
            "body": "<p>Le sommet a commencé à 11h30.</p>",
            "photo": "",
            "quote_url": "",
            "quote_text": "",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert "11h30" in entry.body and entry.corrected_at is not None


def test_held_entries_wait_at_the_top_for_an_editor_to_publish(client, editor, writer):
    live = make_live(editor=editor, writers=[writer], entry_rule="held")
    published = post_at(live, editor, "Publiée.", minutes_ago=1)
    held = post_at(live, writer, "Gardée.", minutes_ago=5)
    client.force_login(editor)

    html = client.get(change_url(live)).content.decode()
    assert html.index(f'id="entree-{held.pk}"') < html.index(f'id="entree-{published.pk}"')
    assert "En attente d’un éditeur" in html

    client.post(reverse("admin:live_live_entry_action", args=[live.pk, held.pk, "publier"]))
    held.refresh_from_db()
    assert held.is_published
