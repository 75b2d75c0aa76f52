"""Changes made during a load, for `make bench`: one publication or one moderation per second.

Prepared first (articles taken off the site, comments waiting), then (with --wait, once told
to start on standard input) one change per period until the count is reached, each through the same rules
the newsroom uses. Prints one JSON line per change: its kind, the article and the instant of
its commit (time.time()), so the bench can wait for it through a cache.
"""

import json
import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import workflow
from articles.models import Article
from comments import moderation
from comments.models import Comment

EDITOR = "bench-editor"


class Command(BaseCommand):
    help = "Publie un article ou modère un commentaire à intervalle régulier (banc de charge)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=["publication", "comment"], required=True)
        parser.add_argument("--count", type=int, default=20)
        parser.add_argument("--every", type=float, default=1.0, help="secondes entre deux")
        parser.add_argument(
            "--skip",
            type=int,
            default=0,
            help="articles récents laissés de côté (pour en publier qu’aucune liste ne montre)",
        )
        parser.add_argument(
            "--wait", action="store_true", help="attendre une ligne sur l’entrée pour commencer"
        )
        parser.add_argument(
            "--away-from", default="", help="adresse d’un article dont la rubrique est évitée"
        )

    def handle(self, *args, kind, count, every, away_from, wait, skip, **options):
        editor = self.editor()
        avoided = Article.objects.filter(slug=away_from.strip("/").rsplit("/", 1)[-1]).first()
        others = Article.objects.published().order_by("-published_at")
        if avoided is not None:
            others = others.exclude(category=avoided.category_id).exclude(pk=avoided.pk)
        targets = list(others[skip : skip + count])
        if kind == "publication":
            # Taken off the site beforehand: the load then sees publications only.
            for article in targets:
                workflow.unpublish(
                    article, by=editor, comment="Banc de charge : republication à venir."
                )
        else:
            pending = Comment.objects.bulk_create(
                Comment(
                    article=article,
                    name="Lecteur du banc",
                    email="banc@example.com",
                    text="Un avis envoyé pendant la charge.",
                )
                for article in targets
            )
        self.stdout.write("prêt")
        self.stdout.flush()
        if wait:
            sys.stdin.readline()
        next_at = time.monotonic()
        for index in range(count):
            next_at += every
            if kind == "publication":
                article = targets[index]
                article.refresh_from_db()
                workflow.publish(article, by=editor)
                path = article.get_absolute_url()
            else:
                moderation.approve(pending[index], by=editor)
                path = targets[index].get_absolute_url()
            committed = time.time()
            self.stdout.write(json.dumps({"kind": kind, "path": path, "at": committed}))
            self.stdout.flush()
            time.sleep(max(0.0, next_at - time.monotonic()))

    @staticmethod
    def editor():
        User = get_user_model()
        with transaction.atomic():
            user, _ = User.objects.get_or_create(
                username=EDITOR, defaults={"is_staff": True, "is_superuser": True}
            )
        return user
