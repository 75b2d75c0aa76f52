"""The admin speaks French, well, on every page each role can reach, and carries our name."""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from actualites.admin_site import FEMININE_NOUNS, MASCULINE_NOUNS, Noun
from articles import workflow
from articles.models import AuditEvent
from comments.models import ArticleCommentPolicy, BlockedWord
from newsroom.models import SecurityPolicy
from tests.admin_crawl import Crawl, read, shape
from tests.factories import make_article, make_editor, make_journalist, make_photo, make_user
from tests.newsletter.factories import make_issue
from tests.newsroom import newsroom_day

pytestmark = pytest.mark.django_db

# Generated French nobody would write, and Django's name where ours belongs.
AWKWARD = [
    "Ajout de ",
    "Affichage de ",
    "Sélectionnez l",
    "l’objet",
    "l'objet",
    "un objet",
    "Aucun(e)",
    "(e)",
    "Par à ",
    "Par le ",
    "Par publié",
    "Par envoyé",
    "Par inscrit",
    "Par confirmé",
    "Par téléversée",
    "Django",
]
# English a French newsroom would meet in Django's and the libraries' admin pages.
ENGLISH = re.compile(
    r"\b(Tags?|Slug|Select|Add|Change|Delete|Save|Search|Filter|History|Home|View|Edit|Remove|"
    r"Yes|None|Log (?:in|out)|Password|Username|Users|Groups|Devices?|Tasks?|"
    r"Results?|Access|Attempts?|Locked|Merge|Data|Status|Welcome|Can (?:add|change|delete|view)|"
    r"TOTP|Otp)\b"
)


def problems(text):
    found = [phrase for phrase in AWKWARD if phrase in text]
    return found + sorted(set(ENGLISH.findall(text)))


@pytest.fixture
def newsroom():
    journalist = make_journalist(username="julie")
    editor = make_editor(username="marc")
    superuser = make_user(username="admin", is_staff=True, is_superuser=True)
    pieces = newsroom_day(journalist, editor)
    workflow.publish(pieces["in_review"], by=editor)  # an audit event
    make_article(tags=["Économie locale", "Alaska"])
    draft_issue = make_issue([pieces["published"][0]], subject="Lettre en préparation")
    BlockedWord.objects.create(word="arnaque")
    ArticleCommentPolicy.objects.create(article=pieces["published"][1], mode="closed")
    SecurityPolicy.objects.create()
    # Someone else's: a person with an authentication app is asked for a code first.
    TOTPDevice.objects.create(user=make_user(username="luc"), name="Téléphone de Luc")
    AccessAttempt.objects.create(
        username="julie", ip_address="203.0.113.9", user_agent="Firefox", http_accept="*/*",
        path_info="/admin/login/", get_data="", post_data="", failures_since_start=2,
    )  # fmt: skip
    AccessFailureLog.objects.create(
        username="julie", ip_address="203.0.113.9", user_agent="Firefox", http_accept="*/*",
        path_info="/admin/login/",
    )  # fmt: skip
    return {
        "journaliste": journalist,
        "éditeur": editor,
        "superutilisateur": superuser,
        # Pages a link reaches only on some objects (the crawl opens one object of each kind).
        "also": {
            "journaliste": [],
            "éditeur": [f"/admin/newsletter/issue/{draft_issue.pk}/envoyer/"],
            "superutilisateur": [f"/admin/newsletter/issue/{draft_issue.pk}/envoyer/"],
        },
    }


# Pages each role must have reached, so that a crawl stopped early cannot pass.
MUST_REACH = {
    "journaliste": [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/articles/article/N/change/",
        "/admin/articles/article/N/history/",
        "/admin/photos/photo/add/",
        "/admin/taggit/tag/",
        "/admin/double-authentification/",
        "/admin/password_change/",
    ],
    "éditeur": [
        "/admin/articles/article/N/delete/",
        "/admin/articles/auditevent/N/change/",
        "/admin/comments/comment/N/change/",
        "/admin/comments/blockedword/N/delete/",
        "/admin/newsletter/issue/N/change/",
        "/admin/newsletter/issue/N/envoyer/",
        "/admin/newsletter/delivery/",
        "/admin/taggit/tag/N/change/",
    ],
    "superutilisateur": [
        "/admin/auth/user/N/change/",
        "/admin/auth/group/add/",
        "/admin/axes/accessattempt/N/change/",
        "/admin/axes/accessfailurelog/N/delete/",
        "/admin/otp_totp/totpdevice/N/change/",
        "/admin/newsroom/securitypolicy/N/change/",
    ],
}


@pytest.mark.parametrize("role", ["journaliste", "éditeur", "superutilisateur"])
def test_every_admin_page_a_role_reaches_is_in_french_and_under_our_name(client, newsroom, role):
    client.force_login(newsroom[role])

    crawl = Crawl(client, also=newsroom["also"][role])

    assert set(MUST_REACH[role]) <= {shape(path) for path in crawl.pages}
    assert crawl.broken == []  # no link leads to a refusal or a missing page
    found = {path: problems(text) for path, text in crawl.pages.items()}
    assert {path: words for path, words in found.items() if words} == {}
    for path, text in crawl.pages.items():
        assert crawl.titles[path].endswith(" | Actualités Express"), path
        assert "Actualités Express — rédaction" in text, path


def test_the_login_page_is_in_french_and_under_our_name(client):
    text, _, title = read(client.get("/admin/login/").content.decode())

    assert problems(text) == []
    assert title == "Connexion | Actualités Express"
    assert "Actualités Express — rédaction" in text


def heading(client, url):
    return html.unescape(re.search(r"<h1>(.*?)</h1>", client.get(url).content.decode()).group(1))


def test_page_titles_agree_with_each_noun(client, newsroom):
    client.force_login(newsroom["éditeur"])
    article = make_article()
    unused_photo = make_photo()

    assert heading(client, "/admin/photos/photo/add/") == "Ajouter une photo"
    assert heading(client, f"/admin/articles/article/{article.pk}/change/") == "Modifier l’article"
    assert (
        heading(client, f"/admin/photos/photo/{unused_photo.pk}/delete/")
        == "Supprimer la photo\u202f?"
    )
    assert heading(client, "/admin/taggit/tag/") == "Mots-clés"
    event = AuditEvent.objects.first()
    assert heading(client, f"/admin/articles/auditevent/{event.pk}/change/") == (
        "Consulter l’événement du journal d’audit"
    )
    assert "Ajouter un mot-clé" in client.get("/admin/taggit/tag/").content.decode()


def test_the_add_pages_breadcrumb_reads_like_its_title(client, newsroom):
    client.force_login(newsroom["éditeur"])

    page = client.get("/admin/photos/photo/add/").content.decode()

    current = re.search(r'<li aria-current="page">(.*?)</li>', page).group(1)
    assert current == "Ajouter une photo"
    assert "Ajouter photo" not in page


def test_every_model_in_the_admin_has_a_known_gender():
    with translation.override("fr"):
        heads = {Noun.of(model._meta).head for model in admin.site._registry}

    assert heads - FEMININE_NOUNS - MASCULINE_NOUNS == set()


def test_the_compiled_catalog_matches_its_source():
    """locale/…/django.mo is compiled from django.po: each entry reads as written."""
    source = (Path(__file__).parents[1] / "locale/fr/LC_MESSAGES/django.po").read_text()
    entries = re.findall(
        r'^(?:msgctxt "(.*)"\n)?msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?'
        r'msgstr(?:\[0\])? ((?:".*"\n)+)',
        source,
        re.MULTILINE,
    )

    def joined(lines):
        return "".join(re.findall(r'"(.*)"', lines)).replace('\\"', '"').replace("\\n", "\n")

    checked = 0
    with translation.override("fr"):
        for context, msgid, msgstr in entries:
            msgid, msgstr = joined(msgid), joined(msgstr)
            if not msgid:
                continue
            got = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert got == msgstr, msgid
            checked += 1
    assert checked > 40


def fail_to_log_in(client, times):
    for _ in range(times):
        response = client.post(
            "/admin/login/",
            {"username": "julie", "password": "pas-le-bon", "next": "/admin/"},
            REMOTE_ADDR="203.0.113.7",
        )
    return response


def test_the_login_lockout_page_speaks_french_in_the_newsrooms_look(client, settings):
    make_journalist(username="julie")

    response = fail_to_log_in(client, settings.AXES_FAILURE_LIMIT)

    content = response.content.decode()
    text, _, title = read(content)
    assert response.status_code == 429
    assert title == "Connexion temporairement bloquée | Actualités Express"
    assert "Actualités Express — rédaction" in text
    assert "réessayez dans 30 minutes" in text
    assert "PT30M" not in content
    assert problems(text) == []
    assert re.search(r'<body class="[^"]*\blogin\b', content)  # the login page's card


def test_the_lockout_page_says_how_long_in_words(client, settings):
    make_journalist(username="julie")
    settings.AXES_COOLOFF_TIME = timedelta(minutes=90)

    response = fail_to_log_in(client, settings.AXES_FAILURE_LIMIT)

    assert "réessayez dans 1 h 30" in response.content.decode()
