import hashlib
from datetime import timedelta

import pytest
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Category, Page
from comments import moderation
from comments.models import Comment
from photos import rules as photo_rules
from public_cache import pagecache
from tests.articles.test_admin_workflow import form_data
from tests.comments.factories import make_comment
from tests.factories import make_article, make_editor, make_user
from tests.public_cache.layers import get
from tests.public_cache.test_invalidation import admin_delete, admin_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def test_second_anonymous_visit_is_served_from_cache_without_queries(client):
    article = make_article(title="Un titre en cache")
    first = get(client, article.get_absolute_url())
    second = get(client, article.get_absolute_url())

    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert second.queries == 0
    # The same bytes: the comment form's token is asked for by the page's script.
    assert second.content == first.content


def test_entries_left_by_the_previous_release_are_not_read(client):
    # What the release before keyed origin invalidation left in Redis, in its own shapes: the
    # next scheduled publication per site-wide generation, and a page without its keys'
    # generations. A deploy must not answer 500 until they expire.
    article = make_article(title="Après la mise en production")
    cache = pagecache._cache()
    cache.set("pagecache:next-publication", {"generation": 1, "at": "none"}, timeout=300)
    host = pagecache._site_host()
    for path in ("/", article.get_absolute_url()):
        raw = f"pagecache:page:{host}:{path}:"
        old_key = "pagecache:" + hashlib.sha256(raw.encode()).hexdigest()
        old_entry = {"keys": {"*": 1}, "expires": pagecache._now() + 300, "content": b"vieux"}
        cache.set(old_key, {**old_entry, "headers": {}, "header_store": {}, "stored": 0}, 300)

    for path in ("/", article.get_absolute_url()):
        response = get(client, path)
        assert response.status_code == 200
        assert "Après la mise en production" in response.content.decode()


def test_cached_pages_tell_cdns_how_long_to_keep_them(client):
    response = get(client, reverse("articles:home"))
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "s-maxage=300" in cache_control
    assert "stale-while-revalidate=" in cache_control
    assert "stale-if-error=" in cache_control
    assert response["ETag"]


def test_conditional_get_answers_304(client):
    url = reverse("articles:home")
    etag = get(client, url)["ETag"]

    assert get(client, url, if_none_match=etag).status_code == 304


def test_editing_a_published_article_refreshes_its_page_at_once(client, cache_layer):
    article = make_article(title="Version initiale")
    get(client, article.get_absolute_url())

    admin_save(article, form_data(article, title="Version corrigée", note_text="Titre corrigé."))

    html = get(client, article.get_absolute_url()).content.decode()
    assert "Version corrigée" in html
    assert "Version initiale" not in html


def test_publishing_an_article_shows_it_on_the_cached_home_page(client, cache_layer):
    make_article(title="Déjà là")
    get(client, reverse("articles:home"))

    workflow.publish(make_article(title="Tout juste publié", status="review"), by=make_editor())

    assert "Tout juste publié" in get(client, reverse("articles:home")).content.decode()


def test_unpublishing_removes_the_article_from_cached_pages(client, cache_layer):
    article = make_article(title="Bientôt retiré")
    get(client, reverse("articles:home"))

    workflow.unpublish(article, by=make_editor(), comment="Retiré à la demande de la source.")

    assert "Bientôt retiré" not in get(client, reverse("articles:home")).content.decode()
    assert get(client, article.get_absolute_url()).status_code == 410  # withdrawn: gone


def test_renaming_a_category_updates_the_navigation(client, cache_layer):
    get(client, reverse("articles:home"))
    category = Category.objects.get(slug="coaching")
    admin_save(category, {"name": "Conseils", "slug": "coaching", "position": category.position})

    assert "Conseils" in get(client, reverse("articles:home")).content.decode()


def test_editing_the_about_text_updates_every_footer(client, cache_layer):
    get(client, reverse("articles:home"))
    page = Page.objects.get(slug="qui-sommes-nous")
    data = {"title": page.title, "slug": page.slug, "body": page.body}
    admin_save(page, {**data, "summary": "Une rédaction nouvelle formule."})

    assert (
        "Une rédaction nouvelle formule." in get(client, reverse("articles:home")).content.decode()
    )


def test_scheduled_article_appears_on_time_although_pages_are_cached(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_article(title="Déjà publié")
    make_article(title="Programmé pour bientôt", published_at=timezone.now() + timedelta(minutes=2))

    home = reverse("articles:home")
    assert "Programmé pour bientôt" not in get(client, home).content.decode()
    assert get(client, home)["X-Page-Cache"] == "hit"

    time_machine.shift(timedelta(minutes=2, seconds=1))

    assert "Programmé pour bientôt" in get(client, home).content.decode()


def test_logged_in_staff_always_get_a_fresh_private_page(client):
    article = make_article(title="Avant")
    get(client, article.get_absolute_url())
    client.force_login(make_user(is_staff=True))
    Category.objects.filter(pk=article.category_id).update(name="Changé sans signal")

    response = get(client, article.get_absolute_url())

    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-cache"
    assert "Changé sans signal" in response.content.decode()


def test_unknown_query_parameters_bypass_the_cache(client):
    url = reverse("articles:home")
    get(client, url + "?tri=recent")
    assert "X-Page-Cache" not in get(client, url + "?tri=recent")


def test_a_link_shared_with_tracking_parameters_is_served_from_the_cache(client):
    article = make_article(title="L'article que tout le monde partage")
    get(client, article.get_absolute_url())

    shared = get(client, article.get_absolute_url() + "?utm_source=facebook&fbclid=IwAR0abc")

    assert shared["X-Page-Cache"] == "hit"
    assert shared.queries == 0
    assert "L'article que tout le monde partage" in shared.content.decode()


def test_missing_pages_are_not_cached(client):
    get(client, "/articles/inconnu/")
    response = get(client, "/articles/inconnu/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response


def test_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    get(client, reverse("articles:home"))
    assert "X-Page-Cache" not in get(client, reverse("articles:home"))


def test_a_page_rendered_while_a_change_lands_is_stale_once_it_has(client, cache_layer):
    # The reader's view has read the old row when the editor's change commits (and bumps the
    # generation): what that reader stores must not be served after the change.
    article = make_article(title="Avant la correction")

    def change_lands(**kwargs):
        template_rendered.disconnect(change_lands)
        Article.objects.filter(pk=article.pk).update(title="Après la correction")
        pagecache.bump()

    template_rendered.connect(change_lands, weak=False)
    assert "Avant la correction" in get(client, article.get_absolute_url()).content.decode()

    html = get(client, article.get_absolute_url()).content.decode()
    assert "Après la correction" in html
    assert "Avant la correction" not in html


def test_a_page_asked_for_as_page_zero_does_not_stand_in_for_page_one(client, cache_layer):
    politics = Category.objects.get(slug="politique")
    for hours in range(1, 15):
        make_article(
            title=f"Dépêche de {hours} h", published_at=timezone.now() - timedelta(hours=hours)
        )

    get(client, politics.get_absolute_url() + "?page=0")
    first_page = get(client, politics.get_absolute_url()).content.decode()

    assert "Dépêche de 1 h" in first_page
    assert "Dépêche de 14 h" not in first_page


def test_editing_or_deleting_a_published_comment_updates_its_page(client, cache_layer):
    article = make_article()
    comment = make_comment(article, text="Un propos à corriger.")
    get(client, article.get_absolute_url())

    data = {"name": comment.name, "email": comment.email, "status": comment.status}
    admin_save(comment, {**data, "text": "Un propos corrigé par la modération."})
    html = get(client, article.get_absolute_url()).content.decode()
    assert "Un propos corrigé par la modération." in html
    assert "Un propos à corriger." not in html

    admin_delete(comment)
    assert "Un propos corrigé" not in get(client, article.get_absolute_url()).content.decode()


def test_approving_a_comment_shows_it_and_its_count_at_once(client, cache_layer):
    article = make_article(title="Un débat animé")
    get(client, article.get_absolute_url())
    get(client, reverse("articles:home"))
    pending = make_comment(article, text="Un avis enfin relu.", status=Comment.Status.PENDING)

    moderation.approve(pending)

    page = get(client, article.get_absolute_url()).content.decode()
    assert "Un avis enfin relu." in page
    assert "1 commentaire" in get(client, reverse("articles:home")).content.decode()


def test_correcting_a_photo_credit_updates_the_article_at_once(client, cache_layer):
    article = make_article()
    get(client, article.get_absolute_url())
    photo = article.hero_photo
    photo.credit = "Agence Nouvelle"
    photo_rules.change(photo, by=make_editor())

    assert "Agence Nouvelle" in get(client, article.get_absolute_url()).content.decode()


def test_pages_past_the_last_answer_404_and_leave_nothing_in_the_cache(
    client, cache_layer, monkeypatch
):
    politics = Category.objects.get(slug="politique")
    make_article(title="Seule dépêche de la rubrique")
    cache = pagecache._cache()
    stored = set()
    original_set = cache.set

    def recording_set(key, *args, **kwargs):
        stored.add(key)
        return original_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    assert get(client, politics.get_absolute_url() + "?page=2").status_code == 404
    after_one = set(stored)
    for page in [*range(3, 30), "abc", "02", "-1"]:
        response = get(client, f"{politics.get_absolute_url()}?page={page}")
        assert response.status_code == 404, page
        assert "X-Page-Cache" not in response

    assert stored == after_one
    assert get(client, politics.get_absolute_url() + "?page=2").status_code == 404


def test_public_pages_vary_on_nothing_a_reader_sends(client):
    """The site is French only: a shared cache keeps one copy, whatever the browser asks."""
    article = make_article(title="Une seule copie")
    for url in (reverse("articles:home"), article.get_absolute_url(), reverse("articles:feed")):
        english = get(client, url, accept_language="en-US,en;q=0.8")
        german = get(client, url, accept_language="de-DE")

        assert "Vary" not in english, url
        assert "Content-Language" not in english, url
        assert german["X-Page-Cache"] == "hit"
        assert "Vary" not in german, url


def test_an_english_browser_gets_the_french_admin(client):
    html = client.get(reverse("admin:login"), headers={"accept-language": "en-US"}).content
    assert b"Mot de passe" in html
    assert b"Password" not in html


# What a hit replays; the rest belongs to each response.
PER_RESPONSE = {"Age", "Cache-Control", "X-Page-Cache", "X-Request-ID", "ETag"}


def test_a_hit_carries_exactly_the_headers_of_the_page_it_replays(client):
    article = make_article(title="Mêmes en-têtes")
    for url in (reverse("articles:home"), article.get_absolute_url()):
        miss = get(client, url)
        hit = get(client, url)

        assert hit["X-Page-Cache"] == "hit"
        kept = {name: value for name, value in miss.items() if name not in PER_RESPONSE}
        replayed = {name: value for name, value in hit.items() if name not in PER_RESPONSE}
        assert replayed == kept
        assert "script-src 'self';" in hit["Content-Security-Policy"]
        assert hit["X-Frame-Options"] == "DENY"
        assert hit["X-Content-Type-Options"] == "nosniff"
        assert hit["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert hit["Cross-Origin-Opener-Policy"] == "same-origin"
        # Each response keeps its own request id.
        assert hit["X-Request-ID"] != miss["X-Request-ID"]
        assert hit["ETag"].removeprefix("W/") == miss["ETag"].removeprefix("W/")


def test_a_hit_is_answered_before_sessions_authentication_and_csrf(client, monkeypatch):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.csrf import CsrfViewMiddleware

    article = make_article(title="Servi tôt")
    get(client, article.get_absolute_url())

    def never(*args, **kwargs):
        raise AssertionError("a hit went through the middleware of logged-in pages")

    for middleware, method in (
        (SessionMiddleware, "process_request"),
        (AuthenticationMiddleware, "process_request"),
        (CsrfViewMiddleware, "process_view"),
        (MessageMiddleware, "process_request"),
    ):
        monkeypatch.setattr(middleware, method, never)

    hit = get(client, article.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert "Servi tôt" in hit.content.decode()


def test_staff_never_get_a_stored_page_even_on_an_address_readers_made_hot(client):
    article = make_article(title="Page chaude")
    for _ in range(3):
        get(client, article.get_absolute_url())
    client.force_login(make_user(is_staff=True))

    response = get(client, article.get_absolute_url())

    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-cache"


def _keyed_site(keys_by_path):
    """The page cache in front of a view that names what each page shows by its keys."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    rendered = []

    def view(request):
        rendered.append(request.path)
        request.resolver_match = resolve(reverse("articles:home"))
        response = HttpResponse(f"<p>{request.path} n° {len(rendered)}</p>")
        if keys_by_path[request.path]:
            response["xkey"] = keys_by_path[request.path]
        return response

    middleware = pagecache.PageCacheMiddleware(view)
    factory = RequestFactory()

    def visit(path):
        return middleware(factory.get(path))

    return visit, rendered


def test_a_change_makes_stale_only_the_pages_carrying_its_keys():
    visit, rendered = _keyed_site(
        {
            "/a/": "article-1 comments-1 category-3 nav",
            "/b/": "article-2 comments-2 category-4 nav",
            "/une/": "home article-1 article-2 comments-1 comments-2 nav",
        }
    )
    for path in ("/a/", "/b/", "/une/"):
        visit(path)

    pagecache.invalidate(["article-2", "comments-2", "category-4", "home"])

    assert visit("/a/")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in visit("/b/")
    assert "X-Page-Cache" not in visit("/une/")
    assert rendered == ["/a/", "/b/", "/une/", "/b/", "/une/"]
    # Rendered again, they are stored again.
    assert visit("/b/")["X-Page-Cache"] == visit("/une/")["X-Page-Cache"] == "hit"


def test_a_page_naming_no_key_is_stale_after_any_change():
    visit, rendered = _keyed_site({"/sans-cles/": ""})
    visit("/sans-cles/")
    assert visit("/sans-cles/")["X-Page-Cache"] == "hit"

    pagecache.invalidate(["article-99"])

    assert "X-Page-Cache" not in visit("/sans-cles/")


@pytest.mark.parametrize("changed, kept", [(["article-8"], False), (["article-7", "home"], True)])
def test_a_page_rendered_while_its_keys_change_is_not_kept(changed, kept):
    """A publication commits while the page reads its rows: the page is kept only when the
    change touched nothing it shows."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    def view(request):
        request.resolver_match = resolve(reverse("articles:home"))
        pagecache.invalidate(changed)
        response = HttpResponse("<p>lignes d'avant</p>")
        response["xkey"] = "article-8 nav"
        return response

    middleware = pagecache.PageCacheMiddleware(view)
    middleware(RequestFactory().get("/pendant/"))

    second = pagecache.PageCacheMiddleware(lambda request: None)(RequestFactory().get("/pendant/"))
    assert (second is not None and second["X-Page-Cache"] == "hit") is kept


def test_bump_makes_every_stored_page_stale():
    visit, rendered = _keyed_site({"/a/": "article-1", "/b/": "article-2"})
    visit("/a/")
    visit("/b/")

    pagecache.bump()

    assert "X-Page-Cache" not in visit("/a/")
    assert "X-Page-Cache" not in visit("/b/")
