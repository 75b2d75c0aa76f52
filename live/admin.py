from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.text import Truncator

from articles.admin_base import RecordAdmin
from articles.dates import french_datetime
from newsroom.roles import is_editor

from . import rules
from .forms import LiveEntryForm, LiveForm, QuickEntryForm, WithdrawForm
from .models import Live, LiveEntry, LiveEvent
from .rules import LiveError


def _may_use_lives(request) -> bool:
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and (is_editor(user) or Live.objects.written_by(user).exists())
    )


@admin.register(Live)
class LiveAdmin(admin.ModelAdmin):
    """A live's page: the quick form and the stream for its writers, settings for editors."""

    form = LiveForm
    change_form_template = "admin/live/live/change_form.html"
    list_display = ["title", "state", "entry_rule", "started", "published_count", "held_count"]
    list_filter = ["state", "entry_rule"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    filter_horizontal = ["writers"]

    @admin.display(description="direct", ordering="article__title")
    def title(self, obj):
        return obj.article.title

    @admin.display(description="commencé", ordering="started_at")
    def started(self, obj):
        return french_datetime(obj.started_at)

    @admin.display(description="entrées publiées", ordering="n_published")
    def published_count(self, obj):
        return obj.n_published

    @admin.display(description="en attente", ordering="n_held")
    def held_count(self, obj):
        return obj.n_held

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related("article")
            .annotate(
                n_published=Count("entries", filter=Q(entries__status=LiveEntry.Status.PUBLISHED)),
                n_held=Count("entries", filter=Q(entries__status=LiveEntry.Status.HELD)),
            )
        )
        if is_editor(request.user):
            return queryset
        return queryset.filter(writers=request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj else []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "writers":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Who may do what: live/rules.py, not the model permissions of the groups.

    def has_module_permission(self, request):
        return _may_use_lives(request)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return _may_use_lives(request)
        return rules.can_see(request.user, obj)

    def has_add_permission(self, request):
        return rules.can_run(request.user)

    def has_change_permission(self, request, obj=None):
        return rules.can_run(request.user)

    def has_delete_permission(self, request, obj=None):
        # A live ends; it is not deleted (its article stays, with its entries).
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            rules.update(
                obj,
                by=request.user,
                summary=data["summary"],
                entry_rule=data["entry_rule"],
                writers=data["writers"],
            )
            return
        live = rules.start(
            data["article"],
            by=request.user,
            entry_rule=data["entry_rule"],
            writers=data["writers"],
            summary=data["summary"],
        )
        obj.pk, obj.started_at, obj.version = live.pk, live.started_at, live.version
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The writers were set by rules.start() / rules.update(), with the trail.
        pass

    # The quick form, the stream and the decisions -------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:live_id>/entrees/ajouter/",
                view(self.post_entry_view),
                name="live_live_post_entry",
            ),
            path(
                "<int:live_id>/entrees/<int:entry_id>/<str:action>/",
                view(self.entry_action_view),
                name="live_live_entry_action",
            ),
            path("<int:live_id>/etat/<str:action>/", view(self.state_view), name="live_live_state"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # A refused quick entry comes back with its own form (text and reason) in context.
            for key, value in self._desk_context(request, obj).items():
                context.setdefault(key, value)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _desk_context(self, request, live, quick_form=None):
        entries = (
            live.entries.select_related("author__author_profile", "photo")
            # Held entries first, waiting for an editor; then the stream, newest first.
            .order_by(F("published_at").desc(nulls_first=True), "-created_at")[:200]
        )
        return {
            "live": live,
            "live_entries": entries,
            "quick_form": quick_form or QuickEntryForm(),
            "may_post": rules.can_post(request.user, live) and live.is_running,
            "may_run": rules.can_run(request.user),
            "public_url": live.article.get_absolute_url(),
        }

    def _live(self, request, live_id):
        live = get_object_or_404(Live.objects.select_related("article"), pk=live_id)
        if not rules.can_see(request.user, live):
            raise PermissionDenied
        return live

    def _back(self, live, entry=None):
        url = reverse("admin:live_live_change", args=[live.pk])
        return HttpResponseRedirect(f"{url}#entree-{entry.pk}" if entry else f"{url}#flux")

    @staticmethod
    def _error_text(error):
        return error.messages[0] if hasattr(error, "messages") else str(error)

    def post_entry_view(self, request, live_id):
        live = self._live(request, live_id)
        if request.method != "POST":
            return self._back(live)
        form = QuickEntryForm(request.POST)
        if form.is_valid():
            try:
                entry = rules.post(live, by=request.user, text=form.cleaned_data["text"])
            except (LiveError, PermissionDenied) as error:
                form.add_error("text", str(error))
            else:
                if entry.is_published:
                    self.message_user(request, "Entrée publiée.", messages.SUCCESS)
                else:
                    self.message_user(
                        request,
                        "Entrée envoyée : elle attend qu’un éditeur la publie.",
                        messages.INFO,
                    )
                return self._back(live)
        # Nothing lost: the page comes back with the text and the reason.
        request.method = "GET"
        return self.change_view(
            request, str(live.pk), extra_context=self._desk_context(request, live, form)
        )

    def entry_action_view(self, request, live_id, entry_id, action):
        live = self._live(request, live_id)
        entry = get_object_or_404(LiveEntry, pk=entry_id, live=live)
        if request.method != "POST":
            return self._back(live, entry)
        done = {
            "publier": (lambda: rules.publish(entry, by=request.user), "Entrée publiée."),
            "epingler": (
                lambda: rules.pin(entry, by=request.user),
                "Entrée marquée « Moment clé ».",
            ),
            "desepingler": (
                lambda: rules.pin(entry, by=request.user, key_moment=False),
                "Ce n’est plus un moment clé.",
            ),
            "retirer": (lambda: self._withdraw(request, entry), "Entrée retirée du direct."),
        }
        if action not in done:
            return self._back(live, entry)
        move, message = done[action]
        try:
            move()
        except (LiveError, PermissionDenied) as error:
            self.message_user(request, self._error_text(error), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return self._back(live, entry)

    @staticmethod
    def _withdraw(request, entry):
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            raise LiveError(form.errors["reason"][0])
        rules.withdraw(entry, by=request.user, reason=form.cleaned_data["reason"])

    def state_view(self, request, live_id, action):
        live = self._live(request, live_id)
        if request.method == "POST" and action in ("terminer", "rouvrir"):
            try:
                if action == "terminer":
                    rules.end(live, by=request.user)
                    self.message_user(request, "Direct terminé.", messages.SUCCESS)
                else:
                    rules.reopen(live, by=request.user)
                    self.message_user(request, "Direct rouvert.", messages.SUCCESS)
            except (LiveError, PermissionDenied) as error:
                self.message_user(request, self._error_text(error), messages.ERROR)
        return self._back(live)


@admin.register(LiveEntry)
class LiveEntryAdmin(admin.ModelAdmin):
    """An entry's own page: its correction (title, text, photo, quoted link)."""

    form = LiveEntryForm
    fields = ["title", "body", "photo", "quote_url", "quote_text"]
    autocomplete_fields = ["photo"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("live__article")

    def has_module_permission(self, request):
        return False  # reached from its live's page

    def has_view_permission(self, request, obj=None):
        return obj is not None and rules.can_see(request.user, obj.live)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is not None and rules.can_correct(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        rules.correct(
            obj,
            by=request.user,
            body=data["body"],
            title=data["title"],
            photo=data["photo"],
            quote_url=data["quote_url"],
            quote_text=data["quote_text"],
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except LiveError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def response_change(self, request, obj):
        self.message_user(request, "Entrée modifiée.", messages.SUCCESS)
        url = reverse("admin:live_live_change", args=[obj.live_id])
        return HttpResponseRedirect(f"{url}#entree-{obj.pk}")


@admin.register(LiveEvent)
class LiveEventAdmin(RecordAdmin):
    """Read-only: written by live/rules.py and nothing else."""

    list_display = ["when", "action", "article_title", "entry_id", "actor_name", "reason_excerpt"]
    list_filter = ["action"]
    search_fields = ["article_title", "actor_name", "reason"]
    fields = [
        "when",
        "action",
        "actor_name",
        "article_title",
        "entry_id",
        "reason",
        "before",
        "after",
    ]
    readonly_fields = fields

    @admin.display(description="le", ordering="at")
    def when(self, obj):
        return french_datetime(obj.at)

    @admin.display(description="raison donnée")
    def reason_excerpt(self, obj):
        return Truncator(obj.reason).chars(80) or "—"

    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)
