"""French typography on every public page: the interface's own words, not only articles.

Each page a reader can reach is rendered and read as a reader reads it (text, <title>,
attributes, sharing metadata): no straight apostrophe between letters, a no-break space
before ; : ! ? and inside « », thousands grouped (« 3 000 »).
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.notices import moderation_url
from newsletter import subscriptions
from newsletter.models import Subscriber
from tests.comments.factories import comment_data, make_comment
from tests.factories import make_article, make_author, make_editor, make_photo
from tests.newsletter.factories import make_subscriber, signup_data
from tests.pages import typography_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    # Straight apostrophes and ordinary spaces, as a journalist types them: the site corrects
    # them wherever it shows them (page, <title>, sharing metadata, cards, alt texts).
    author = make_author(
        display_name="Camille Durand", slug="camille", bio="Elle suit l'actualité : partout !"
    )
    story = make_article(
        title="Poutine et Trump en Alaska : l'entretien a duré trois heures",
        slug="alaska",
        standfirst="Aucun accord n'a été signé ; les deux présidents disent avoir avancé.",
        body="<p>Sur le tarmac d'Anchorage, l'accueil fut chaleureux !</p>",
        hero_photo=make_photo(
            caption="L'arrivée des délégations : une illustration",
            credit="Illustration : Actualités Express",
            alt_text="Aplats bleus et rouges, l'horizon d'une base aérienne",
            with_renditions=True,
        ),
        authors=[author],
        tags=["Alaska", "États-Unis"],
        published_at=timezone.now() - timedelta(hours=1),
    )
    for n in range(13):
        make_article(title=f"Une autre dépêche, numéro {n}", authors=[author], tags=["Alaska"])
    make_comment(story, name="Léa", email="lea@exemple.org", text="Merci pour ce compte rendu.")
    return story


def public_pages(client, story):
    """Every kind of page a reader, a subscriber or a moderator can land on."""
    yield "une", client.get("/")
    yield "article", client.get(story.get_absolute_url())
    yield (
        "article après un commentaire",
        client.get(story.get_absolute_url() + "?commentaire=en-attente"),
    )
    old = make_article(
        title="Un vieux sujet",
        authors=list(story.authors.all()),
        published_at=timezone.now() - timedelta(days=400),
    )
    yield "article aux commentaires fermés", client.get(old.get_absolute_url())
    yield "rubrique", client.get(story.category.get_absolute_url())
    yield "rubrique page 2", client.get(story.category.get_absolute_url() + "?page=2")
    yield "mot-clé", client.get(reverse("articles:tag", args=["alaska"]))
    yield "auteur", client.get(story.authors.get().get_absolute_url())
    yield "qui sommes-nous", client.get("/qui-sommes-nous/")
    search = reverse("articles:search")
    yield "recherche vide", client.get(search)
    yield "recherche sans mot", client.get(search, {"q": "!!!"})
    yield "recherche sans résultat", client.get(search, {"q": "ornithorynque"})
    yield "recherche", client.get(search, {"q": "Alaska"})
    yield "recherche trop longue", client.get(search, {"q": "Alaska " * 60})
    yield "page introuvable", client.get("/cette-page-n-existe-pas/")
    yield (
        "formulaire hors UTF-8",
        client.generic(
            "POST",
            reverse("newsletter:subscribe"),
            b"\xff\xfee\x00=\x00",
            "application/x-www-form-urlencoded; charset=utf-16",
        ),
    )
    yield "répondre", client.get(reverse("comments:reply", args=[story.comments.first().pk]))
    post = reverse("comments:post", args=[story.pk])
    yield "commentaire refusé", client.post(post, comment_data(story, text="", name=""))
    yield "commentaire trop long", client.post(post, comment_data(story, text="mot " * 900))
    yield (
        "commentaire d'un autre site",
        client.post(post, comment_data(story), headers={"Origin": "https://ailleurs.example"}),
    )
    # Names and addresses spelled out: the factories' numbered ones grow past 2100.
    editor = make_editor(username="chef", email="chef@exemple.fr")
    pending = make_comment(
        story,
        name="Paul",
        email="paul@exemple.fr",
        text="Un avis à relire.",
        status=Comment.Status.PENDING,
    )
    link = urlsplit(moderation_url(pending, "approve", user=editor)).path
    yield "lien de modération", client.get(link)
    yield "lien de modération invalide", client.get(reverse("comments:moderate", args=["x"]))
    newsletter = reverse("newsletter:subscribe")
    yield "newsletter", client.get(newsletter)
    yield "newsletter adresse invalide", client.post(newsletter, signup_data("pas-une-adresse"))
    yield "newsletter merci", client.get(reverse("newsletter:thanks"))
    client.post(newsletter, signup_data("deux-fois@exemple.fr"))
    yield (
        "newsletter demande en cours",
        client.post(newsletter, signup_data("deux-fois@exemple.fr")),
    )
    yield "newsletter exemplaire de test", client.get(reverse("newsletter:test-copy"))
    yield (
        "newsletter autre site",
        client.post(
            newsletter, signup_data("a@exemple.fr"), headers={"Origin": "https://ailleurs.example"}
        ),
    )
    pending_subscriber = make_subscriber(email="lea@exemple.fr", status=Subscriber.Status.PENDING)
    confirm = reverse("newsletter:confirm", args=[subscriptions.confirm_token(pending_subscriber)])
    yield "newsletter confirmation", client.get(confirm)
    yield "newsletter confirmée", client.get(reverse("newsletter:confirmed"))
    yield "newsletter lien invalide", client.get(reverse("newsletter:confirm", args=["x"]))
    subscriber = make_subscriber(email="marc@exemple.fr")
    unsubscribe = reverse(
        "newsletter:unsubscribe", args=[subscriptions.unsubscribe_token(subscriber)]
    )
    yield (
        "newsletter préférences",
        client.get(
            reverse("newsletter:preferences", args=[subscriptions.preferences_token(subscriber)])
        ),
    )
    yield "newsletter désabonnement", client.get(unsubscribe)
    yield "newsletter désabonné", client.post(unsubscribe)
    yield (
        "newsletter confirmation après désabonnement",
        client.get(reverse("newsletter:confirm", args=[subscriptions.confirm_token(subscriber)])),
    )


def test_every_public_page_follows_french_typography(client, story, settings):
    settings.NEWSLETTER_RATE_PER_IP = 1000
    problems = {}
    for name, response in public_pages(client, story):
        assert response.status_code < 500, name
        found = typography_problems(response.content.decode())
        if found:
            problems[name] = found

    assert problems == {}


@pytest.mark.parametrize(
    "template",
    [
        "400.html",
        "403.html",
        "500.html",
        "newsletter/rate_limited.html",
        "newsletter/forbidden.html",
    ],
)
def test_error_pages_follow_french_typography(rf, template):
    html = render_to_string(template, {"site_name": "Actualités Express"}, request=rf.get("/"))

    assert typography_problems(html) == []


def test_the_check_reads_text_titles_and_metadata_but_not_scripts():
    html = (
        "<title>Qui sommes-nous ?</title>"
        '<meta property="og:title" content="L\'été : 12000 lecteurs">'
        '<script type="application/ld+json">{"a": "l\'été : oui"}</script>'
        "<p>L’été&nbsp;: «&nbsp;3&#8239;000&nbsp;» lecteurs en 2025&#8239;!</p>"
    )

    assert typography_problems(html) == [
        "espace ordinaire avant ; : ! ? ou » : …Qui sommes-nous ?…",
        "apostrophe droite : …L'été : 12000 lecteurs…",
        "espace ordinaire avant ; : ! ? ou » : …L'été : 12000 lecteurs…",
        "milliers sans espace : …L'été : 12000 lecteurs…",
    ]
