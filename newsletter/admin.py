import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from actualites.admin_site import titled
from articles.admin_base import RecordAdmin

from . import sending, subscriptions
from .models import Delivery, Issue, IssueArticle, Subscriber

CSV_COLUMNS = [
    ("email", "adresse"),
    ("get_status_display", "statut"),
    ("created_at", "inscrit le"),
    ("consent_at", "consentement le"),
    ("consent_source", "page d’inscription"),
    ("confirmed_at", "confirmé le"),
    ("unsubscribed_at", "désabonné le"),
]


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return timezone.localtime(value).isoformat(timespec="seconds")
    text = str(value)
    # A spreadsheet would run "=…", "+…", "-…", "@…" as a formula: neutralise it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "status",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "consent_source",
    ]
    list_filter = [
        "status",
        ("created_at", titled(admin.DateFieldListFilter, "date d’inscription")),
        ("confirmed_at", titled(admin.DateFieldListFilter, "date de confirmation")),
        "categories",
    ]
    search_fields = ["email_key", "consent_source"]
    date_hierarchy = "created_at"
    fields = [
        "email",
        "status",
        "categories",
        "created_at",
        "consent_at",
        "consent_source",
        "confirmed_at",
        "unsubscribed_at",
        "last_confirmation_sent_at",
    ]
    readonly_fields = [f for f in fields if f != "categories"]
    filter_horizontal = ["categories"]
    actions = ["export_csv", "unsubscribe_selected"]

    def has_add_permission(self, request):
        # Subscribers come only from their own double opt-in.
        return False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.lower())

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "counts": Subscriber.objects.counts()}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Exporter en CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff" + writer.writerow([label for _, label in CSV_COLUMNS])
            for subscriber in queryset.order_by("pk").iterator(chunk_size=1000):
                values = []
                for attribute, _ in CSV_COLUMNS:
                    value = getattr(subscriber, attribute)
                    values.append(_csv_cell(value() if callable(value) else value))
                yield writer.writerow(values)

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="abonnes-{stamp}.csv"'
        return response

    @admin.action(description="Désabonner les abonnés sélectionnés", permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        count = 0
        for subscriber in queryset.exclude(status=Subscriber.Status.UNSUBSCRIBED):
            subscriptions.unsubscribe(subscriber)
            count += 1
        self.message_user(
            request,
            ngettext("%d abonné désabonné.", "%d abonnés désabonnés.", count) % count,
            messages.SUCCESS,
        )


class IssueArticleInline(admin.TabularInline):
    model = IssueArticle
    extra = 1
    autocomplete_fields = ["article"]
    fields = ["position", "article"]

    # The articles of an issue are part of the issue: its permissions decide.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("newsletter.view_issue") or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return False
        return request.user.has_perm("newsletter.change_issue") or (
            obj is None and request.user.has_perm("newsletter.add_issue")
        )

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "created_at", "sent_at", "progress_display"]
    list_filter = ["status"]
    search_fields = ["subject"]
    # Status and progress are shown (and kept up to date) at the top of the page.
    fields = ["subject", "introduction", "started_at", "sent_at"]
    readonly_fields = ["started_at", "sent_at"]
    inlines = [IssueArticleInline]
    actions = ["prefill_articles"]
    change_form_template = "admin/newsletter/issue/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_total=Count("deliveries"),
                n_sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
                n_failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
            )
        )

    @admin.display(description="progression (envoyés / échecs / total)")
    def progress_display(self, obj):
        if obj.pk is None:
            return "—"
        return f"{obj.n_sent} / {obj.n_failed} / {obj.n_total}"

    def has_change_permission(self, request, obj=None):
        # Once sending has started, an issue is a record: it can be read, not rewritten.
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def has_send_permission(self, request, obj=None):
        return request.user.has_perm("newsletter.send_issue")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(
        description="Pré-remplir avec les articles publiés depuis la dernière lettre",
        permissions=["change"],
    )
    def prefill_articles(self, request, queryset):
        for issue in queryset.filter(status=Issue.Status.DRAFT):
            added = sending.prefill_articles(issue)
            self.message_user(
                request,
                ngettext(
                    "« %(issue)s » : %(n)d article ajouté.",
                    "« %(issue)s » : %(n)d articles ajoutés.",
                    added,
                )
                % {"issue": issue, "n": added},
            )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/apercu/", view(self.preview_html), name="newsletter_issue_preview"),
            path(
                "<int:pk>/apercu-texte/",
                view(self.preview_text),
                name="newsletter_issue_preview_text",
            ),
            path(
                "<int:pk>/test/", view(require_POST(self.send_test)), name="newsletter_issue_test"
            ),
            path("<int:pk>/envoyer/", view(self.send), name="newsletter_issue_send"),
            path(
                "<int:pk>/progression/",
                view(self.progress_json),
                name="newsletter_issue_progress",
            ),
            path(
                "<int:pk>/reprendre/",
                view(require_POST(self.resume)),
                name="newsletter_issue_resume",
            ),
            path(
                "<int:pk>/preremplir/",
                view(require_POST(self.prefill)),
                name="newsletter_issue_prefill",
            ),
            *super().get_urls(),
        ]

    def _issue(self, request, pk, *, permission):
        issue = get_object_or_404(Issue, pk=pk)
        if not permission(request, issue):
            raise PermissionDenied
        return issue

    def _back(self, issue):
        return redirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    def preview_html(self, request, pk):
        issue = self._issue(request, pk, permission=self.has_view_permission)
        return HttpResponse(sending.preview(issue)[1])

    def preview_text(self, request, pk):
        issue = self._issue(request, pk, permission=self.has_view_permission)
        return HttpResponse(sending.preview(issue)[0], content_type="text/plain; charset=utf-8")

    def _run(self, request, issue, operation, success):
        try:
            operation()
        except sending.SendingError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)
        return self._back(issue)

    def has_test_permission(self, request, obj=None):
        return self.has_view_permission(request, obj) and request.user.has_perm(
            "newsletter.change_issue"
        )

    def send_test(self, request, pk):
        issue = self._issue(request, pk, permission=self.has_test_permission)
        if not request.user.email:
            self.message_user(
                request,
                "Votre compte n’a pas d’adresse e-mail pour recevoir le test.",
                messages.ERROR,
            )
            return self._back(issue)
        return self._run(
            request,
            issue,
            lambda: sending.send_test(issue, to=request.user.email),
            f"Un exemplaire de test a été envoyé à {request.user.email}.",
        )

    def send(self, request, pk):
        """GET asks for confirmation (sending cannot be undone); POST sends."""
        issue = self._issue(request, pk, permission=self.has_send_permission)
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": "Confirmer l’envoi",
                "issue": issue,
                "recipients": Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).count(),
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/newsletter/issue/send_confirm.html", context)
        return self._run(
            request,
            issue,
            lambda: sending.start_sending(issue, by=request.user),
            "L’envoi est lancé : la progression s’affiche sur cette page.",
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = Issue.objects.filter(pk=object_id).first()
        if issue is not None:
            extra_context = {**(extra_context or {}), "progress": sending.progress_report(issue)}
        return super().change_view(request, object_id, form_url, extra_context)

    def progress_json(self, request, pk):
        """The sending progress for the issue page's script (the page shows the same)."""
        issue = self._issue(request, pk, permission=self.has_view_permission)
        response = JsonResponse(sending.progress_report(issue))
        response["Cache-Control"] = "no-store"
        return response

    def resume(self, request, pk):
        issue = self._issue(request, pk, permission=self.has_send_permission)
        return self._run(
            request,
            issue,
            lambda: sending.resume_sending(issue),
            "L’envoi a été relancé.",
        )

    def prefill(self, request, pk):
        issue = self._issue(request, pk, permission=self.has_change_permission)
        added = sending.prefill_articles(issue)
        self.message_user(
            request,
            ngettext("%d article ajouté.", "%d articles ajoutés.", added) % added,
        )
        return self._back(issue)


@admin.register(Delivery)
class DeliveryAdmin(RecordAdmin):
    list_display = ["subscriber", "issue", "status", "sent_at", "error"]
    list_filter = ["status", "issue"]
    list_select_related = ["subscriber", "issue"]
    search_fields = ["subscriber__email_key"]
    readonly_fields = ["issue", "subscriber", "status", "claimed_at", "sent_at", "error"]
