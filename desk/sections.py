"""« Mon bureau »: what waits for each member of the newsroom, on the admin's home page.

A journalist sees their own pieces at every step; an editor sees the review queue, what is
scheduled, the comments to moderate and a newsletter being sent. Each section costs at most
three queries whatever the number of articles (tests/desk/test_desk.py).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles import workflow
from articles.dates import french_duration, french_moment
from articles.models import Article
from comments.models import Comment
from newsletter.models import Delivery, Issue
from newsroom.roles import display_name, is_editor
from notes.models import Note
from planning.models import Assignment

# Lines shown per section; the section's link opens the whole list.
LINES = 8
RECENTLY_PUBLISHED = 5


@dataclass
class Line:
    url: str
    title: str
    details: list[str] = field(default_factory=list)
    quote: str = ""
    aside: str = ""
    late: bool = False


@dataclass
class Section:
    key: str
    title: str
    count: int
    lines: list[Line]
    url: str
    empty: str
    # Waiting on this person: the count stands out when it is not zero.
    urgent: bool = False


@dataclass
class Desk:
    role: str
    sections: list[Section]
    shortcuts: list[tuple[str, str]]


def for_person(user) -> Desk | None:
    if not (user.is_active and user.is_staff):
        return None
    if is_editor(user):
        return _editor_desk(user)
    if user.has_perm("articles.view_article"):
        return _journalist_desk(user)
    return Desk(role="", sections=[], shortcuts=[])


# Journalists: their own pieces ----------------------------------------------------------------


def _journalist_desk(user) -> Desk:
    mine = Article.objects.owned_by(user)
    counts = workflow.counts(mine)
    rows = mine.for_desk().defer("body", "search_vector")
    lines = _Lines(viewer=user)
    Status = Article.Status
    sections = [
        *_notes_section(user, lines),
        *_sujets_section(user, lines),
        Section(
            "changes_requested",
            "À reprendre",
            counts["changes_requested"],
            lines.articles(
                rows.filter(status=Status.CHANGES_REQUESTED).order_by("-updated_at"),
                lines.sent_back,
            ),
            _list_url("changes_requested"),
            "Aucun article renvoyé : rien à reprendre.",
            urgent=True,
        ),
        Section(
            "draft",
            "Brouillons",
            counts["draft"],
            lines.articles(rows.filter(status=Status.DRAFT).order_by("-updated_at"), lines.draft),
            _list_url("draft"),
            "Aucun brouillon en cours.",
        ),
        Section(
            "review",
            "En relecture",
            counts["review"],
            lines.articles(rows.in_review().order_by("submitted_at", "pk"), lines.review),
            _list_url("review"),
            "Aucun article en attente de relecture.",
        ),
        Section(
            "scheduled",
            "Programmés",
            counts["scheduled"],
            lines.articles(rows.scheduled().order_by("published_at"), lines.scheduled),
            _list_url("scheduled"),
            "Aucune publication programmée.",
        ),
        Section(
            "published",
            "Publiés",
            counts["published"],
            lines.articles(
                rows.published().order_by("-published_at"),
                lines.published,
                limit=RECENTLY_PUBLISHED,
            ),
            _list_url("published"),
            "Aucun article publié pour l’instant.",
        ),
    ]
    return Desk(role="journaliste", sections=sections, shortcuts=_shortcuts(user))


# Editors: the newsroom's queues ---------------------------------------------------------------


def _editor_desk(user) -> Desk:
    counts = workflow.counts(Article.objects.all())
    rows = Article.objects.for_desk().defer("body", "search_vector")
    lines = _Lines(viewer=user)
    sections = [
        Section(
            "review",
            "À relire",
            counts["review"],
            lines.articles(rows.in_review().order_by("submitted_at", "pk"), lines.review),
            reverse("admin:articles_article_review_queue"),
            "Rien à relire pour l’instant.",
            urgent=True,
        ),
        *_notes_section(user, lines),
        *_sujets_section(user, lines),
        *_late_sujets_section(lines),
        Section(
            "scheduled",
            "Publications programmées",
            counts["scheduled"],
            lines.articles(rows.scheduled().order_by("published_at"), lines.scheduled),
            _list_url("scheduled"),
            "Aucune publication programmée.",
        ),
    ]
    if user.has_perm("comments.view_comment"):
        sections.append(_comments_section(lines))
    if user.has_perm("newsletter.view_issue"):
        sections.append(_newsletter_section(lines))
    return Desk(role="éditeur", sections=sections, shortcuts=_shortcuts(user))


def _notes_section(user, lines) -> list[Section]:
    """Open notes that cite the person (« @nom »), newest first; no section when none."""
    citing = Note.objects.open().mentioning(user)
    count = citing.count()
    if not count:
        return []
    notes = citing.select_related("article", "author__author_profile").order_by("-created_at")
    section = Section(
        "notes",
        "Notes qui vous citent",
        count,
        [
            Line(
                url=reverse("admin:articles_article_change", args=[note.article_id])
                + f"#note-{note.parent_id or note.pk}",
                title=note.article.title,
                details=[f"note de {note.author_name}", lines.when(note.created_at)],
                quote=Truncator(note.text).chars(160),
            )
            for note in notes[:LINES]
        ],
        reverse("admin:notes_note_changelist") + "?etat=moi",
        "Aucune note ne vous attend.",
        urgent=True,
    )
    return [section]


def _sujets_section(user, lines) -> list[Section]:
    """« Mes sujets »: those confided to the person and still expected, soonest due first."""
    mine = Assignment.objects.waiting().for_person(user)
    count = mine.count()
    if not count:
        return []
    sujets = list(mine.select_related("category").order_by("due_at", "pk")[:LINES])
    section = Section(
        "sujets",
        "Mes sujets",
        count,
        [
            lines.sujet(
                sujet,
                after=[f"{sujet.planned_words} mots"],
                aside="en retard" if sujet.is_late else sujet.state_label,
            )
            for sujet in sujets
        ],
        reverse("admin:planning_assignment_changelist"),
        "Aucun sujet en attente.",
        urgent=any(sujet.status == Assignment.Status.PROPOSED for sujet in sujets),
    )
    return [section]


def _late_sujets_section(lines) -> list[Section]:
    """Everyone's sujets past their due time and still expected (the planning's « en retard »),
    longest overdue first; no section when none is late."""
    late = Assignment.objects.late()
    count = late.count()
    if not count:
        return []
    sujets = late.select_related("category", "assignee__author_profile").order_by("due_at", "pk")
    section = Section(
        "late_sujets",
        "Sujets en retard",
        count,
        [
            lines.sujet(
                sujet,
                before=[display_name(sujet.assignee) if sujet.assignee else "à confier"],
                after=[sujet.state_label],
                aside=f"en retard de {french_duration(lines.now - sujet.due_at)}",
            )
            for sujet in sujets[:LINES]
        ],
        reverse("admin:planning_assignment_changelist") + "?etat=late",
        "Aucun sujet en retard.",
        urgent=True,
    )
    return [section]


def _comments_section(lines) -> Section:
    pending = Comment.objects.pending()
    comments = pending.select_related("article").only(
        "pk", "name", "text", "created_at", "article__title"
    )[:LINES]
    return Section(
        "comments",
        "Commentaires à modérer",
        pending.count(),
        [
            Line(
                url=reverse("admin:comments_comment_change", args=[comment.pk]),
                title=Truncator(comment.text).chars(90),
                details=[comment.name, f"sur « {comment.article.title} »"],
                aside=f"il y a {french_duration(lines.now - comment.created_at)}",
            )
            for comment in comments
        ],
        reverse("admin:comments_comment_changelist") + "?status=pending",
        "Aucun commentaire en attente.",
        urgent=True,
    )


def _newsletter_section(lines) -> Section:
    sending = Issue.objects.filter(status=Issue.Status.SENDING).annotate(
        total=Count("deliveries"),
        sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
    )
    issues = list(sending.order_by("started_at")[:LINES])
    return Section(
        "newsletter",
        "Lettre en cours d’envoi",
        len(issues),
        [
            Line(
                url=reverse("admin:newsletter_issue_change", args=[issue.pk]),
                title=issue.subject,
                details=[
                    f"{issue.sent} envoyés sur {issue.total}",
                    *([f"{issue.failed} en échec"] if issue.failed else []),
                    f"lancée {lines.when(issue.started_at)}",
                ],
            )
            for issue in issues
        ],
        reverse("admin:newsletter_issue_changelist") + "?status=sending",
        "Aucun envoi en cours.",
    )


# Lines ----------------------------------------------------------------------------------------


class _Lines:
    """One line per article or sujet, worded for the person reading the desk."""

    def __init__(self, *, viewer):
        self.viewer = viewer
        self.now = timezone.now()

    def when(self, moment) -> str:
        return french_moment(moment, self.now, in_sentence=True)

    def articles(self, queryset, describe, limit=LINES) -> list[Line]:
        """`queryset` comes from Article.objects.for_desk()."""
        return [describe(article) for article in queryset[:limit]]

    def sujet(self, sujet, *, before=(), after=(), aside="") -> Line:
        """A planning sujet: its rubric and due time, between what each section adds."""
        return Line(
            url=reverse("admin:planning_assignment_change", args=[sujet.pk]),
            title=sujet.title,
            details=[*before, sujet.category.name, f"à rendre {self.when(sujet.due_at)}", *after],
            aside=aside,
            late=sujet.is_late,
        )

    def _line(self, article, details, **extra) -> Line:
        others = [a.display_name for a in article.authors.all() if a.user_id != self.viewer.pk]
        signed_by_viewer = len(others) < len(article.authors.all())
        authors = ", ".join(others)
        if authors and signed_by_viewer:
            authors = f"avec {authors}"
        return Line(
            url=reverse("admin:articles_article_change", args=[article.pk]),
            title=article.title,
            details=[part for part in (authors, article.category.name, *details) if part],
            **extra,
        )

    def review(self, article) -> Line:
        if article.submitted_at is None:
            return self._line(article, [])
        waited = self.now - article.submitted_at
        return self._line(
            article,
            [f"soumis {self.when(article.submitted_at)}"],
            aside=f"attend depuis {french_duration(waited)}",
            late=waited > workflow.LONG_WAIT,
        )

    def sent_back(self, article) -> Line:
        details = []
        if article.sent_back_at:
            details.append(
                f"renvoyé par {article.sent_back_by or 'un éditeur'} "
                f"{self.when(article.sent_back_at)}"
            )
        return self._line(article, details, quote=article.sent_back_comment or "")

    def draft(self, article) -> Line:
        return self._line(article, [f"modifié {self.when(article.updated_at)}"])

    def scheduled(self, article) -> Line:
        return self._line(
            article,
            [f"en ligne {self.when(article.published_at)}"],
            aside=f"dans {french_duration(article.published_at - self.now)}",
        )

    def published(self, article) -> Line:
        return self._line(article, [f"publié {self.when(article.published_at)}"])


def _list_url(state: str) -> str:
    return reverse("admin:articles_article_changelist") + f"?statut={state}"


def _shortcuts(user) -> list[tuple[str, str]]:
    shortcuts = []
    if user.has_perm("articles.add_article"):
        shortcuts.append(("Écrire un article", reverse("admin:articles_article_add")))
    if user.has_perm("articles.view_article"):
        shortcuts.append(("Planning", reverse("admin:planning_calendar")))
    if user.has_perm("photos.add_photo"):
        shortcuts.append(("Ajouter une photo", reverse("admin:photos_photo_add")))
    if user.has_perm("newsletter.add_issue"):
        shortcuts.append(("Préparer une lettre", reverse("admin:newsletter_issue_add")))
    return shortcuts
