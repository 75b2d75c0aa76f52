"""A newsroom in the middle of its day, for the desk and the article list: pieces at every step."""

from datetime import timedelta

from django.utils import timezone

from articles import workflow
from articles.models import Article, Category, Transition
from comments.models import Comment
from newsletter.models import Delivery, Issue
from tests.comments.factories import make_comment
from tests.factories import make_article, make_journalist
from tests.newsletter.factories import make_issue, make_subscriber

Status = Article.Status


def piece(author, title, status=Status.DRAFT, **overrides):
    overrides.setdefault("category", Category.objects.get(slug="economie"))
    overrides.setdefault("created_by", author)
    return make_article(authors=[author.author_profile], title=title, status=status, **overrides)


def submitted(article, by, hours_ago):
    """Submit `article` as `by`, dated `hours_ago` hours back."""
    step = workflow.submit(article, by=by)
    Transition.objects.filter(pk=step.pk).update(at=timezone.now() - timedelta(hours=hours_ago))
    return article


def newsroom_day(journalist, editor) -> dict:
    """What a journalist and an editor find on arriving; returns the main pieces by role."""
    colleague = make_journalist(username="camille")
    now = timezone.now()
    drafts = [
        piece(journalist, "Le prix du gazole repasse sous la barre des 1,60 euro"),
        piece(journalist, "Quatre questions sur la réforme de l’assurance chômage"),
    ]
    sent_back = submitted(
        piece(journalist, "Les boulangers face à la flambée du prix du beurre"), journalist, 26
    )
    workflow.send_back(
        sent_back,
        by=editor,
        comment="Le chiffre de la Fédération date de 2023 : trouvez celui de cette année, et citez "
        "un boulanger de la région.",
    )
    in_review = submitted(
        piece(journalist, "À Lyon, la ligne de tramway T10 ouvrira avec six mois de retard"),
        journalist,
        3,
    )
    waiting_long = submitted(
        piece(
            colleague,
            "Budget 2027 : ce que contient le projet de loi de finances présenté en conseil des "
            "ministres, mesure par mesure",
        ),
        colleague,
        50,
    )
    scheduled = piece(
        journalist,
        "Marché de Noël de Strasbourg : ce qui change cette année",
        status=Status.PUBLISHED,
        published_at=now + timedelta(hours=20),
    )
    published = [
        piece(
            journalist,
            "La Banque de France relève sa prévision de croissance",
            status=Status.PUBLISHED,
            published_at=now - timedelta(hours=5),
        ),
        piece(
            journalist,
            "Les ventes de vélos électriques reculent pour la deuxième année",
            status=Status.PUBLISHED,
            published_at=now - timedelta(days=2),
        ),
    ]
    for text in (
        "Et les retraités dans tout ça ? Personne n’en parle jamais.",
        "Très bon article, merci pour les chiffres détaillés.",
        "Le gazole était déjà à ce prix en 2019, il faut comparer avec l’inflation.",
    ):
        make_comment(published[0], text=text, status=Comment.Status.PENDING)
    issue = make_issue([published[0]], subject="La lettre du matin — 28 novembre")
    subscribers = [make_subscriber() for _ in range(5)]
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING, started_at=now)
    for n, subscriber in enumerate(subscribers):
        status = Delivery.Status.SENT if n < 3 else Delivery.Status.PENDING
        Delivery.objects.create(issue=issue, subscriber=subscriber, status=status)
    return {
        "drafts": drafts,
        "sent_back": sent_back,
        "in_review": in_review,
        "waiting_long": waiting_long,
        "scheduled": scheduled,
        "published": published,
        "issue": issue,
    }
