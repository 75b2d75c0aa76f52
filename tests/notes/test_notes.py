"""Notes on drafts: written on the article page, citing people, resolved, never public
(no page, feed, sitemap or API answer)."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse

from articles.models import Article
from notes import rules
from notes.models import Note
from tests.factories import make_article, make_editor, make_journalist

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def journalist():
    return make_journalist(username="journaliste", email="julie@example.org")


@pytest.fixture
def editor():
    return make_editor(username="editeur", email="marc@example.org")


@pytest.fixture
def draft(journalist):
    return make_article(
        title="Les boulangers face au prix du beurre",
        body="<p>Le beurre a pris 40 % en un an.</p><p>Les artisans rognent leurs marges.</p>",
        status=S.REVIEW,
        published_at=None,
        authors=[journalist.author_profile],
        created_by=journalist,
    )


def spaced(html):
    """The page with French typography's no-break spaces as plain ones."""
    return html.replace("\u00a0", " ").replace("\u202f", " ")


def note_url(article):
    return reverse("admin:articles_article_note_add", args=[article.pk])


def test_note_citing_the_journalist_emails_them_and_waits_on_their_desk(
    client, django_capture_on_commit_callbacks, editor, journalist, draft
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            note_url(draft),
            {"text": "@journaliste le chiffre de 40 % vient d’où ?", "paragraph": "1"},
            follow=True,
        )

    assert "Note ajoutée. Prévenu : Journaliste Plume." in answer.content.decode()
    note = Note.objects.get()
    assert note.quote == "Le beurre a pris 40 % en un an."
    assert list(note.mentioned.all()) == [journalist]
    [sent] = mail.outbox
    assert sent.to == ["julie@example.org"]
    assert sent.subject == "Editeur Plume vous cite\u00a0: Les boulangers face au prix du beurre"
    assert "le chiffre de 40 % vient d’où\u202f?" in sent.body
    assert f"/admin/articles/article/{draft.pk}/change/#notes" in sent.body

    desk = Client()
    desk.force_login(journalist)
    html = spaced(desk.get(reverse("admin:index")).content.decode())
    assert "Notes qui vous citent" in html
    assert "le chiffre de 40 % vient d’où ?" in html
    assert f"#note-{note.pk}" in html


def test_resolving_takes_the_note_off_the_desk_and_keeps_it_in_the_history(
    client, editor, journalist, draft
):
    note = rules.add(draft, by=editor, text="@journaliste une source, s’il te plaît.").note
    client.force_login(journalist)
    client.post(note_url(draft), {"text": "Insee, novembre.", "parent": note.pk})

    answer = client.post(
        reverse("admin:articles_article_note_resolve", args=[draft.pk, note.pk]), follow=True
    )

    assert "Note résolue." in answer.content.decode()
    note.refresh_from_db()
    assert note.resolved_by == journalist and note.resolved_at is not None
    desk = client.get(reverse("admin:index")).content.decode()
    assert "une source, s’il te plaît" not in desk
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "Notes résolues (1)" in page and "Insee, novembre." in page
    history = list(LogEntry.objects.order_by("pk").values_list("change_message", flat=True))
    assert history == [
        "Note ajoutée sur « Les boulangers face au prix du beurre »",
        "Réponse ajoutée sur « Les boulangers face au prix du beurre »",
        "Note résolue sur « Les boulangers face au prix du beurre »",
    ]


def test_a_reply_with_a_mention_tells_that_person(
    django_capture_on_commit_callbacks, editor, journalist, draft
):
    colleague = make_editor(username="lea", email="lea@example.org")
    note = rules.add(draft, by=journalist, text="Titre trop long ?").note

    with django_capture_on_commit_callbacks(execute=True):
        written = rules.add(draft, by=editor, text="Avis de @lea ?", parent=note)

    assert written.told == ["Lea Plume"]
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    assert written.note.parent == note and colleague in written.note.mentioned.all()


def test_unknown_names_and_people_who_cannot_open_the_article_are_not_told(
    client, editor, journalist, draft
):
    make_journalist(username="camille")
    client.force_login(editor)

    html = client.post(
        note_url(draft), {"text": "@camille et @personne, relisez."}, follow=True
    ).content.decode()

    assert "Personne dans la rédaction ne répond à @personne." in html
    assert "Camille Plume ne peut pas ouvrir cet article : pas de notification." in html
    assert not Note.objects.get().mentioned.exists()


def test_an_empty_note_is_refused_in_french(client, editor, draft):
    client.force_login(editor)

    html = client.post(note_url(draft), {"text": "   "}, follow=True).content.decode()

    assert "La note est vide : écrivez-la avant de l’envoyer." in html
    assert not Note.objects.exists()


def test_nobody_writes_on_an_article_they_cannot_open(client, draft):
    stranger = make_journalist(username="camille")
    client.force_login(stranger)

    answer = client.post(note_url(draft), {"text": "Je passe par là."})

    assert answer.status_code == 403
    assert not Note.objects.exists()


def test_the_newsroom_searches_notes_it_may_read(client, editor, journalist, draft):
    rules.add(draft, by=editor, text="Vérifier le chiffre du beurre auprès de la FNB.")
    other = make_article(title="Grève à la SNCF", status=S.DRAFT, published_at=None)
    rules.add(other, by=editor, text="Le beurre de la cantine SNCF ?")
    search = reverse("admin:notes_note_changelist") + "?q=beurre"

    client.force_login(editor)
    html = client.get(search).content.decode()
    assert "auprès de la FNB" in html and "cantine SNCF" in html

    client.force_login(journalist)
    html = client.get(search).content.decode()
    assert "auprès de la FNB" in html and "cantine SNCF" not in html


# Public pages: a crawl of everything a reader (or a robot) can reach ---------------------------

SECRET = "Zorglub-interne"


def crawl(client, starts, limit=300):
    seen, queue, pages = set(), list(starts), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or response.streaming:
            continue
        body = response.content.decode(errors="replace")
        pages[url] = body
        for link in re.findall(r'(?:href="|<loc>|<link>|"(?:url|next|\w+_url)": ?")([^"<]+)', body):
            parts = urlsplit(link.replace("&amp;", "&"))
            if parts.netloc not in ("", "127.0.0.1:8000", "testserver"):
                continue
            if parts.path.startswith(("/admin", "/static", "/media")):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def test_notes_never_appear_on_any_public_page_feed_or_sitemap(editor, journalist):
    article = make_article(
        title="Le marché de Noël ouvre à Strasbourg",
        authors=[journalist.author_profile],
        created_by=journalist,
        tags=["Noël"],
    )
    note = rules.add(
        article, by=editor, text=f"{SECRET} : @journaliste vérifie l’horaire.", paragraph=1
    )
    rules.add(article, by=journalist, text=f"{SECRET}, c’est vérifié.", parent=note.note)

    pages = crawl(
        Client(),
        [
            "/",
            article.get_absolute_url(),
            "/flux/",
            "/flux/atom/",
            "/sitemap.xml",
            "/sitemap-news.xml",
            "/recherche/?q=Zorglub",
            "/recherche/?q=horaire",
            "/api/v1/articles/",
            f"/api/v1/articles/{article.slug}/",
            "/api/v1/authors/",
            "/api/v1/categories/",
            "/api/v1/tags/",
            "/recherche/?q=Strasbourg",
        ],
    )

    assert article.get_absolute_url() in pages and "/flux/" in pages and "/sitemap.xml" in pages
    assert f"/api/v1/articles/{article.slug}/" in pages
    assert len(pages) > 10
    leaking = [url for url, body in pages.items() if SECRET in body or "vérifie l’horaire" in body]
    assert leaking == []
