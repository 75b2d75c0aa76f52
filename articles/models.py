from django.conf import settings
from django.db import connection, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.managers import TaggableManager

from newsroom.audit import AuditRecord
from photos.models import Photo

from .fields import FullTextIndex, SanitizedRichTextField, SearchVectorColumn
from .links import cached_url


class Category(models.Model):
    name = models.CharField("nom", max_length=80, unique=True)
    slug = models.SlugField(
        "adresse web",
        max_length=80,
        unique=True,
        help_text="Fin de l’adresse de la rubrique : minuscules, chiffres et tirets.",
    )
    description = models.TextField("description", blank=True)
    position = models.PositiveSmallIntegerField("position", default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "rubrique"
        verbose_name_plural = "rubriques"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_url("articles:category", self.slug)


class AuthorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.CASCADE,
        related_name="author_profile",
    )
    display_name = models.CharField("nom affiché", max_length=120)
    slug = models.SlugField(
        "adresse web",
        max_length=120,
        unique=True,
        help_text="Fin de l’adresse de la page de l’auteur : minuscules, chiffres et tirets.",
    )
    bio = models.TextField("biographie", blank=True, max_length=1000)
    portrait = models.ForeignKey(
        Photo, verbose_name="portrait", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = "profil d’auteur"
        verbose_name_plural = "profils d’auteurs"

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return cached_url("articles:author", self.slug)


def person_name(prefix=""):
    """A member of the newsroom's name in SQL: their byline, else their username."""
    return Coalesce(f"{prefix}author_profile__display_name", f"{prefix}username")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and not scheduled in the future."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Everything an article card shows, in a fixed number of queries."""
        return (
            # "live": a live coverage's card says « En direct » (live/).
            self.select_related("category", "hero_photo", "live")
            .prefetch_related("authors")
            .defer("search_vector")
        )

    def newest_ids_per_category(self, category_ids, count, *, leaving_out=()):
        """The ids of the `count` newest articles of each category, in no particular order,
        `leaving_out` the ids given (articles already shown elsewhere on the page).

        Each category's slice reads the (category, status, published_at) index. PostgreSQL
        runs them all as one UNION ALL; SQLite cannot order inside a compound query, so it
        gets one small query per category.
        """
        remaining = self.exclude(pk__in=leaving_out) if leaving_out else self
        # A compound query may only order by selected columns: published_at rides along.
        slices = [
            remaining.filter(category_id=category_id)
            .order_by("-published_at", "-pk")
            .values_list("pk", "published_at")[:count]
            for category_id in category_ids
        ]
        if not slices:
            return []
        if connection.features.supports_slicing_ordering_in_compound:
            rows = slices[0].union(*slices[1:], all=True).order_by()
        else:
            rows = [row for piece in slices for row in piece]
        return [pk for pk, _ in rows]

    def last_published_at(self):
        """When the newest of these articles went public; None when there is none."""
        return self.order_by("-published_at").values_list("published_at", flat=True).first()

    def in_review(self):
        """The editors' queue: submitted and waiting for a decision."""
        return self.filter(status=Article.Status.REVIEW)

    def scheduled(self):
        """Published with a future time: readers will see them at that time, not before."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def owned_by(self, user):
        """Articles the person created or signs."""
        signed = Article.objects.filter(authors__user=user).values("pk")
        return self.filter(models.Q(created_by=user) | models.Q(pk__in=signed))

    def for_desk(self):
        """What the desk and the admin's list show of each article, in a fixed number of queries.

        Adds `submitted_at` (last submission), `updated_by_name`, and the last send-back's
        `sent_back_at`, `sent_back_by` (a name) and `sent_back_comment`.
        """

        def last(action):
            return Transition.objects.filter(article=OuterRef("pk"), action=action).order_by(
                "-at", "-pk"
            )

        sent_back = last(Transition.Action.SEND_BACK)
        return (
            self.select_related("category")
            .prefetch_related("authors")
            .annotate(
                updated_by_name=person_name("updated_by__"),
                submitted_at=Subquery(last(Transition.Action.SUBMIT).values("at")[:1]),
                sent_back_at=Subquery(sent_back.values("at")[:1]),
                sent_back_by=Subquery(sent_back.values(name=person_name("by__"))[:1]),
                sent_back_comment=Subquery(sent_back.values("comment")[:1]),
            )
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PUBLISHED = "published", "Publié"
        REVIEW = "review", "En relecture"
        CHANGES_REQUESTED = "changes_requested", "À reprendre"
        WITHDRAWN = "withdrawn", "Dépublié"

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField(
        "adresse web",
        max_length=200,
        unique=True,
        help_text=(
            "Fin de l’adresse de l’article : minuscules, chiffres et tirets. Une fois l’article "
            "publié, l’ancienne adresse reste valable et mène à la nouvelle."
        ),
    )
    standfirst = models.TextField("chapô", max_length=600)
    body = SanitizedRichTextField("texte", config_name="article")
    category = models.ForeignKey(
        Category, verbose_name="rubrique", on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(
        "mots-clés",
        blank=True,
        help_text=(
            "Séparés par des virgules, par exemple : Alaska, guerre en Ukraine. Un mot-clé seul "
            "de plusieurs mots se termine par une virgule."
        ),
    )
    authors = models.ManyToManyField(AuthorProfile, verbose_name="auteurs", related_name="articles")
    hero_photo = models.ForeignKey(
        Photo,
        verbose_name="photo principale",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_featured = models.BooleanField("à la une", default=False)
    meta_description = models.CharField(
        "description pour les moteurs de recherche",
        max_length=300,
        blank=True,
        help_text="Laisser vide pour reprendre le chapô.",
    )
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    # Who last saved the form or moved the article along the workflow.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True, db_index=True)
    # Shown to readers as "mis à jour le"; set for substantive updates, not for typo fixes.
    revised_at = models.DateTimeField("mis à jour le", null=True, blank=True)
    # Filled by a PostgreSQL trigger from title (A), standfirst (B) and body (C); SQLite
    # keeps the same terms in SearchEntry's FTS5 table instead: see search.py.
    search_vector = SearchVectorColumn("vecteur de recherche", null=True, editable=False)
    # Optimistic locking: every save and transition bumps it; a form with an older one is refused.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    # Published comments, kept by comments.moderation with atomic UPDATEs. Counting a breaking
    # story's thousands of comments on every page that shows its card was each page's costliest
    # query; WordPress keeps the same counter on its posts.
    comment_count = models.PositiveIntegerField("commentaires publiés", default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        permissions = [
            ("publish_article", "Peut publier, programmer et dépublier un article"),
            ("review_article", "Peut relire, renvoyer et modifier tous les articles"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(
                fields=["category", "status", "-published_at"], name="article_cat_pub_idx"
            ),
            # The home page's lead story: a handful of flagged rows among thousands.
            models.Index(
                fields=["-published_at"],
                condition=models.Q(is_featured=True),
                name="article_featured_idx",
            ),
            FullTextIndex(fields=["search_vector"], name="article_search_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The comment counter moves under the moderators' hands: an article loaded before a
        # comment was approved must not write its older count back when it is saved.
        if not self._state.adding and kwargs.get("update_fields") is None:
            skipped = {"comment_count", *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in skipped
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_url("articles:detail", self.slug)

    @property
    def description(self):
        return self.meta_description or self.standfirst

    @property
    def is_published(self):
        """The instance's mirror of ArticleQuerySet.published(): readers may see it now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def status_label(self):
        return "Programmé" if self.is_scheduled else self.get_status_display()

    def related(self, limit=3):
        return (
            Article.objects.published()
            .filter(category_id=self.category_id)
            .exclude(pk=self.pk)
            .for_listing()[:limit]
        )


class SearchEntry(models.Model):
    """An article's row in SQLite's full-text index, so that a search can join it.

    The FTS5 table is created and kept in step outside the ORM (articles/fulltext.py); on
    PostgreSQL it does not exist: the search reads Article.search_vector there.
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    # FTS5's hidden column named after its table: `= 'query'` is a full-text match.
    match = models.TextField(db_column="articles_article_fts")
    # FTS5's hidden rank: bm25 weighted title > standfirst > body, lower is better.
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "articles_article_fts"

    def __str__(self):
        return str(self.article_id)


class Page(models.Model):
    """A standing page of the site, such as "Qui sommes-nous ?"."""

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField(
        "adresse web",
        max_length=100,
        unique=True,
        help_text="Fin de l’adresse de la page : minuscules, chiffres et tirets.",
    )
    summary = models.TextField(
        "résumé", max_length=600, help_text="Affiché en pied de page de chaque page du site."
    )
    body = SanitizedRichTextField("texte", config_name="article")
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "page"
        verbose_name_plural = "pages"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_url("articles:page", self.slug)


class Transition(models.Model):
    """One line of an article's history: a change of state or a recorded edit."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Soumis à relecture"
        SEND_BACK = "send_back", "Renvoyé à l’auteur"
        PUBLISH = "publish", "Publié"
        SCHEDULE = "schedule", "Programmé"
        UNPUBLISH = "unpublish", "Dépublié"
        RESTORE = "restore", "Version restaurée"
        UPDATE = "update", "Mise à jour"
        CORRECTION = "correction", "Correctif"
        MINOR_FIX = "minor_fix", "Correction mineure"
        PHOTO = "photo", "Photo modifiée"

    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField("action", max_length=20, choices=Action.choices)
    from_status = models.CharField("état de départ", max_length=20, choices=Article.Status.choices)
    to_status = models.CharField("état d’arrivée", max_length=20, choices=Article.Status.choices)
    comment = models.TextField("commentaire", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("le", default=timezone.now)
    # The content as it stood when the decision was taken: the base of "what changed since".
    revision = models.ForeignKey(
        "ArticleRevision",
        verbose_name="version",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "étape de l’historique"
        verbose_name_plural = "historique"

    def __str__(self):
        return f"{self.get_action_display()} ({self.article})"


class ArticleRevision(models.Model):
    """A snapshot of an article's text and photo, kept at every save."""

    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField("numéro")
    title = models.CharField("titre", max_length=200)
    standfirst = models.TextField("chapô")
    body = models.TextField("texte")
    hero_photo = models.ForeignKey(
        Photo,
        verbose_name="photo principale",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = "version"
        verbose_name_plural = "versions"
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")
        ]

    def __str__(self):
        return f"Version {self.number} de « {self.title} »"


class ArticleNote(models.Model):
    """A public note on a published article: an update or a correction, shown to readers."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Mise à jour"
        CORRECTION = "correction", "Correctif"

    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    text = models.TextField("texte", max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "note de mise à jour"
        verbose_name_plural = "notes de mise à jour"

    def __str__(self):
        return f"{self.get_kind_display()} : {self.text[:60]}"


class ArticleRedirect(models.Model):
    """An old slug of a published article, answered with a permanent redirect."""

    old_slug = models.SlugField("ancienne adresse web", max_length=200, unique=True)
    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "redirection"
        verbose_name_plural = "redirections"

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class AuditEvent(AuditRecord):
    """Publish, unpublish, restore and delete decisions, and changes to the photo of an article
    under review or online, kept even after the article is gone."""

    class Action(models.TextChoices):
        PUBLISH = "publish", "Publication"
        SCHEDULE = "schedule", "Programmation"
        UNPUBLISH = "unpublish", "Dépublication"
        RESTORE = "restore", "Restauration d’une version"
        DELETE = "delete", "Suppression"
        PHOTO = "photo", "Modification de sa photo"

    action = models.CharField("action", max_length=20, choices=Action.choices)
    article_id = models.BigIntegerField("n° de l’article", db_index=True)
    article_title = models.CharField("titre de l’article", max_length=200)
    reason = models.TextField("raison donnée", blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = "événement du journal d’audit"
        verbose_name_plural = "journal d’audit"

    def __str__(self):
        return f"{self.get_action_display()} — {self.article_title}"
