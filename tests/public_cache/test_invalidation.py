"""Every change readers can see refreshes the cached pages, by whichever path it is made.

The rules (workflow, moderation, photo rules, alerts) and the admin of what readers see call
public_cache.invalidation.changed(). PATHS lists every model a
public page reads, with each way the newsroom changes it (its rules function, an admin save,
an admin delete); each path is played against a page held by the page cache and by the
fragment cache. test_every_model_public_pages_read_is_listed() checks the list against the
tables the public pages actually read.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from alerts import rules as alert_rules
from alerts.models import Alert
from articles import workflow
from articles.models import Article, AuthorProfile, Category, Page
from comments import moderation
from comments.models import ArticleCommentPolicy, Comment
from live import rules as live_rules
from live.models import Live, LiveEntry
from photos import rules as photo_rules
from photos.models import Photo
from public_cache import invalidation
from tests.articles.test_admin_workflow import form_data
from tests.comments.factories import make_comment
from tests.factories import make_article, make_author, make_editor, make_photo, make_user
from tests.live.factories import make_live

pytestmark = pytest.mark.django_db


# Of tests/conftest.py's cache_layer, the two a site runs with: whole pages (and their
# fragments), or fragments alone (a page the cache lost).
with_fragments = pytest.mark.parametrize("cache_layer", ["both", "fragments"], indirect=True)


def read(client, url) -> str:
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else f"{response.status_code}"


def held(client, url) -> str:
    """The page, read twice: the second time from the caches."""
    read(client, url)
    return read(client, url)


def admin():
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def admin_post(url, data) -> None:
    response = admin().post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def admin_save(obj, data) -> None:
    meta = obj._meta
    admin_post(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]), data)


def admin_delete(obj) -> None:
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
    admin_post(url, {"post": "yes"})


# Each path: (page to hold, before, after, change). `before` is on the held page; after the
# change, the page shows `after` and no longer `before` (None: only one of the two is checked).


def article_published_by_workflow():
    article = make_article(title="Tout juste publié", status=Article.Status.REVIEW)
    make_article(title="Déjà en une")
    return "/", None, "Tout juste publié", lambda: workflow.publish(article, by=make_editor())


def article_unpublished_by_workflow():
    article = make_article(title="Bientôt retiré")
    return (
        "/",
        "Bientôt retiré",
        None,
        lambda: workflow.unpublish(article, by=make_editor(), comment="Erreur."),
    )


def article_saved_in_admin():
    article = make_article(title="Version initiale", tags=["Budget"])
    data = form_data(article, title="Version corrigée", note_text="Titre corrigé.")
    return (
        article.get_absolute_url(),
        "Version initiale",
        "Version corrigée",
        lambda: admin_save(article, data),
    )


def article_deleted_in_admin():
    article = make_article(title="Bientôt supprimé")
    return "/", "Bientôt supprimé", None, lambda: admin_delete(article)


def category_saved_in_admin():
    category = Category.objects.get(slug="coaching")
    data = {"name": "Conseils pratiques", "slug": category.slug, "position": category.position}
    return "/", None, "Conseils pratiques", lambda: admin_save(category, data)


def category_renamed_in_admin_on_its_articles():
    category = Category.objects.get(slug="coaching")
    article = make_article(category=category)
    data = {"name": "Conseils pratiques", "slug": category.slug, "position": category.position}
    kicker = f'<a class="kicker" href="{category.get_absolute_url()}">{{}}</a>'
    return (
        article.get_absolute_url(),
        kicker.format(category.name),
        kicker.format("Conseils pratiques"),
        lambda: admin_save(category, data),
    )


def category_deleted_in_admin():
    category = Category.objects.create(name="Rubrique éphémère", slug="ephemere", position=99)
    return "/", "Rubrique éphémère", None, lambda: admin_delete(category)


def tag_saved_in_admin():
    article = make_article(tags=["Transports"])
    tag = Tag.objects.get(name="Transports")
    data = {"name": "Mobilités", "slug": tag.slug}
    return article.get_absolute_url(), "Transports", "Mobilités", lambda: admin_save(tag, data)


def tag_deleted_in_admin():
    article = make_article(tags=["Mot-clé retiré"])
    tag = Tag.objects.get(name="Mot-clé retiré")
    return article.get_absolute_url(), "Mot-clé retiré", None, lambda: admin_delete(tag)


def author_saved_in_admin():
    author = make_author(display_name="Jeanne Plume")
    article = make_article(authors=[author])
    data = {"user": author.user_id, "display_name": "Jeanne Plume-Martin", "slug": author.slug}
    return article.get_absolute_url(), None, "Jeanne Plume-Martin", lambda: admin_save(author, data)


def author_deleted_in_admin():
    author = make_author(display_name="Paul Éphémère")
    return author.get_absolute_url(), "Paul Éphémère", "404", lambda: admin_delete(author)


def page_saved_in_admin():
    page = Page.objects.get(slug="qui-sommes-nous")
    data = {"title": page.title, "slug": page.slug, "body": page.body}
    data["summary"] = "Une rédaction nouvelle formule."
    return "/", None, "Une rédaction nouvelle formule.", lambda: admin_save(page, data)


def page_deleted_in_admin():
    page = Page.objects.create(title="Mentions", slug="mentions", summary="…", body="<p>Texte</p>")
    return page.get_absolute_url(), "Mentions", "404", lambda: admin_delete(page)


def photo_changed_by_its_rules():
    article = make_article()
    photo = article.hero_photo
    photo.credit = "Agence Nouvelle"
    return (
        article.get_absolute_url(),
        None,
        "Agence Nouvelle",
        lambda: photo_rules.change(photo, by=make_editor()),
    )


def photo_saved_in_admin():
    article = make_article()
    photo = article.hero_photo
    data = {"caption": photo.caption, "credit": "Agence Admin", "alt_text": photo.alt_text}
    return article.get_absolute_url(), None, "Agence Admin", lambda: admin_save(photo, data)


def photo_deleted_by_its_rules():
    photo = make_photo(alt_text="Portrait de la rédactrice")
    author = make_author(portrait=photo)
    return (
        author.get_absolute_url(),
        "Portrait de la rédactrice",
        None,
        lambda: photo_rules.delete(photo, by=make_user(is_staff=True, is_superuser=True)),
    )


def photo_deleted_in_admin():
    photo = make_photo(alt_text="Portrait du chroniqueur")
    author = make_author(portrait=photo)
    return author.get_absolute_url(), "Portrait du chroniqueur", None, lambda: admin_delete(photo)


def comment_approved_by_moderation():
    article = make_article()
    pending = make_comment(article, text="Un avis enfin relu.", status=Comment.Status.PENDING)
    return (
        article.get_absolute_url(),
        None,
        "Un avis enfin relu.",
        lambda: moderation.approve(pending),
    )


def comment_rejected_by_moderation():
    article = make_article()
    comment = make_comment(article, text="Un avis retiré.")
    return article.get_absolute_url(), "Un avis retiré.", None, lambda: moderation.reject(comment)


def comment_saved_in_admin():
    article = make_article()
    comment = make_comment(article, text="Un propos à corriger.")
    data = {"name": comment.name, "email": comment.email, "status": comment.status}
    data["text"] = "Un propos corrigé par la modération."
    return (
        article.get_absolute_url(),
        "Un propos à corriger.",
        "Un propos corrigé",
        lambda: admin_save(comment, data),
    )


def comment_deleted_in_admin():
    article = make_article()
    comment = make_comment(article, text="Un propos supprimé.")
    return article.get_absolute_url(), "Un propos supprimé.", None, lambda: admin_delete(comment)


CLOSED = "La rédaction a fermé les commentaires sur cet article."


def comment_policy_saved_in_admin():
    article = make_article()
    data = {"article": article.pk, "mode": "closed", "reason": ""}
    return (
        article.get_absolute_url(),
        None,
        CLOSED,
        lambda: admin_post(reverse("admin:comments_articlecommentpolicy_add"), data),
    )


def comment_policy_deleted_in_admin():
    article = make_article()
    policy = ArticleCommentPolicy.objects.create(article=article, mode="closed")
    return article.get_absolute_url(), CLOSED, None, lambda: admin_delete(policy)


def alert_set_by_its_rules():
    def set_alert():
        alert = Alert(text="Séisme au large de Nice", ends_at=timezone.now() + timedelta(hours=1))
        alert_rules.save(alert, by=make_editor())

    return "/", None, "Séisme au large de Nice", set_alert


def live_started_by_its_rules():
    article = make_article(title="Sommet : la journée")
    return (
        article.get_absolute_url(),
        None,
        "En direct",
        lambda: live_rules.start(article, by=make_editor()),
    )


def live_entry_posted_by_its_rules():
    editor = make_editor()
    live = make_live(editor=editor)
    return (
        live.article.get_absolute_url(),
        None,
        "Les délégations arrivent",
        lambda: live_rules.post(live, by=editor, text="Les délégations arrivent."),
    )


# Every model a public page reads, with every path that changes it.
PATHS = {
    Article: [
        article_published_by_workflow,
        article_unpublished_by_workflow,
        article_saved_in_admin,
        article_deleted_in_admin,
    ],
    Category: [
        category_saved_in_admin,
        category_renamed_in_admin_on_its_articles,
        category_deleted_in_admin,
    ],
    Tag: [tag_saved_in_admin, tag_deleted_in_admin],
    AuthorProfile: [author_saved_in_admin, author_deleted_in_admin],
    Page: [page_saved_in_admin, page_deleted_in_admin],
    Photo: [
        photo_changed_by_its_rules,
        photo_saved_in_admin,
        photo_deleted_by_its_rules,
        photo_deleted_in_admin,
    ],
    Comment: [
        comment_approved_by_moderation,
        comment_rejected_by_moderation,
        comment_saved_in_admin,
        comment_deleted_in_admin,
    ],
    ArticleCommentPolicy: [comment_policy_saved_in_admin, comment_policy_deleted_in_admin],
    Alert: [alert_set_by_its_rules],
    Live: [live_started_by_its_rules],
    LiveEntry: [live_entry_posted_by_its_rules],
}

# Read by public pages, and why no path of their own is needed.
COVERED_BY_ANOTHER = {
    "taggit.TaggedItem": "an article's keywords, saved with the article (article paths)",
    "articles.Article_authors": "an article's authors, saved with the article (article paths)",
    "articles.ArticleNote": "written by the admin save of a live article (article paths)",
    "articles.ArticleRedirect": "written by the admin save that changes a slug (article paths)",
    "articles.SearchEntry": "the search index, kept by triggers with the article",
    "auth.User": "bylines come from author profiles; a user with none shows nowhere",
    "sessions.Session": "never cached: a reader with a session is not served cached pages",
    "contenttypes.ContentType": "how taggit finds articles' keywords; written by migrations",
    "mostread.HourlyReads": "reads counted by the beacon: « Les plus lus » follows them on its own "
    "schedule (mostread/), not on the newsroom's changes",
}


@with_fragments
@pytest.mark.parametrize(
    "path", [path for paths in PATHS.values() for path in paths], ids=lambda path: path.__name__
)
def test_each_path_that_changes_what_readers_see_refreshes_the_page(client, cache_layer, path):
    url, before, after, change = path()
    page = held(client, url)
    if before is not None:
        assert before in page
    if after is not None:
        assert after not in page

    change()

    page = read(client, url)
    if before is not None:
        assert before not in page
    if after is not None:
        assert after in page


PUBLIC_PAGES = [
    "/",
    "article",
    "category",
    "tag",
    "author",
    "page",
    "/flux/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/recherche/?q=budget",
]


def test_every_model_public_pages_read_is_listed(client, settings):
    """The tables read to build the public pages, each one a model of PATHS or explained."""
    settings.PAGE_CACHE_ENABLED = settings.FRAGMENT_CACHE_ENABLED = False
    author = make_author()
    article = make_article(tags=["Budget"], authors=[author])
    make_comment(article)
    ArticleCommentPolicy.objects.create(article=article, mode="open")
    alert_rules.save(
        Alert(text="Alerte", ends_at=timezone.now() + timedelta(hours=1)), by=make_editor()
    )
    urls = {
        "article": article.get_absolute_url(),
        "category": article.category.get_absolute_url(),
        "tag": reverse("articles:tag", args=[Tag.objects.get(name="Budget").slug]),
        "author": author.get_absolute_url(),
        "page": Page.objects.get(slug="qui-sommes-nous").get_absolute_url(),
    }
    tables = set()
    for page in PUBLIC_PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(urls.get(page, page)).status_code == 200, page
        for query in queries:
            tables.update(re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"]))

    from django.apps import apps

    by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    read_models = {by_table[t] for t in tables if t in by_table}
    labels = {m._meta.label for m in read_models}
    listed = {m._meta.label for m in PATHS}
    assert {"articles.Article", "comments.Comment", "photos.Photo", "taggit.Tag"} <= labels
    assert labels - listed - set(COVERED_BY_ANOTHER) == set()


def test_keys_name_what_changed_in_the_shared_scheme():
    category = Category.objects.get(slug="politique")
    author = make_author()
    article = make_article(category=category, tags=["Budget"], authors=[author])
    tag = Tag.objects.get(name="Budget")

    assert invalidation.keys_for(article=article) == {
        f"article-{article.pk}",
        f"category-{category.pk}",
        f"tag-{tag.pk}",
        f"author-{author.pk}",
        "home",
        "feed",
        "sitemap",
        "api",
    }
    assert invalidation.keys_for(comments_of=article) == {f"comments-{article.pk}"}
    assert invalidation.keys_for(comments_of=[3, 4]) == {"comments-3", "comments-4"}
    # A rubric, keyword or author saved (renamed…): its pages and every page printing its name.
    assert invalidation.keys_for(category=7) == {"category-7", "name-category-7", "nav", "home"}
    assert invalidation.keys_for(page=2, photo=5, tag=6, author=8) == {
        "page-2",
        "nav",
        "photo-5",
        "tag-6",
        "name-tag-6",
        "author-8",
        "name-author-8",
    }
    assert invalidation.keys_for(nav=True, alert=True) == {"nav", "alert"}
    assert invalidation.keys_for() == set()


def test_no_model_signal_refreshes_the_cache_behind_the_rules():
    """PATHS pass with the rules' changed() alone: no receiver on the models they change
    refreshes the public cache (comments' count keeping aside)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from taggit.models import TaggedItem

    models = [*PATHS, TaggedItem, Article.authors.through, Article.tags.through]
    for signal in (post_save, post_delete, m2m_changed):
        for model in models:
            sync, asynchronous = signal._live_receivers(model)
            modules = {receiver.__module__ for receiver in [*sync, *asynchronous]}
            assert not {m for m in modules if m.startswith(("public_cache", "edge"))}, model
            assert "articles.apps" not in modules, model


def test_a_publication_in_another_rubric_leaves_the_hot_article_in_the_page_cache(
    client, caches_on
):
    politics, sports = (Category.objects.get(slug=slug) for slug in ("politique", "sports"))
    hot = make_article(title="L’article que tout le monde lit", category=politics)
    match = make_article(title="Le match de ce soir", category=sports, status="review")
    for url in (hot.get_absolute_url(), "/", sports.get_absolute_url()):
        held(client, url)

    workflow.publish(match, by=make_editor())

    assert client.get(hot.get_absolute_url())["X-Page-Cache"] == "hit"
    for url in ("/", sports.get_absolute_url()):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert "Le match de ce soir" in response.content.decode()


def test_a_comment_approved_on_one_article_leaves_the_others_in_the_page_cache(client, caches_on):
    # In two rubrics: an article's page shows cards (and comment counts) of its rubric's.
    first = make_article(category=Category.objects.get(slug="politique"))
    other = make_article(category=Category.objects.get(slug="sports"))
    pending = make_comment(first, text="Un avis enfin publié.", status=Comment.Status.PENDING)
    for article in (first, other):
        held(client, article.get_absolute_url())

    moderation.approve(pending)

    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    response = client.get(first.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "Un avis enfin publié." in response.content.decode()
    assert "1 commentaire" in response.content.decode()


@with_fragments
def test_renaming_a_rubric_refreshes_the_pages_showing_its_name(client, cache_layer):
    category = Category.objects.get(slug="coaching")
    elsewhere = make_article(category=Category.objects.get(slug="politique"))
    urls = [category.get_absolute_url(), "/", elsewhere.get_absolute_url()]
    for url in urls:
        assert "Rubrique renommée" not in held(client, url)

    data = {"name": "Rubrique renommée", "slug": category.slug, "position": category.position}
    admin_save(category, data)

    for url in urls:  # Its own page, the home page's sections, every navigation bar.
        assert "Rubrique renommée" in read(client, url), url


def test_a_publication_renders_again_only_the_fragments_showing_what_it_touched(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    politics, sports = (Category.objects.get(slug=slug) for slug in ("politique", "sports"))
    hot = make_article(title="Titre d’origine", category=politics)
    match = make_article(title="Le match de ce soir", category=sports, status="review")
    held(client, hot.get_absolute_url())
    held(client, "/")
    # Changed behind the rules' back: only a fragment rendered again would show it.
    Article.objects.filter(pk=hot.pk).update(title="Titre changé en douce")

    workflow.publish(match, by=make_editor())

    assert '<h1 class="article__title">Titre d’origine</h1>' in read(client, hot.get_absolute_url())
    home = read(client, "/")
    assert "Le match de ce soir" in home
    assert "Titre changé en douce" in home  # The home page's lists were rendered again.
