"""Comments, form tokens and posts, each valid unless a test says otherwise."""

import itertools
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import moderation
from comments.forms import form_token
from comments.models import Comment
from tests.factories import make_article

_counter = itertools.count(1)


def make_comment(article=None, **overrides):
    n = next(_counter)
    overrides.setdefault("name", f"Lecteur {n}")
    overrides.setdefault("email", f"lecteur{n}@example.org")
    overrides.setdefault("text", f"Un avis argumenté, numéro {n}.")
    overrides.setdefault("status", Comment.Status.APPROVED)
    comment = Comment.objects.create(article=article or make_article(), **overrides)
    # Written directly, as an import would: count it the way imports do.
    moderation.recount(Article.objects.filter(pk=comment.article_id))
    return comment


def token_from(article, seconds_ago=60):
    """The token of a form rendered `seconds_ago` seconds ago, as a reader would send it."""
    with time_machine.travel(timezone.now() - timedelta(seconds=seconds_ago), tick=False):
        return form_token(article.pk)


def comment_data(article, **overrides):
    data = {
        "name": "Claire Dupont",
        "email": "claire@example.org",
        "text": "Merci pour cet article clair et précis.",
        "website": "",
        "token": token_from(article),
    }
    data.update(overrides)
    return data


def post_comment(client, article, ip="203.0.113.7", headers=None, **overrides):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article, **overrides),
        REMOTE_ADDR=ip,
        headers={"User-Agent": "Mozilla/5.0 (Tests)", **(headers or {})},
    )
