from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import ngettext
from taggit.models import Tag

from actualites.admin_site import titled
from autosave.admin import AutosaveMixin
from newsroom.roles import display_name
from notes.admin import NotesMixin
from photos.admin import thumbnail
from public_cache import invalidation
from public_cache.admin import RefreshesPublicPages

from . import editing, workflow
from .admin_base import RecordAdmin
from .dates import french_datetime, french_duration, french_moment
from .diffs import audit_diff, revision_diff
from .forms import ArticleForm, RestoreForm
from .models import (
    Article,
    ArticleRevision,
    AuditEvent,
    AuthorProfile,
    Category,
    Page,
    Transition,
)
from .templatetags.articles_tags import rich_text
from .workflow import WorkflowError


def moment_cell(value):
    """ "12 novembre 2025 à 18h00" for a list cell: it may break before « à », nowhere else."""
    day, _, hour = french_moment(value, timezone.now()).rpartition(" à ")
    return format_html(
        '<span class="ae-nowrap">{}</span> <span class="ae-nowrap">à {}</span>', day, hour
    )


@admin.register(Category)
class CategoryAdmin(RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def public_change(self, obj):
        return {"category": obj}


# django-taggit's own admin lists raw tagged items and merges in English: ours is plain.
admin.site.unregister(Tag)


@admin.register(Tag)
class KeywordAdmin(RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("taggit_taggeditem_items"))

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles

    def public_change(self, obj):
        return {"tag": obj}


@admin.register(AuthorProfile)
class AuthorProfileAdmin(RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["display_name", "user", "slug"]
    search_fields = ["display_name", "user__username", "user__email"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user", "portrait"]

    def public_change(self, obj):
        return {"author": obj}

    # Read-only (journalists): the account as text, not a link to a page they may not open.
    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return ["account" if field == "user" else field for field in fields]

    def get_readonly_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return super().get_readonly_fields(request, obj)
        return ["account"]

    @admin.display(description="compte")
    def account(self, obj):
        return obj.user.get_username()


class StatusFilter(admin.SimpleListFilter):
    """States with their counts; "programmé" apart from what readers already see."""

    title = "statut"
    parameter_name = "statut"
    STATES = [
        ("draft", "Brouillon"),
        ("review", "En relecture (à relire)"),
        ("changes_requested", "À reprendre"),
        ("scheduled", "Programmé"),
        ("published", "Publié"),
        ("withdrawn", "Dépublié"),
    ]

    def lookups(self, request, model_admin):
        counts = workflow.counts(model_admin.get_queryset(request))
        return [(key, f"{label} ({counts[key]})") for key, label in self.STATES]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "published":
            return queryset.published()
        if value in dict(self.STATES):
            return queryset.filter(status=value)
        return queryset


TRANSITION_BUTTONS = {
    Transition.Action.SUBMIT: "Soumettre à relecture",
    Transition.Action.SEND_BACK: "Renvoyer à l’auteur",
    Transition.Action.PUBLISH: "Publier maintenant",
    Transition.Action.SCHEDULE: "Programmer",
    Transition.Action.UNPUBLISH: "Dépublier",
}
TRANSITION_DONE = {
    Transition.Action.SUBMIT: "« {} » est soumis à relecture.",
    Transition.Action.SEND_BACK: "« {} » est renvoyé à son auteur.",
    Transition.Action.PUBLISH: "« {} » est publié.",
    Transition.Action.SCHEDULE: "« {} » est programmé.",
    Transition.Action.UNPUBLISH: "« {} » est dépublié.",
}


class ArticleChangeList(ChangeList):
    """The list reads neither the text nor the search vector of a hundred articles."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer("body", "search_vector")


@admin.register(Article)
class ArticleAdmin(NotesMixin, AutosaveMixin, admin.ModelAdmin):
    form = ArticleForm

    class Media:
        js = ["js/article-editor.js"]

    list_display = [
        "title_column",
        "authors_column",
        "status_column",
        "submitted_column",
        "published_at_column",
        "updated_column",
    ]
    list_display_links = ["title_column"]
    list_filter = [
        StatusFilter,
        "category",
        ("is_featured", titled(admin.BooleanFieldListFilter, "mise à la une")),
        "authors",
    ]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["hero_photo", "authors", "category"]
    readonly_fields = [
        "hero_photo_preview",
        "status_column",
        "published_at",
        "revised_at",
        "created_by_name",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["category"]
    actions = ["submit_selected", "publish_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "standfirst", "body", "tags"]}),
        ("Photo principale", {"fields": ["hero_photo", "hero_photo_preview"]}),
        (
            "Signature et publication",
            {"fields": ["authors", "status_column", "published_at", "revised_at", "is_featured"]},
        ),
        (
            "Référencement et suivi",
            {
                "classes": ["collapse"],
                "fields": ["meta_description", "created_by_name", "created_at", "updated_at"],
            },
        ),
    ]

    @admin.display(description="aperçu de la photo")
    def hero_photo_preview(self, obj):
        if not obj.hero_photo_id:
            return "Aucune photo choisie."
        return format_html(
            "{}<br><small>{} — {}</small>",
            thumbnail(obj.hero_photo, 320),
            obj.hero_photo.caption,
            obj.hero_photo.credit_line,
        )

    @admin.display(description="créé par")
    def created_by_name(self, obj):
        # Text, not Django's link to the account's page, which only administrators may open.
        person = obj.created_by
        return display_name(person) if person else "—"

    @admin.display(description="statut", ordering="status")
    def status_column(self, obj):
        if obj.pk is None:
            return "Brouillon"
        return format_html(
            '<span class="ae-status ae-status--{}">{}</span>',
            "scheduled" if obj.is_scheduled else obj.status,
            obj.status_label,
        )

    # The list's columns: get_queryset() adds what they show (ArticleQuerySet.for_desk).

    @admin.display(description="titre", ordering="title")
    def title_column(self, obj):
        return format_html(
            '<span class="ae-list-title">{}</span><span class="ae-list-meta">{}{}</span>',
            obj.title,
            obj.category.name,
            mark_safe(' · <span class="ae-featured">À la une</span>') if obj.is_featured else "",
        )

    @admin.display(description="auteurs")
    def authors_column(self, obj):
        return ", ".join(author.display_name for author in obj.authors.all()) or "—"

    @admin.display(description="soumis", ordering="submitted_at")
    def submitted_column(self, obj):
        if obj.submitted_at is None:
            return "—"
        if obj.status != Article.Status.REVIEW:
            return moment_cell(obj.submitted_at)
        waited = timezone.now() - obj.submitted_at
        return format_html(
            '{}<span class="ae-wait{}">attend depuis {}</span>',
            moment_cell(obj.submitted_at),
            " ae-wait--long" if waited > workflow.LONG_WAIT else "",
            french_duration(waited),
        )

    @admin.display(description="publication", ordering="published_at")
    def published_at_column(self, obj):
        return moment_cell(obj.published_at) if obj.published_at else "—"

    @admin.display(description="modifié", ordering="updated_at")
    def updated_column(self, obj):
        return format_html(
            '{}<span class="ae-list-meta">{}</span>',
            moment_cell(obj.updated_at),
            f"par {obj.updated_by_name}" if obj.updated_by_name else "",
        )

    def view_on_site(self, obj):
        # Until readers can see it, "Voir sur le site" opens the private preview.
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("articles:preview", args=[obj.pk])

    # Who sees and edits what: the same rules as workflow.py, checked on every request.

    def get_queryset(self, request):
        # Annotated (ArticleQuerySet.for_desk) before it is ordered: the review queue sorts on
        # `submitted_at`.
        queryset = self.model._default_manager.for_desk()
        if ordering := self.get_ordering(request):
            queryset = queryset.order_by(*ordering)
        if workflow.is_editor(request.user):
            return queryset
        return queryset.owned_by(request.user)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_object(self, request, object_id, from_field=None):
        # Look beyond the person's own list, so that someone else's article answers 403
        # (has_view/change_permission below) rather than pretending it does not exist.
        field = (
            self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        )
        try:
            return self.model._default_manager.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or workflow.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only: show the body as readers will see it, not as HTML source.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "body_rendered" if field == "body" else field for field in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "body_rendered"]

    @admin.display(description="texte")
    def body_rendered(self, obj):
        # As readers will see it: the public page's filter and typography (rich-text.css).
        return format_html('<div class="rich-text ae-body-preview">{}</div>', rich_text(obj.body))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "author_profile", None)
        if profile is not None:
            initial.setdefault("authors", [profile.pk])
        return initial

    def delete_model(self, request, obj):
        workflow.delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            workflow.delete(article, by=request.user)

    def save_model(self, request, obj, form, change):
        # What a save records is the rule's (articles/editing.py), as for a save from a command.
        editing.save(
            obj,
            by=request.user,
            note_kind=form.cleaned_data.get("note_kind") or "",
            note_text=form.cleaned_data.get("note_text") or "",
            minor=form.cleaned_data.get("minor_fix", False),
            unpublishing=form.unpublishing,
        )
        obj._workflow_input = form.cleaned_data

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The keywords and authors just saved: their pages may now list the article.
        invalidation.changed(article=form.instance)

    def construct_change_message(self, request, form, formsets, add=False):
        # Django's history lists the article's fields; the form's others (the workflow comment,
        # the reader note, « correction mineure », the version) are not stored on the article,
        # and have their own lines in the article's history.
        message = super().construct_change_message(request, form, formsets, add)
        stored = {field.name for field in Article._meta.get_fields()}
        not_stored = {str(field.label) for name, field in form.fields.items() if name not in stored}
        kept = []
        for entry in message:
            if "changed" in entry:
                fields = [f for f in entry["changed"]["fields"] if f not in not_stored]
                if not fields:
                    continue
                entry = {"changed": {"fields": fields}}
            kept.append(entry)
        return kept

    def response_change(self, request, obj):
        action = request.POST.get("_transition")
        if not action:
            return super().response_change(request, obj)
        data = getattr(obj, "_workflow_input", {})
        try:
            workflow.make_move(
                action,
                obj,
                by=request.user,
                comment=data.get("workflow_comment") or "",
                at=data.get("workflow_at"),
            )
        except WorkflowError as error:
            self.message_user(request, f"Article enregistré, mais : {error}", messages.ERROR)
        else:
            self.message_user(request, TRANSITION_DONE[action].format(obj), messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["workflow"] = self._workflow_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_panel(self, request, obj):
        user = request.user
        can_change = self.has_change_permission(request, obj)
        actions = workflow.allowed_actions(obj, user) if can_change else []
        transitions = list(obj.transitions.select_related("by"))
        sent_back = None
        if obj.status == Article.Status.CHANGES_REQUESTED:
            sent_back = next(
                (t for t in reversed(transitions) if t.action == Transition.Action.SEND_BACK), None
            )
        reviewed, latest = workflow.changes_since_review(obj)
        return {
            "status_label": obj.status_label,
            "is_scheduled": obj.is_scheduled,
            "buttons": [(action, TRANSITION_BUTTONS[action]) for action in actions],
            "needs_comment_field": bool(actions),
            "can_schedule": Transition.Action.SCHEDULE in actions,
            "sent_back": sent_back,
            "transitions": transitions,
            "revisions": obj.revisions.select_related("created_by", "hero_photo")[:30],
            "can_restore": can_change,
            "reviewed": reviewed,
            "diff": revision_diff(reviewed, latest) if reviewed and latest else [],
            "missing": workflow.missing_for_publication(obj),
            "note_fields": can_change and obj.is_published,
            "preview_url": reverse("articles:preview", args=[obj.pk]),
            "is_editor": workflow.is_editor(user),
        }

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["state_counts"] = workflow.counts(self.get_queryset(request).order_by())
        extra_context["is_editor"] = workflow.is_editor(request.user)
        if request.GET.get(StatusFilter.parameter_name) == "review":
            extra_context["title"] = extra_context["queue_title"] = "À relire"
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "a-relire/",
                self.admin_site.admin_view(self.review_queue_view),
                name="articles_article_review_queue",
            ),
            path(
                "<path:object_id>/versions/<int:revision_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="articles_article_revision",
            ),
            path(
                "<path:object_id>/versions/<int:revision_id>/restaurer/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def review_queue_view(self, request):
        """The editors' "À relire" list: articles under review, longest wait first."""
        columns = list(self.get_list_display(request))
        if self.get_actions(request):
            columns.insert(0, "action_checkbox")  # as ChangeList numbers them
        url = reverse("admin:articles_article_changelist")
        query = urlencode(
            {StatusFilter.parameter_name: "review", ORDER_VAR: columns.index("submitted_column")}
        )
        return HttpResponseRedirect(f"{url}?{query}")

    def _revision(self, request, object_id, revision_id):
        revision = (
            ArticleRevision.objects.filter(pk=revision_id, article_id=object_id)
            .select_related("article", "hero_photo", "created_by")
            .first()
        )
        if revision is None or not workflow.can_view(request.user, revision.article):
            raise Http404("Version introuvable.")
        return revision

    def _revision_context(self, request, revision, **extra):
        article = revision.article
        latest = article.revisions.order_by("-number").first()
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "revision": revision,
            "is_latest": latest is not None and latest.pk == revision.pk,
            "latest": latest,
            "can_restore": self.has_change_permission(request, article),
            "live": article.is_published,
            **extra,
        }

    def revision_view(self, request, object_id, revision_id):
        """One version as readers would see it, and what differs from the current one."""
        revision = self._revision(request, object_id, revision_id)
        context = self._revision_context(request, revision)
        latest = context["latest"]
        context["title"] = f"Version n° {revision.number} de « {revision.article} »"
        # From the current text to this version: what a restore would change.
        context["diff"] = revision_diff(latest, revision) if latest else []
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def restore_view(self, request, object_id, revision_id):
        """Ask for confirmation (and a note for readers if the article is live), then restore."""
        revision = self._revision(request, object_id, revision_id)
        article = revision.article
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        form = RestoreForm(
            request.POST if request.method == "POST" else None, live=article.is_published
        )
        if request.method == "POST" and form.is_valid():
            try:
                workflow.restore(
                    revision,
                    by=request.user,
                    note_kind=form.cleaned_data["note_kind"],
                    note_text=form.cleaned_data["note_text"],
                    minor=form.cleaned_data["minor_fix"],
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request, f"La version n° {revision.number} a été restaurée.", messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
        context = self._revision_context(request, revision, form=form)
        context["title"] = f"Restaurer la version n° {revision.number} ?"
        return TemplateResponse(request, "admin/articles/article/restore_confirm.html", context)

    @admin.action(description="Soumettre à relecture")
    def submit_selected(self, request, queryset):
        self._apply_to_each(request, queryset, workflow.submit, "soumis à relecture")

    @admin.action(description="Publier maintenant", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._apply_to_each(request, queryset, workflow.publish, "publié")

    def _apply_to_each(self, request, queryset, move, done):
        succeeded = 0
        for article in queryset:
            try:
                move(article, by=request.user)
            except (WorkflowError, PermissionDenied) as error:
                self.message_user(request, f"« {article} » : {error}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(
                request,
                ngettext("%(n)d article %(done)s.", "%(n)d articles %(done)ss.", succeeded)
                % {"n": succeeded, "done": done},
                messages.SUCCESS,
            )


@admin.register(Page)
class PageAdmin(RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}

    def public_change(self, obj):
        return {"page": obj}


@admin.register(AuditEvent)
class AuditEventAdmin(RecordAdmin):
    """Read-only: the trail is written by articles/workflow.py and nothing else."""

    list_display = ["when", "action", "article_link", "actor_name", "reason_excerpt"]
    list_filter = ["action", ("at", titled(admin.DateFieldListFilter, "date"))]
    search_fields = ["article_title", "actor_name", "reason"]
    date_hierarchy = "at"
    fields = ["when", "action", "actor_name", "article_link", "reason", "changes"]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin-workflow.css"]}

    @admin.display(description="le", ordering="at")
    def when(self, obj):
        return french_datetime(obj.at)

    @admin.display(description="article", ordering="article_title")
    def article_link(self, obj):
        # The article may be gone (a deletion): its title and number stay readable.
        if obj.article_exists:
            url = reverse("admin:articles_article_change", args=[obj.article_id])
            return format_html('<a href="{}">{}</a>', url, obj.article_title)
        return f"{obj.article_title} (n° {obj.article_id}, supprimé)"

    @admin.display(description="raison donnée")
    def reason_excerpt(self, obj):
        return Truncator(obj.reason).chars(80) or "—"

    @admin.display(description="avant → après")
    def changes(self, obj):
        rows = audit_diff(obj.before, obj.after)
        if not rows:
            return "Aucun changement enregistré."
        heading = "Dernier état de l’article" if obj.after is None else ""
        return format_html(
            '{}<dl class="ae-audit-diff">{}</dl>',
            format_html("<p>{}</p>", heading) if heading else "",
            format_html_join("", '<dt>{}</dt><dd class="ae-diff__text">{}</dd>', rows),
        )

    def get_queryset(self, request):
        # Whether each article still exists, in the same query as the list.
        articles = Article.objects.filter(pk=OuterRef("article_id"))
        return super().get_queryset(request).annotate(article_exists=Exists(articles))
