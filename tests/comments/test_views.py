import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Category
from comments.models import ArticleCommentPolicy, Comment
from public_forms.guard import SALT as TOKEN_SALT
from tests.factories import make_article
from tests.pages import assert_cacheable_and_csp_safe, readable

from .factories import comment_data, make_comment, post_comment, token_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="La réforme des retraites en débat", slug="reforme-retraites")


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def token_in(html):
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def fresh_token(client, article):
    """What the page's script gets when the reader reaches the form."""
    response = client.get(reverse("comments:token", args=[article.pk]))
    assert response.status_code == 200
    return response.json()["token"]


# --- Posting ------------------------------------------------------------------------------


def test_new_reader_comment_waits_for_moderation_with_a_fixed_message(client, article):
    response = post_comment(client, article, text="Bonjour,\nJe ne suis pas d'accord.")

    assert response.status_code == 302
    assert (
        response["Location"] == "/articles/reforme-retraites/?commentaire=en-attente#commentaires"
    )
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "Claire Dupont"
    assert comment.email == "claire@example.org"
    assert comment.text == "Bonjour,\nJe ne suis pas d'accord."
    assert comment.ip == "203.0.113.7"
    assert comment.user_agent == "Mozilla/5.0 (Tests)"
    assert comment.reasons == ["Aucun commentaire déjà publié avec cette adresse e-mail."]
    html = page(client, article, "?commentaire=en-attente")
    assert "Votre commentaire est en attente de modération" in html
    assert "Je ne suis pas d" not in html


def test_known_reader_is_published_at_once_and_lands_on_the_comment(client, article):
    make_comment(email="claire@example.org", article=make_article())

    response = post_comment(client, article, email="Claire@Example.org", text="Encore moi !")

    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    assert comment.email == "claire@example.org"
    assert response["Location"] == (
        f"/articles/reforme-retraites/?commentaire=publie#comment-{comment.pk}"
    )
    html = page(client, article, "?commentaire=publie")
    assert "Votre commentaire est publié." in html
    assert f'id="comment-{comment.pk}"' in html
    assert "Encore moi" in html


def test_unknown_feedback_value_shows_no_message(client, article):
    html = page(client, article, "?commentaire=<b>pirate</b>")
    assert "pirate" not in html
    assert "Merci !" not in html


def test_comment_opting_in_is_stored_with_the_choice(client, article):
    post_comment(client, article, notify_on_approval="on")
    assert Comment.objects.get().notify_on_approval is True


@pytest.mark.parametrize(
    "overrides, messages, kept",
    [
        (
            {"name": "", "email": "", "text": ""},
            [
                "Indiquez votre nom : il sera affiché avec votre commentaire.",
                "Indiquez votre adresse e-mail : elle ne sera jamais affichée.",
                "Écrivez votre commentaire avant de l",
            ],
            [],
        ),
        (
            {"name": "   ", "text": " \n\t "},
            ["Indiquez votre nom", "Écrivez votre commentaire"],
            ["claire@example.org"],
        ),
        (
            {"text": "Trop long. " * 455},  # 5,005 characters
            ["Votre commentaire est trop long : 3 000 caractères au plus (il en compte 5 004)."],
            ["Claire Dupont", "claire@example.org", ("Trop long. " * 455).strip()],
        ),
        (
            {"email": "claire@example"},
            ["Cette adresse e-mail n'est pas valide : vérifiez-la"],
            ["Claire Dupont", 'value="claire@example"', "Merci pour cet article"],
        ),
        (
            {"email": "claire at example.org"},
            ["Cette adresse e-mail n'est pas valide"],
            ['value="claire at example.org"'],
        ),
    ],
    ids=["empty", "blank", "5000-chars", "email-without-tld", "email-without-at"],
)
def test_invalid_comment_comes_back_with_french_messages_and_what_was_typed(
    client, article, overrides, messages, kept
):
    response = post_comment(client, article, **overrides)

    assert response.status_code == 400
    html = response.content.decode()
    for message in messages:
        assert message in readable(html)
    for value in kept:
        assert value in html
    assert "Votre commentaire n'a pas encore été envoyé" in readable(html)
    assert Comment.objects.count() == 0


def test_the_text_box_shows_the_limit_and_never_cuts_a_pasted_text(client, article):
    html = page(client, article)

    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert "maxlength" not in textarea
    assert 'aria-describedby="id_text_helptext"' in textarea
    assert (
        '<div class="helptext" id="id_text_helptext">Texte simple, 3\u202f000 caractères au plus'
        in html
    )

    # What the browser no longer cuts, the server refuses whole, and gives back.
    long_text = "Un avis détaillé. " * 200
    response = post_comment(client, article, text=long_text)
    assert response.status_code == 400
    assert long_text.strip() in response.content.decode()
    assert "il en compte 3 599" in readable(response.content.decode())
    assert Comment.objects.count() == 0


def test_malformed_email_message_is_french(client, article):
    html = post_comment(client, article, email="claire@").content.decode()
    assert "Cette adresse e-mail n'est pas valide : vérifiez-la" in readable(html)
    assert 'value="claire@"' in html


def test_nul_byte_is_a_form_error_and_never_reaches_the_database(client, article):
    response = post_comment(client, article, name="Cla\x00ire", text="Bon\x00jour\x07 à tous")

    assert response.status_code == 400
    html = response.content.decode()
    assert "caractères de contrôle invisibles" in html
    assert "\x00" not in html
    # What was typed comes back, cleaned of the control characters, ready to send again.
    assert 'value="Claire"' in html
    assert "Bonjour à tous" in html
    assert Comment.objects.count() == 0


def test_form_shown_again_carries_a_fresh_token_that_works(client, article, time_machine):
    html = post_comment(client, article, text="").content.decode()
    time_machine.move_to(timezone.now() + timedelta(seconds=10))

    response = post_comment(client, article, token=token_in(html))

    assert response.status_code == 302
    assert Comment.objects.count() == 1


# --- What readers see ---------------------------------------------------------------------


def test_approved_comments_show_oldest_first_with_name_french_date_and_count(client, article):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    make_comment(
        article, name="Bernard", text="Second", created_at=datetime(2025, 8, 16, 9, 5, tzinfo=paris)
    )
    make_comment(
        article,
        name="Alice",
        text="Premier",
        created_at=datetime(2025, 8, 15, 22, 30, tzinfo=paris),
    )
    make_comment(article, name="Caché", text="En attente", status=Comment.Status.PENDING)
    make_comment(article, name="Refusé", text="Refusé", status=Comment.Status.REJECTED)
    make_comment(article, name="Spam", text="Spam", status=Comment.Status.SPAM)

    html = page(client, article)

    assert "2 commentaires" in html
    assert html.index("Premier") < html.index("Second")
    assert "15 août 2025 à 22h30" in html
    assert "16 août 2025 à 09h05" in html
    for hidden in ("En attente", "Caché", "Refusé", "Spam"):
        assert hidden not in html


def test_email_is_never_shown(client, article):
    make_comment(article, email="secret.lecteur@example.org")
    assert "secret.lecteur" not in page(client, article)


def test_replies_show_under_their_parent(client, article):
    first = make_comment(article, text="Premier avis")
    second = make_comment(article, text="Deuxième avis")
    make_comment(article, text="Réponse au premier", parent=first)

    html = page(client, article)

    assert "3 commentaires" in html
    assert (
        html.index("Premier avis") < html.index("Réponse au premier") < html.index("Deuxième avis")
    )
    assert 'class="comment comment--reply"' in html
    assert reverse("comments:reply", args=[second.pk]) in html


def test_reader_replies_from_the_reply_page(client, article):
    parent = make_comment(article, name="Alice", text="Un premier avis")

    html = client.get(reverse("comments:reply", args=[parent.pk])).content.decode()
    assert "Répondre à Alice" in html
    assert "Un premier avis" in html
    assert f'name="parent" value="{parent.pk}"' in html

    post_comment(client, article, parent=parent.pk, text="Je réponds à Alice")

    assert Comment.objects.get(text="Je réponds à Alice").parent == parent


def test_reply_to_a_reply_joins_the_thread_one_level_deep(client, article):
    parent = make_comment(article)
    reply = make_comment(article, parent=parent)

    assert client.get(reverse("comments:reply", args=[reply.pk]))["Location"] == reverse(
        "comments:reply", args=[parent.pk]
    )
    post_comment(client, article, parent=reply.pk, text="Troisième niveau ?")

    assert Comment.objects.get(text="Troisième niveau ?").parent == parent


def test_reply_to_a_hidden_comment_is_refused_and_can_be_sent_as_a_new_one(client, article):
    hidden = make_comment(article, status=Comment.Status.PENDING)

    response = post_comment(client, article, parent=hidden.pk, text="Je réponds")

    assert response.status_code == 400
    html = response.content.decode()
    assert "auquel vous répondez n'est plus visible" in readable(html)
    assert 'name="parent" type="hidden"' not in html or f'value="{hidden.pk}"' not in html
    assert "Je réponds" in html
    assert Comment.objects.count() == 1


def test_reply_page_of_an_unpublished_comment_is_404(client, article):
    hidden = make_comment(article, status=Comment.Status.PENDING)
    assert client.get(reverse("comments:reply", args=[hidden.pk])).status_code == 404


def test_html_and_script_are_stored_verbatim_and_shown_as_text(client, article):
    make_comment(email="claire@example.org")  # Known reader: published at once.
    payload = '<script>alert("x")</script><b onclick="evil()">gras</b>'

    post_comment(client, article, name="<img src=x onerror=alert(1)>", text=payload)

    comment = Comment.objects.get(article=article)
    assert comment.text == payload
    assert comment.name == "<img src=x onerror=alert(1)>"
    html = page(client, article)
    assert "<script>alert" not in html
    assert "<b onclick" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_html_typed_in_an_invalid_form_comes_back_escaped(client, article):
    html = post_comment(client, article, email="bad", text="<script>alert(1)</script>").content
    assert b"<script>alert(1)" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_line_breaks_are_kept_and_links_are_plain_text(client, article):
    make_comment(article, text="Ligne un\nLigne deux\n\nVoir https://exemple.fr/page")

    html = page(client, article)

    assert "Ligne un<br>Ligne deux<br><br>Voir https://exemple.fr/page" in html
    assert 'href="https://exemple.fr/page"' not in html


def test_links_become_nofollow_links_when_the_setting_allows(client, article, settings):
    settings.COMMENTS_LINKIFY = True
    make_comment(article, text="Voir https://exemple.fr/page et <b>ça</b>")

    html = page(client, article)

    assert '<a href="https://exemple.fr/page" rel="nofollow">https://exemple.fr/page</a>' in html
    assert "&lt;b&gt;ça&lt;/b&gt;" in html


def test_article_page_carries_no_token_no_inline_script_and_no_personal_data(client, article):
    make_comment(article, name="Alice", email="alice@example.org")
    html = page(client, article)

    assert_cacheable_and_csp_safe(html)
    assert "alice@example.org" not in html
    assert 'name="website"' in html  # The honeypot, hidden by the style sheet.
    assert 'class="comment-form__hp"' in html


def test_comment_count_shows_on_article_cards(client):
    politics = Category.objects.get(slug="politique")
    article = make_article(category=politics, title="Un sujet très commenté")
    make_comment(article)
    make_comment(article)
    make_comment(article, status=Comment.Status.PENDING)
    make_article(category=politics, title="Un sujet sans commentaire")

    html = client.get(politics.get_absolute_url()).content.decode()

    assert f'href="{article.get_absolute_url()}#commentaires">2 commentaires</a>' in html
    assert html.count('class="byline__comments"') == 1


def test_comment_counts_keep_listings_newest_first(client):
    politics = Category.objects.get(slug="politique")
    now = timezone.now()
    for days, title in [(3, "Avant-hier"), (1, "Hier"), (2, "Veille")]:
        make_comment(
            make_article(category=politics, title=title, published_at=now - timedelta(days=days))
        )

    html = client.get(politics.get_absolute_url()).content.decode()

    assert html.index("Hier") < html.index("Veille") < html.index("Avant-hier")


def test_article_page_query_count_does_not_depend_on_the_number_of_comments(client, article):
    def count():
        with CaptureQueriesContext(connection) as queries:
            page(client, article)
        return len(queries)

    with_none = count()
    parents = [make_comment(article) for _ in range(100)]
    for parent in parents:
        make_comment(article, parent=parent)
    with_200 = count()

    assert Comment.objects.approved().filter(article=article).count() == 200
    assert "200 commentaires" in page(client, article)
    assert with_200 == with_none


# --- Closing ------------------------------------------------------------------------------


def test_editors_can_close_comments_on_an_article(client, article):
    make_comment(article, text="Un avis d'avant la fermeture")
    ArticleCommentPolicy.objects.create(
        article=article,
        mode=ArticleCommentPolicy.Mode.CLOSED,
        reason="Débat clos : trop d'insultes.",
    )

    html = page(client, article)
    assert "Débat clos : trop d'insultes." in readable(html)
    assert "Un avis d&#x27;avant la fermeture" in html
    assert 'class="comment-form"' not in html
    assert "Répondre à" not in html

    response = post_comment(client, article, text="Je passe quand même")
    assert response.status_code == 403
    assert "Je passe quand même" in response.content.decode()
    assert Comment.objects.filter(text="Je passe quand même").count() == 0


def test_closed_without_reason_gets_a_default_explanation(client, article):
    ArticleCommentPolicy.objects.create(article=article)
    assert "La rédaction a fermé les commentaires sur cet article." in page(client, article)


def test_comments_close_automatically_after_the_configured_days(client, settings):
    old = make_article(published_at=timezone.now() - timedelta(days=31))
    recent = make_article(published_at=timezone.now() - timedelta(days=29))

    assert "Les commentaires sont fermés 30 jours après la publication" in page(client, old)
    assert 'class="comment-form"' not in page(client, old)
    assert 'class="comment-form"' in page(client, recent)
    assert post_comment(client, old).status_code == 403

    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert 'class="comment-form"' in page(client, old)


def test_editors_can_keep_an_old_article_open(client):
    old = make_article(published_at=timezone.now() - timedelta(days=400))
    ArticleCommentPolicy.objects.create(article=old, mode=ArticleCommentPolicy.Mode.OPEN)

    assert 'class="comment-form"' in page(client, old)
    assert post_comment(client, old).status_code == 302
    assert Comment.objects.get().article == old


def test_comments_on_unpublished_articles_are_404(client):
    from articles.models import Article

    draft = make_article(status=Article.Status.DRAFT)
    assert post_comment(client, draft).status_code == 404
    assert client.get(reverse("comments:post", args=[draft.pk])).status_code == 405


# --- Against spam -------------------------------------------------------------------------


def test_honeypot_filled_in_is_refused(client, article):
    response = post_comment(client, article, website="https://spam.example")

    assert response.status_code == 400
    html = response.content.decode()
    assert "doit rester vide" in html
    assert "https://spam.example" not in html  # Emptied, so a person can send again.
    assert Comment.objects.count() == 0


def test_form_sent_too_fast_is_refused_then_accepted_a_little_later(client, article, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = fresh_token(client, article)

    too_fast = post_comment(client, article, token=token)
    assert too_fast.status_code == 400
    assert "un peu vite" in too_fast.content.decode()
    assert "Merci pour cet article" in too_fast.content.decode()

    time_machine.move_to(timezone.now() + timedelta(seconds=4), tick=False)
    assert post_comment(client, article, token=token).status_code == 302
    assert Comment.objects.count() == 1


def test_form_older_than_a_day_is_refused_with_the_text_kept(client, article):
    response = post_comment(client, article, token=token_from(article, seconds_ago=25 * 3600))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Le formulaire a expiré" in html
    assert "Merci pour cet article" in html
    assert Comment.objects.count() == 0


def test_a_form_from_a_cached_page_hours_old_is_accepted(client, article):
    response = post_comment(client, article, token=token_from(article, seconds_ago=6 * 3600))
    assert response.status_code == 302
    assert Comment.objects.get().article == article


def test_a_robot_posting_at_once_from_a_cached_page_is_still_too_fast(
    client, article, settings, time_machine
):
    settings.PAGE_CACHE_ENABLED = True
    time_machine.move_to(timezone.now(), tick=False)
    page(client, article)  # someone fills the cache
    time_machine.shift(timedelta(minutes=2))
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    # The cached form has no token, whose time would be the cache's, not this reader's.
    assert '<input type="hidden" name="token" id="id_token">' in response.content.decode()

    confirm = post_comment(client, article, token="")
    assert confirm.status_code == 400
    assert "Dernière étape avant l’envoi" in confirm.content.decode()
    too_fast = post_comment(client, article, token=token_in(confirm.content.decode()))

    assert too_fast.status_code == 400
    assert "un peu vite" in too_fast.content.decode()


def test_without_javascript_the_first_post_asks_for_a_confirmation_then_goes_through(
    client, article, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    confirm = post_comment(client, article, token="", text="Merci pour ce récit.")

    assert confirm.status_code == 400
    html = confirm.content.decode()
    assert "Dernière étape avant" in html
    assert "Merci pour ce récit." in html
    assert Comment.objects.count() == 0

    time_machine.shift(timedelta(seconds=10))
    sent = post_comment(client, article, token=token_in(html), text="Merci pour ce récit.")
    assert sent.status_code == 302
    assert Comment.objects.get().text == "Merci pour ce récit."


def test_every_reader_of_a_cached_page_gets_the_same_bytes_and_a_token_of_the_moment(
    client, article, settings, time_machine
):
    settings.PAGE_CACHE_ENABLED = True
    time_machine.move_to(timezone.now(), tick=False)
    first = client.get(article.get_absolute_url())
    first_token = fresh_token(client, article)
    time_machine.shift(timedelta(seconds=30))
    second = client.get(article.get_absolute_url())
    second_token = fresh_token(client, article)

    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert first_token != second_token
    # One strong ETag for everyone, and a 304 to whoever has the page.
    assert second["ETag"] == first["ETag"]
    assert not first["ETag"].startswith("W/")
    revalidated = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304


def test_the_token_is_kept_by_no_cache_and_reads_no_database(
    client, article, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(reverse("comments:token", args=[article.pk]))
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize("tamper", ["edited", "other-article", "unsigned-json"])
def test_tampered_token_is_refused(client, article, tamper):
    from django.core import signing

    token = {
        "edited": token_from(article)[:-3] + "abc",
        "other-article": token_from(make_article()),
        "unsigned-json": signing.dumps("n'importe quoi", salt=TOKEN_SALT),
    }[tamper]

    response = post_comment(client, article, token=token)

    assert response.status_code == 400
    assert "Le formulaire n'a pas pu être vérifié" in readable(response.content.decode())
    assert Comment.objects.count() == 0


def test_too_many_posts_from_one_address_get_429_with_a_friendly_page(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 3
    for i in range(3):
        assert post_comment(client, article, text=f"Avis numéro {i}").status_code == 302
    assert Comment.objects.count() == 3

    response = post_comment(client, article, text="Un avis de trop")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Vous avez envoyé beaucoup de commentaires en peu de temps" in html
    assert "Un avis de trop" in html
    assert Comment.objects.count() == 3
    # Another reader, elsewhere, is not affected.
    assert post_comment(client, article, ip="198.51.100.9", text="Autre lecteur").status_code == 302


def test_rate_limit_uses_the_proxy_header_when_configured(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "10.0.0.1"
    settings.TRUSTED_PROXIES = [proxy]

    first = post_comment(client, article, ip=proxy, headers={"X-Forwarded-For": "203.0.113.1"})
    second = post_comment(
        client, article, ip=proxy, headers={"X-Forwarded-For": "203.0.113.2"}, text="Autre"
    )

    assert (first.status_code, second.status_code) == (302, 302)
    assert Comment.objects.get(text="Autre").ip == "203.0.113.2"


def test_the_same_comment_sent_twice_is_stored_once(client, article):
    first = post_comment(client, article)
    second = post_comment(client, article, text="  Merci pour cet article clair et précis.  ")

    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Comment.objects.count() == 1


def test_the_same_text_from_another_reader_or_on_another_article_is_stored(client, article):
    post_comment(client, article)
    post_comment(client, article, email="autre@example.org")
    post_comment(client, make_article())
    assert Comment.objects.count() == 3


def test_post_from_another_site_is_refused(client, article):
    response = post_comment(client, article, headers={"Origin": "https://pirate.example"})

    assert response.status_code == 403
    assert "depuis un autre site" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("origin", [None, "http://testserver"])
def test_post_from_our_own_pages_is_accepted(client, article, origin):
    headers = {"Origin": origin} if origin else {}
    assert post_comment(client, article, headers=headers).status_code == 302
    assert Comment.objects.get().article == article


def test_form_data_helper_is_valid(article):
    from comments.forms import CommentForm

    assert CommentForm(comment_data(article), article=article).is_valid()


def test_reply_page_of_a_closed_article_explains_and_shows_no_form(client, article):
    parent = make_comment(article)
    ArticleCommentPolicy.objects.create(article=article, reason="Fermé pour la nuit.")

    response = client.get(reverse("comments:reply", args=[parent.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Fermé pour la nuit." in html
    assert 'class="comment-form"' not in html


def test_a_story_with_many_comments_shows_them_a_page_at_a_time(client, settings):
    settings.COMMENTS_PER_PAGE = 5
    article = make_article()
    for n in range(12):
        make_comment(article, text=f"Avis numéro {n:02d}")

    first = client.get(article.get_absolute_url()).content.decode()
    last = client.get(article.get_absolute_url() + "?commentaires=3").content.decode()

    assert "12 commentaires" in first
    assert "Avis numéro 00" in first and "Avis numéro 04" in first
    assert "Avis numéro 05" not in first
    assert "?commentaires=2#commentaires" in first
    assert "Avis numéro 10" in last and "Avis numéro 11" in last
    assert "Avis numéro 09" not in last
