"""Fill a benchmark database with a realistic archive, fast (bulk inserts, shared photos)."""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.defaults import ensure_defaults
from articles.models import Article, AuthorProfile, Category
from photos.images import build_renditions
from photos.models import Photo
from tools.demo import illustration

PARAGRAPH = (
    "<p>La séance s’est prolongée tard dans la soirée, les élus ayant examiné un à un les "
    "amendements déposés par l’opposition comme par la majorité. Plusieurs associations "
    "locales, présentes dans le public, ont salué un débat de qualité.</p>"
)
WORDS = (
    "budget réforme élection sommet accord transport énergie climat santé école recherche "
    "football rugby marathon festival cinéma musique emploi industrie numérique innovation"
).split()


class Command(BaseCommand):
    help = "Crée une archive de test réaliste (articles, photos, mots-clés, auteurs)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=20_000)
        parser.add_argument("--photos", type=int, default=40)
        parser.add_argument("--authors", type=int, default=60)
        parser.add_argument("--tags", type=int, default=400)
        parser.add_argument("--comments", type=int, default=0)
        parser.add_argument("--subscribers", type=int, default=0)
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, **options):
        rng = random.Random(options["seed"])
        ensure_defaults()
        # Each part is created once: running the command again adds nothing.
        if Article.objects.count() < options["articles"]:
            with transaction.atomic():
                photos = self._photos(options["photos"])
                authors = self._authors(options["authors"])
                tags = self._tags(rng, options["tags"])
                self._articles(rng, options["articles"], photos, authors, tags)
        with transaction.atomic():
            self._comments(rng, options["comments"])
            self._subscribers(options["subscribers"])
        if connection.vendor == "postgresql":
            # Bulk loads leave statistics and the visibility map stale until autovacuum runs.
            # VACUUM cannot run inside a transaction (a test's, say): ANALYZE alone can.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(f"Archive : {Article.objects.count()} articles.")

    def _photos(self, count):
        photos = []
        palette = ["#1d3557", "#457b9d", "#e63946"]
        for i in range(count):
            photo = Photo(caption=f"Photo d’archive {i}", credit="Agence Bench", alt_text="Paysage")
            photo.image.save(
                f"bench-{i}.jpg", ContentFile(illustration(f"b{i}", palette)), save=False
            )
            photo.save()
            photo.renditions = build_renditions(photo.image)
            photo.save(update_fields=["renditions"])
            photos.append(photo)
        return photos

    def _authors(self, count):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        users = User.objects.bulk_create(
            [User(username=f"bench-author-{i}", password="!") for i in range(count)],
            ignore_conflicts=True,
        )
        users = list(User.objects.filter(username__startswith="bench-author-"))
        AuthorProfile.objects.bulk_create(
            [
                AuthorProfile(user=u, display_name=f"Plume {u.pk}", slug=f"plume-{u.pk}")
                for u in users
            ],
            ignore_conflicts=True,
        )
        return list(AuthorProfile.objects.filter(user__in=users))

    def _tags(self, rng, count):
        Tag.objects.bulk_create(
            [Tag(name=f"Sujet {i} {rng.choice(WORDS)}", slug=f"sujet-{i}") for i in range(count)],
            ignore_conflicts=True,
        )
        return list(Tag.objects.filter(slug__startswith="sujet-"))

    def _articles(self, rng, count, photos, authors, tags):
        categories = list(Category.objects.all())
        now = timezone.now()
        start = Article.objects.count()
        batch = []
        for i in range(start, count):
            words = rng.sample(WORDS, 4)
            batch.append(
                Article(
                    title=f"{words[0].capitalize()} et {words[1]} : le point n°{i}",
                    slug=f"archive-{i}",
                    standfirst=f"Ce qu’il faut retenir sur {words[2]} et {words[3]}.",
                    body=PARAGRAPH * 6,
                    category=categories[i % len(categories)],
                    hero_photo=photos[i % len(photos)],
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=37 * (count - i)),
                )
            )
        # bulk_create skips pre_save: the body is already clean HTML here.
        created = Article.objects.bulk_create(batch, batch_size=1000)
        Through = Article.authors.through
        Through.objects.bulk_create(
            [Through(article_id=a.pk, authorprofile_id=rng.choice(authors).pk) for a in created],
            batch_size=5000,
        )
        content_type = ContentType.objects.get_for_model(Article)
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(tag=tag, content_type=content_type, object_id=a.pk)
                for a in created
                for tag in rng.sample(tags, min(3, len(tags)))
            ],
            batch_size=5000,
        )

    def _comments(self, rng, count):
        """Approved comments, a fifth of them on the newest article (the story everyone reads)."""
        from comments import moderation
        from comments.models import Comment

        if not count or Comment.objects.exists():
            return
        ids = list(Article.objects.order_by("-published_at").values_list("pk", flat=True)[:2000])
        hot, rest = ids[0], ids[1:] or ids
        now = timezone.now()
        batch = []
        for i in range(count):
            article_id = hot if i % 5 == 0 else rng.choice(rest)
            batch.append(
                Comment(
                    article_id=article_id,
                    name=f"Lecteur {i}",
                    email=f"lecteur{i}@banc-essai.example",
                    text="Merci pour cet article clair et documenté. " * rng.randint(1, 4),
                    status=Comment.Status.APPROVED,
                    created_at=now - timedelta(minutes=i),
                )
            )
            if len(batch) == 5000:
                Comment.objects.bulk_create(batch)
                batch = []
        Comment.objects.bulk_create(batch)
        # bulk_create bypasses the moderation rules that keep each article's counter.
        moderation.recount()

    def _subscribers(self, count):
        from newsletter.models import Subscriber
        from tools.newsletter_bench import create_confirmed_subscribers

        if count and not Subscriber.objects.exists():
            create_confirmed_subscribers(count)
