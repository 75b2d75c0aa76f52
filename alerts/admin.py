from datetime import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from articles.admin_base import RecordAdmin
from articles.dates import french_datetime

from . import rules
from .models import Alert, AlertEvent


class EditorsOnly:
    """Alerts are for editors alone, whatever model permissions a group was given."""

    def has_module_permission(self, request):
        return rules.may_manage(request.user)

    def has_view_permission(self, request, obj=None):
        return rules.may_manage(request.user)


@admin.register(Alert)
class AlertAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ["text", "state", "starts", "ends", "created_by"]
    fields = ["text", "link", "starts_at", "ends_at"]
    actions = ["end_now"]

    def has_add_permission(self, request):
        return rules.may_manage(request.user)

    def has_change_permission(self, request, obj=None):
        return rules.may_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        return rules.may_manage(request.user)

    @admin.display(description="état")
    def state(self, obj):
        return obj.state_label

    @admin.display(description="début", ordering="starts_at")
    def starts(self, obj):
        return french_datetime(obj.starts_at)

    @admin.display(description="fin", ordering="ends_at")
    def ends(self, obj):
        return french_datetime(obj.ends_at) if obj.ends_at else "—"

    def save_model(self, request, obj, form, change):
        rules.save(obj, by=request.user)

    def delete_model(self, request, obj):
        rules.delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for alert in queryset:
            rules.delete(alert, by=request.user)

    @admin.action(description="Retirer du site maintenant", permissions=["change"])
    def end_now(self, request, queryset):
        ended = 0
        for alert in queryset:
            if alert.state_label == "Terminée":
                continue
            try:
                rules.end(alert, by=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            ended += 1
        self.message_user(
            request,
            ngettext("%(n)d alerte retirée du site.", "%(n)d alertes retirées du site.", ended)
            % {"n": ended},
            messages.SUCCESS,
        )


@admin.register(AlertEvent)
class AlertEventAdmin(EditorsOnly, RecordAdmin):
    """Read-only: written by alerts/rules.py and nothing else."""

    list_display = ["when", "action", "alert_text", "actor_name"]
    list_filter = ["action"]
    search_fields = ["alert_text", "actor_name"]
    fields = ["when", "action", "actor_name", "alert_text", "changes"]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin-workflow.css"]}

    @admin.display(description="le", ordering="at")
    def when(self, obj):
        return french_datetime(obj.at)

    @admin.display(description="avant → après")
    def changes(self, obj):
        rows = []
        before, after = obj.before or {}, obj.after or {}
        for key, label in FIELDS:
            old, new = _readable(key, before.get(key)), _readable(key, after.get(key))
            if not before or not after or old != new:
                rows.append((label, old if before else "—", new if after else "—"))
        if not rows:
            return "Aucun changement enregistré."
        return format_html(
            '<dl class="ae-audit-diff">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{} → {}</dd>", rows),
        )


FIELDS = [("text", "texte"), ("link", "lien"), ("starts_at", "début"), ("ends_at", "fin")]


def _readable(key, value) -> str:
    if value in (None, ""):
        return "—"
    if key in ("starts_at", "ends_at"):
        return french_datetime(datetime.fromisoformat(value))
    return str(value)
