from django.contrib import admin, messages
from django.db.models import Case, Count, Value, When
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import ngettext

from actualites.admin_site import titled
from public_cache.admin import RefreshesPublicPages

from . import moderation
from .models import ArticleCommentPolicy, BlockedWord, Comment


class StatusFilter(admin.SimpleListFilter):
    """The states with how many comments each holds: the pending count at a glance."""

    title = "état"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
        return [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in Comment.Status.choices
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Comment)
class CommentAdmin(RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["excerpt", "name", "email", "article", "status", "held_because", "created_at"]
    list_display_links = ["excerpt"]
    list_filter = [
        StatusFilter,
        ("article", admin.RelatedOnlyFieldListFilter),
        ("created_at", titled(admin.DateFieldListFilter, "date d’envoi")),
    ]
    search_fields = ["text", "name", "email"]
    date_hierarchy = "created_at"
    list_select_related = ["article"]
    list_per_page = 50
    # The queue: pending comments first, newest first within each group.
    ordering = [
        Case(When(status=Comment.Status.PENDING, then=Value(0)), default=Value(1)),
        "-created_at",
    ]
    actions = ["approve_selected", "reject_selected", "mark_selected_as_spam"]
    readonly_fields = [
        "article_link",
        "parent",
        "held_because",
        "created_at",
        "moderated_at",
        "moderated_by",
        "notify_on_approval",
        "notified_at",
        "approval_notice_sent_at",
        "ip",
        "user_agent",
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "parent", "name", "email", "text", "status"]}),
        (
            "Modération",
            {
                "fields": [
                    "held_because",
                    "created_at",
                    "moderated_at",
                    "moderated_by",
                    "notify_on_approval",
                    "notified_at",
                    "approval_notice_sent_at",
                ]
            },
        ),
        (
            "Données techniques (pour la modération seulement, effacées après quelques mois)",
            {"classes": ["collapse"], "fields": ["ip", "user_agent"]},
        ),
    ]

    @admin.display(description="commentaire")
    def excerpt(self, obj):
        return Truncator(obj.text).chars(90)

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article)

    @admin.display(description="raisons de la mise en attente")
    def held_because(self, obj):
        if not obj.reasons:
            return "—"
        return format_html(
            '<ul class="comment-reasons">{}</ul>',
            format_html_join("", "<li>{}</li>", ((reason,) for reason in obj.reasons)),
        )

    def has_add_permission(self, request):
        return False  # Comments come from readers, through the public form.

    def changelist_view(self, request, extra_context=None):
        pending = Comment.objects.pending().count()
        title = ngettext(
            "Commentaires — %(count)d en attente de modération",
            "Commentaires — %(count)d en attente de modération",
            pending,
        ) % {"count": pending}
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def public_change(self, obj):
        # Pending, rejected or spam comments show nowhere: only a published one's edits count.
        return {"comments_of": obj.article_id} if obj.status == Comment.Status.APPROVED else {}

    def save_model(self, request, obj, form, change):
        # A state chosen in the form goes through the same rule as the actions.
        if change and "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            moderation.moderate(obj, new_status, by=request.user)
        else:
            super().save_model(request, obj, form, change)

    def _moderate(self, request, queryset, status, singular, plural):
        changed = moderation.moderate_many(
            queryset.select_related("article"), status, by=request.user
        )
        self.message_user(
            request, ngettext(singular, plural, changed) % {"count": changed}, messages.SUCCESS
        )

    @admin.action(description="Publier les commentaires sélectionnés", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.APPROVED,
            "%(count)d commentaire publié.",
            "%(count)d commentaires publiés.",
        )

    @admin.action(description="Refuser les commentaires sélectionnés", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.REJECTED,
            "%(count)d commentaire refusé.",
            "%(count)d commentaires refusés.",
        )

    @admin.action(
        description="Marquer les commentaires sélectionnés comme indésirables",
        permissions=["change"],
    )
    def mark_selected_as_spam(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.SPAM,
            "%(count)d commentaire marqué comme indésirable.",
            "%(count)d commentaires marqués comme indésirables.",
        )


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]


@admin.register(ArticleCommentPolicy)
class ArticleCommentPolicyAdmin(RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["article", "mode", "reason", "updated_at"]
    list_filter = ["mode"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    list_select_related = ["article"]

    def public_change(self, obj):
        # Open or closed shows on the article's page, in the form fragment kept with its text.
        return {"article": obj.article_id}
