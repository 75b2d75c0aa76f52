"""The notes on the article page (NotesMixin), and the newsroom's search through all notes."""

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.dates import french_datetime

from . import rules, views
from .models import Note


class NotesMixin:
    """The article's ModelAdmin shows its notes and mounts the note forms' addresses."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-notes.css"]})

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/notes/", wrap(views.add), name="articles_article_note_add"),
            path(
                "<int:object_id>/notes/<int:note_id>/resoudre/",
                wrap(views.resolve),
                name="articles_article_note_resolve",
            ),
            path(
                "<int:object_id>/notes/<int:note_id>/rouvrir/",
                wrap(views.reopen),
                name="articles_article_note_reopen",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and rules.may_read(request.user, obj):
            context["notes"] = _panel(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _panel(article):
    replies = Note.objects.select_related("author__author_profile")
    threads = list(
        Note.objects.filter(article=article)
        .threads()
        .select_related("author__author_profile", "resolved_by__author_profile")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )
    blocks = rules.paragraphs(article)
    return {
        "open": [t for t in threads if t.resolved_at is None],
        "resolved": [t for t in threads if t.resolved_at is not None],
        "paragraphs": [(n, Truncator(text).chars(70)) for n, text in enumerate(blocks, 1)],
        "max_length": rules.MAX_LENGTH,
    }


class StateFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [
            ("ouvertes", "Ouvertes"),
            ("resolues", "Résolues"),
            ("moi", "Qui me citent, ouvertes"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "ouvertes":
            return queryset.open()
        if self.value() == "resolues":
            return queryset.exclude(pk__in=queryset.open().values("pk"))
        if self.value() == "moi":
            return queryset.open().mentioning(request.user)
        return queryset


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    """Read-only: notes are written, answered and resolved on the article's page."""

    list_display = ["excerpt", "article_link", "author_name", "written", "state"]
    list_filter = [StateFilter]
    search_fields = [
        "text",
        "quote",
        "article__title",
        "author__username",
        "author__author_profile__display_name",
    ]
    list_select_related = ["article", "author__author_profile", "parent"]
    fields = ["article_link", "author_name", "written", "state", "quote", "text"]
    readonly_fields = fields

    @admin.display(description="note")
    def excerpt(self, obj):
        return Truncator(obj.text).chars(100)

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}#note-{}">{}</a>', url, obj.thread.pk, obj.article.title)

    @admin.display(description="auteur")
    def author_name(self, obj):
        return obj.author_name

    @admin.display(description="écrite le", ordering="created_at")
    def written(self, obj):
        return french_datetime(obj.created_at)

    @admin.display(description="état")
    def state(self, obj):
        if obj.parent_id:
            return "Réponse" + (" (fil résolu)" if obj.parent.resolved_at else "")
        return "Résolue" if obj.resolved_at else "Ouverte"

    # Whoever may open articles may search the notes of those they may open.

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm("articles.view_article")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or rules.may_read(request.user, obj.article)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
