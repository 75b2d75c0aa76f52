"""Sujets: the stories the newsroom plans, who writes them and for when."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone


class AssignmentQuerySet(models.QuerySet):
    def with_state(self):
        """Adds `state`: the decision stored in `status`, followed by the article once it is
        written (« en cours » once saved, « rendu » once submitted or published)."""
        from articles.models import Article

        S = Assignment.Status
        written = Q(status=S.ACCEPTED, article__isnull=False)
        return self.annotate(
            state=Case(
                When(
                    written
                    & Q(article__status__in=[Article.Status.REVIEW, Article.Status.PUBLISHED]),
                    then=Value(S.DELIVERED),
                ),
                When(written & Q(article__version__gt=1), then=Value(S.IN_PROGRESS)),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def waiting(self):
        """Not delivered nor abandoned: still expected by its due time."""
        S = Assignment.Status
        return self.with_state().filter(state__in=[S.PROPOSED, S.ACCEPTED, S.IN_PROGRESS])

    def late(self):
        return self.waiting().filter(due_at__lt=timezone.now())

    def for_person(self, user):
        return self.filter(assignee=user)

    def for_calendar(self):
        return self.with_state().select_related("category", "assignee__author_profile", "article")


class Assignment(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposé"
        ACCEPTED = "accepted", "Accepté"
        # Never stored: followed from the article (AssignmentQuerySet.with_state).
        IN_PROGRESS = "in_progress", "En cours"
        DELIVERED = "delivered", "Rendu"
        ABANDONED = "abandoned", "Abandonné"

    title = models.CharField("titre", max_length=200)
    category = models.ForeignKey(
        "articles.Category", verbose_name="rubrique", on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="confié à",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    due_at = models.DateTimeField("à rendre le", db_index=True)
    planned_words = models.PositiveIntegerField(
        "longueur prévue (mots)", default=600, help_text="Une brève : 150 ; un article : 600."
    )
    brief = models.TextField(
        "consigne", blank=True, max_length=4000, help_text="L’angle, les sources, les contacts."
    )
    status = models.CharField(
        "décision", max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    article = models.OneToOneField(
        "articles.Article",
        verbose_name="article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignment",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = "sujet"
        verbose_name_plural = "sujets"

    def __str__(self):
        return self.title

    @property
    def state_value(self):
        """The annotated state when the row came from with_state(), else the stored decision."""
        return getattr(self, "state", self.status)

    @property
    def state_label(self):
        return self.Status(self.state_value).label

    @property
    def is_late(self):
        waiting = {self.Status.PROPOSED, self.Status.ACCEPTED, self.Status.IN_PROGRESS}
        return self.state_value in waiting and self.due_at < timezone.now()
