"""A change is a change of what readers see, not of how CKEditor spells the same text."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.forms import ArticleForm
from articles.models import Article, ArticleNote, ArticleRevision, Transition
from articles.sanitize import reader_view, same_for_readers
from tests.factories import make_article, make_editor

# (as stored, as CKEditor 5 gives it back untouched): each pair captured from the editor.
ROUND_TRIPS = {
    "links lose their rel": (
        '<p>Un <a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">lien</a> '
        'et <a href="mailto:x@y.fr" rel="noopener noreferrer">un courriel</a>.</p>',
        '<p>Un <a href="https://example.org/a?b=1&amp;c=2">lien</a> '
        'et <a href="mailto:x@y.fr">un courriel</a>.</p>',
    ),
    "link titles are dropped": (
        '<p><a href="https://x.fr" title="t" rel="noopener noreferrer">lien titré</a></p>',
        '<p><a href="https://x.fr">lien titré</a></p>',
    ),
    "list items get ids": (
        "<ul><li><strong>Octobre</strong> : dépôt ;</li><li>Hiver<ul><li>sous-point</li></ul>"
        '</li></ul><ol start="3"><li>trois</li></ol>',
        '<ul><li data-list-item-id="e5b3fa739bf8ac6d239a1f5678044ecae"><strong>Octobre</strong>'
        ' : dépôt ;</li><li data-list-item-id="ed69ed5f8e5c452f96a85cb1711225ee5">Hiver<ul>'
        '<li data-list-item-id="ea9a6c1e3a5a45f94e199e0c8765dc77a">sous-point</li></ul></li>'
        '</ul><ol start="3"><li data-list-item-id="e0402d9793fa476c1ede942bc07d7d3c8">trois'
        "</li></ol>",
    ),
    "images get an aspect ratio": (
        '<figure class="image"><img src="/media/editor/x.jpg" alt="Un chat" width="800" '
        'height="600"><figcaption>Légende</figcaption></figure>',
        '<figure class="image"><img style="aspect-ratio:800/600;" src="/media/editor/x.jpg" '
        'alt="Un chat" width="800" height="600"><figcaption>Légende</figcaption></figure>',
    ),
    "side images keep their layout": (
        '<figure class="image image-style-side"><img src="/media/editor/x.jpg" alt="Vue"></figure>',
        '<figure class="image image-style-side"><img src="/media/editor/x.jpg" alt="Vue"></figure>',
    ),
    "inline images": (
        '<p>Texte <img src="/media/editor/x.jpg" alt="pictogramme"> suite</p>',
        '<p>Texte <img src="/media/editor/x.jpg" alt="pictogramme"> suite</p>',
    ),
    "quotes": (
        "<blockquote>\n<p>« Citation »</p>\n<p>deux</p>\n</blockquote>",
        "<blockquote><p>« Citation »</p><p>deux</p></blockquote>",
    ),
    "spaces and no-break spaces": (
        "<p>Texte :  avec espace  double et l’apostrophe &amp; co </p>",
        "<p>Texte&nbsp;: avec espace double et l’apostrophe &amp; co</p>",
    ),
    "tables get a figure": (
        "<table><thead><tr><th>Ville</th><th>Votes</th></tr></thead><tbody><tr><td>Lérac"
        "</td><td>1 200</td></tr></tbody></table>",
        '<figure class="table"><table><thead><tr><th>Ville</th><th>Votes</th></tr></thead>'
        "<tbody><tr><td>Lérac</td><td>1 200</td></tr></tbody></table></figure>",
    ),
    "headings, rules, empty paragraphs": (
        "<h2>Titre</h2><h3>Sous</h3><h4>petit</h4><p><br></p><hr><p>a<br>b</p>",
        "<h2>Titre</h2><h3>Sous</h3><h4>petit</h4><p>&nbsp;</p><hr><p>a<br>b</p>",
    ),
    "bold written b": (
        "<p><b>gras</b> <i>italique</i> <u>souligné</u> <s>barré</s> H<sub>2</sub>O 1<sup>er"
        "</sup></p>",
        "<p><strong>gras</strong> <i>italique</i> <u>souligné</u> <s>barré</s> H<sub>2</sub>O "
        "1<sup>er</sup></p>",
    ),
    "line breaks in the source": (
        "<p>Ligne\navec retour</p>\n\n<p>Après</p>",
        "<p>Ligne avec retour</p><p>Après</p>",
    ),
}

# (before, after) that readers do see differently.
REAL_CHANGES = {
    "a word": ("<p>Trois blessés.</p>", "<p>Quatre blessés.</p>"),
    "a link target": (
        '<p><a href="https://a.fr">source</a></p>',
        '<p><a href="https://b.fr">source</a></p>',
    ),
    "an alt text": ('<p><img src="/m/x.jpg" alt="Un chat"></p>', '<p><img src="/m/x.jpg" alt="">'),
    "an image": ('<p><img src="/m/x.jpg" alt="a"></p>', '<p><img src="/m/y.jpg" alt="a"></p>'),
    "a caption": (
        '<figure class="image"><img src="/m/x.jpg" alt="a"><figcaption>Nuit</figcaption></figure>',
        '<figure class="image"><img src="/m/x.jpg" alt="a"><figcaption>Jour</figcaption></figure>',
    ),
    "a heading level": ("<h2>Titre</h2>", "<h3>Titre</h3>"),
    "a list made paragraphs": ("<ul><li>un</li></ul>", "<p>un</p>"),
    "bold removed": ("<p><strong>Alerte</strong></p>", "<p>Alerte</p>"),
    "a paragraph split": ("<p>Un. Deux.</p>", "<p>Un.</p><p>Deux.</p>"),
    "a list numbering": ('<ol start="3"><li>a</li></ol>', "<ol><li>a</li></ol>"),
    "text that looks like a tag": ("<p>&lt;p&gt;</p>", "<p></p><p></p>"),
}


@pytest.mark.parametrize("stored, edited", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_ckeditor_spelling_of_the_same_text_is_no_change(stored, edited):
    assert same_for_readers(stored, edited)


@pytest.mark.parametrize("before, after", REAL_CHANGES.values(), ids=REAL_CHANGES.keys())
def test_what_readers_see_differently_is_a_change(before, after):
    assert not same_for_readers(before, after)


def test_reader_view_keeps_text_and_structure():
    assert reader_view('<p>Un <a href="https://x.fr" rel="nofollow">lien</a>&nbsp;!</p>') == (
        '<p>Un <a href="https://x.fr">lien</a> !</p>'
    )


# Through the admin form -------------------------------------------------------------------------

LIVE_BODY = (
    "<p>Premier paragraphe avec un "
    '<a href="https://example.org/" rel="noopener noreferrer">lien</a>.</p>'
    "<ul><li>un</li><li>deux</li></ul>"
    '<figure class="image"><img src="/media/editor/x.jpg" alt="Un quai" width="800" '
    'height="600"><figcaption>Le quai</figcaption></figure>'
)
AS_CKEDITOR_SENDS_IT = (
    '<p>Premier paragraphe avec un <a href="https://example.org/">lien</a>.</p>'
    '<ul><li data-list-item-id="e1">un</li><li data-list-item-id="e2">deux</li></ul>'
    '<figure class="image"><img style="aspect-ratio:800/600;" src="/media/editor/x.jpg" '
    'alt="Un quai" width="800" height="600"><figcaption>Le quai</figcaption></figure>'
)


def posted(article, **changes):
    data = {
        "title": article.title + " ",
        "slug": article.slug,
        "category": article.category_id,
        "standfirst": article.standfirst.replace(" ", "  ", 1) + "\r\n",
        "body": AS_CKEDITOR_SENDS_IT,
        "tags": "",
        "hero_photo": article.hero_photo_id,
        "authors": [a.pk for a in article.authors.all()],
        "meta_description": article.meta_description,
        "version": article.version,
        "note_kind": "update",
    }
    data.update(changes)
    return data


@pytest.fixture
def live(db):
    return make_article(body=LIVE_BODY)


@pytest.fixture
def editor(client, db):
    user = make_editor()
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_untouched_form_reports_no_changed_text(live):
    form = ArticleForm(data=posted(live), instance=live)

    assert form.is_valid(), form.errors
    assert not {"title", "standfirst", "body"} & set(form.changed_data)
    assert form.cleaned_data["body"] == live.body
    assert not form.needs_note


@pytest.mark.django_db
def test_untouched_save_of_a_live_article_asks_nothing_and_changes_nothing(client, editor, live):
    stored = Article.objects.get(pk=live.pk)

    response = client.post(reverse("admin:articles_article_change", args=[live.pk]), posted(live))

    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.title, live.standfirst, live.body) == (
        stored.title,
        stored.standfirst,
        stored.body,
    )
    assert not ArticleNote.objects.exists()
    assert not Transition.objects.filter(article=live).exists()
    assert ArticleRevision.objects.filter(article=live).count() == 1
    entry = LogEntry.objects.get(object_id=str(live.pk))
    assert "Texte" not in entry.get_change_message()


@pytest.mark.django_db
def test_a_real_change_of_the_body_still_asks_for_a_note(client, editor, live):
    body = AS_CKEDITOR_SENDS_IT.replace("Premier", "Dernier")

    response = client.post(
        reverse("admin:articles_article_change", args=[live.pk]), posted(live, body=body)
    )

    assert "rédigez une note de mise à jour" in response.content.decode()
    live.refresh_from_db()
    assert "Premier paragraphe" in live.body


@pytest.mark.django_db
def test_a_real_change_is_logged_as_a_change_of_the_text(client, editor, live):
    body = AS_CKEDITOR_SENDS_IT.replace("Premier", "Dernier")

    client.post(
        reverse("admin:articles_article_change", args=[live.pk]),
        posted(live, body=body, minor_fix="on"),
    )

    live.refresh_from_db()
    assert "Dernier paragraphe" in live.body
    # The article's fields only: « correction mineure » has its own line in the history.
    assert LogEntry.objects.get(object_id=str(live.pk)).get_change_message() == (
        "Modification de Texte."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"slug": "nouvelle-adresse"},
        {"tags": "Alaska, Diplomatie"},
        {"is_featured": "on"},
        {"meta_description": "Une description pour les moteurs de recherche."},
    ],
    ids=["slug", "tags", "à la une", "SEO"],
)
def test_fields_readers_do_not_read_as_text_need_no_note(client, editor, live, changes):
    response = client.post(
        reverse("admin:articles_article_change", args=[live.pk]), posted(live, **changes)
    )

    assert response.status_code == 302
    assert not ArticleNote.objects.exists()


@pytest.mark.django_db
def test_unpublishing_with_its_reason_needs_no_note_even_with_an_edit(client, editor, live):
    response = client.post(
        reverse("admin:articles_article_change", args=[live.pk]),
        posted(
            live,
            body="<p>Texte retiré.</p>",
            _transition="unpublish",
            workflow_comment="Erreur sur l'identité d'une personne citée.",
        ),
    )

    assert response.status_code == 302
    live.refresh_from_db()
    assert live.status == Article.Status.WITHDRAWN
    assert not ArticleNote.objects.exists()
