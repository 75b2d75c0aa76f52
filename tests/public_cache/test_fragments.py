"""Fragments of public pages kept between renderings, with the whole-page cache off.

What a page the page cache does not hold costs (after a comment was moderated, an address
with parameters it does not cache): the parts every reader shares come from the cache, never
staler than a cached page would be.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from comments import moderation
from comments.models import Comment
from public_cache import invalidation, pagecache
from tests.articles.test_admin_workflow import form_data
from tests.comments.factories import make_comment
from tests.factories import make_article, make_editor, make_user
from tests.public_cache.test_invalidation import admin_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_only(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    response.queries = len(queries)
    response.html = response.content.decode()
    return response


def without_token(html):
    """The page without the values of the moment: the comment token, the signup timestamp."""
    return re.sub(r'name="(token|horodatage)" value="[^"]+"', "", html)


@pytest.mark.parametrize("name", ["articles:home", "articles:detail", "articles:category"])
def test_a_page_rendered_again_reads_almost_nothing_and_shows_the_same(client, name):
    article = make_article(title="Un récit partagé par tous")
    make_comment(article, text="Un avis de lecteur.")
    url = {
        "articles:home": reverse("articles:home"),
        "articles:detail": article.get_absolute_url(),
        "articles:category": article.category.get_absolute_url(),
    }[name]

    first = get(client, url)
    again = get(client, url + "?utm_source=lettre")

    assert "Un récit partagé par tous" in again.html
    assert "X-Page-Cache" not in again
    assert without_token(again.html) == without_token(first.html)
    assert first.queries >= 5
    # Listings look their section up (or answer 404); nothing else is read again.
    assert again.queries == (1 if name == "articles:category" else 0)


def test_the_kept_comment_form_carries_no_token_but_where_to_ask_for_one(client):
    article = make_article()
    get(client, article.get_absolute_url())
    html = get(client, article.get_absolute_url()).html

    assert '<input type="hidden" name="token" id="id_token">' in html
    assert f'data-token-url="{reverse("comments:token", args=[article.pk])}"' in html
    assert '<script src="/static/js/form-token.js" defer></script>' in html


def test_a_reader_comments_from_a_page_built_from_kept_fragments(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article()
    get(client, article.get_absolute_url())
    time_machine.shift(timedelta(minutes=1))
    get(client, article.get_absolute_url())
    # The page's script asks for a token when the reader reaches the form.
    token = client.get(reverse("comments:token", args=[article.pk])).json()["token"]
    time_machine.shift(timedelta(seconds=20))

    response = client.post(
        reverse("comments:post", args=[article.pk]),
        {
            "name": "Claire",
            "email": "claire@example.org",
            "text": "Merci pour cet éclairage.",
            "token": token,
            "website": "",
        },
    )

    assert response.status_code == 302
    assert Comment.objects.filter(article=article, text="Merci pour cet éclairage.").exists()


def test_an_approved_comment_shows_on_the_next_rendering(client):
    article = make_article()
    get(client, article.get_absolute_url())
    pending = make_comment(article, text="Un avis qui attendait.", status=Comment.Status.PENDING)

    assert "Un avis qui attendait." not in get(client, article.get_absolute_url()).html

    moderation.approve(pending)

    html = get(client, article.get_absolute_url()).html
    assert "Un avis qui attendait." in html
    assert "1 commentaire" in html


def test_a_scheduled_article_appears_on_time_on_a_page_built_from_fragments(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_article(title="Déjà publié")
    make_article(title="Programmé pour bientôt", published_at=timezone.now() + timedelta(minutes=2))
    home = reverse("articles:home")
    assert "Programmé pour bientôt" not in get(client, home).html
    assert get(client, home).queries == 0

    time_machine.shift(timedelta(minutes=2, seconds=1))

    assert "Programmé pour bientôt" in get(client, home).html


def test_staff_pages_and_previews_never_use_kept_fragments(client):
    article = make_article(title="Titre d'origine")
    get(client, article.get_absolute_url())
    # Changed without any signal: only a page rendered afresh can show it.
    type(article).objects.filter(pk=article.pk).update(title="Titre corrigé en direct")
    assert "Titre d'origine" in get(client, article.get_absolute_url()).html

    client.force_login(make_user(is_staff=True, is_superuser=True))

    staff_html = get(client, article.get_absolute_url()).html
    assert "Titre corrigé en direct" in staff_html
    assert "Titre d'origine" not in staff_html
    preview = client.get(reverse("articles:preview", args=[article.pk])).content.decode()
    assert "Titre corrigé en direct" in preview
    assert "Titre d'origine" not in preview


def test_fragments_follow_the_page_cache_generation(client):
    article = make_article(title="Avant le changement")
    get(client, article.get_absolute_url())
    type(article).objects.filter(pk=article.pk).update(title="Après le changement")

    pagecache.bump()

    assert "Après le changement" in get(client, article.get_absolute_url()).html


def test_fragments_checked_while_a_change_is_under_way_are_checked_again_once_it_ends(client):
    article = make_article(title="Avant le changement")
    url = article.get_absolute_url()
    get(client, url)
    cache = pagecache._cache()
    # A change has moved the epoch but not yet bumped the keys it touches.
    epoch = pagecache._incremented(cache, pagecache.EPOCH_KEY)
    type(article).objects.filter(pk=article.pk).update(title="Après le changement")
    assert "Avant le changement" in get(client, url).html
    assert "Avant le changement" in get(client, url).html

    # The change ends within the same epoch: its keys, then its record.
    names = sorted({*invalidation.keys_for(article=article), pagecache.UNNAMED})
    for name in names:
        pagecache._incremented(cache, pagecache.KEY_GENERATION.format(name))
    cache.set(pagecache.CHANGE_KEY.format(epoch), names)

    html = get(client, url).html
    assert "Après le changement" in html
    assert "Avant le changement" not in html


def test_fragments_checked_under_the_current_epoch_are_trusted_until_the_next_change(client):
    article = make_article(title="Avant le changement")
    url = article.get_absolute_url()
    get(client, url)
    get(client, url)
    type(article).objects.filter(pk=article.pk).update(title="Après le changement")
    # Not said to the cache: this process trusts what it checked under the current epoch.
    assert "Avant le changement" in get(client, url).html

    invalidation.changed(article=article)

    assert "Après le changement" in get(client, url).html


def test_fragments_can_be_switched_off(client, settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    article = make_article()
    first = get(client, article.get_absolute_url())
    again = get(client, article.get_absolute_url())
    assert again.queries == first.queries


def test_each_process_keeps_only_the_most_recent_fragments_in_memory(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    local = pagecache._LocalFragments(size=2)
    local.put("a", "<p>A</p>", ttl=60)
    local.put("b", "<p>B</p>", ttl=60)
    local.get("a")
    local.put("c", "<p>C</p>", ttl=60)

    assert local.get("b") is None  # the least recently read made room
    assert local.get("a") == "<p>A</p>"
    time_machine.shift(timedelta(seconds=61))
    assert local.get("c") is None


def test_approving_a_comment_rebuilds_the_comments_but_not_the_article_text(client):
    article = make_article(title="Un long récit", tags=["Budget"])
    complete = get(client, article.get_absolute_url())
    pending = make_comment(article, text="Un avis à relire.", status=Comment.Status.PENDING)

    moderation.approve(pending)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.get_absolute_url()).content.decode()

    assert "Un avis à relire." in html
    assert "Un long récit" in html
    read = " ".join(query["sql"] for query in queries)
    assert "comments_comment" in read
    # The article's tags and notes (read only for its text) are kept.
    assert "taggit" not in read
    assert "articles_articlenote" not in read
    assert len(queries) < complete.queries


def test_a_kept_article_answers_410_once_unpublished_and_moves_with_its_slug(client):
    article = make_article(title="Bientôt dépublié", slug="ancien-titre")
    get(client, article.get_absolute_url())

    admin_save(article, form_data(article, slug="nouveau-titre", note_text="Nouvelle adresse."))
    assert client.get("/articles/nouveau-titre/").status_code == 200

    article.refresh_from_db()
    workflow.unpublish(article, by=make_editor(), comment="Retiré.")
    assert client.get("/articles/nouveau-titre/").status_code == 410
