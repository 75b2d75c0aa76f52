"""Sujets in the admin: the list, the form (editors), accept and abandon, and the calendar."""

from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from articles import workflow
from articles.dates import french_moment
from articles.models import Article, Category

from . import calendar, rules
from .models import Assignment

S = Assignment.Status


class StateFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [*S.choices, ("late", "En retard")]

    def queryset(self, request, queryset):
        if self.value() == "late":
            return queryset.late()
        if self.value() in S.values:
            return queryset.filter(state=self.value())
        return queryset


class AssignmentForm(forms.ModelForm):
    # One field the browser fills with its own date and time picker, not the admin's two.
    due_at = forms.DateTimeField(
        label="À rendre le",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )

    class Meta:
        model = Assignment
        fields = ["title", "category", "assignee", "due_at", "planned_words", "brief"]
        widgets = {
            "due_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "title": forms.TextInput(attrs={"class": "ae-headline"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" not in self.fields:  # the assignee's read-only view
            return
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, is_staff=True, author_profile__isnull=False)
            .order_by("author_profile__display_name")
        )
        self.fields["assignee"].label_from_instance = lambda u: u.author_profile.display_name


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentForm
    list_display = ["title", "category", "assignee_name", "due_column", "state_column"]
    list_filter = [StateFilter, "category", "assignee"]
    search_fields = ["title", "brief"]
    list_select_related = ["category", "assignee__author_profile", "article"]
    readonly_fields = ["state_column", "article_link"]

    class Media:
        css = {"all": ["css/admin-planning.css"]}

    def get_fields(self, request, obj=None):
        fields = ["title", "category", "assignee", "due_at", "planned_words", "brief"]
        if obj is None:
            return fields
        if not rules.may_plan(request.user):
            # Read-only: names and dates as text, not links to pages they may not open.
            fields = ["title", "category", "assignee_name", "due_column", "planned_words", "brief"]
        return [*fields, "state_column", "article_link"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not rules.may_plan(request.user):
            return self.get_fields(request, obj)
        return super().get_readonly_fields(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_state()
        if rules.may_plan(request.user):
            return queryset
        return queryset.for_person(request.user)

    @admin.display(description="confié à", ordering="assignee__author_profile__display_name")
    def assignee_name(self, obj):
        return calendar._who(obj.assignee)

    @admin.display(description="à rendre", ordering="due_at")
    def due_column(self, obj):
        moment = french_moment(obj.due_at, timezone.now())
        if obj.is_late:
            return format_html('{} <span class="ae-late">en retard</span>', moment)
        return moment

    @admin.display(description="état", ordering="status")
    def state_column(self, obj):
        return format_html(
            '<span class="ae-sujet ae-sujet--{}">{}</span>', obj.state_value, obj.state_label
        )

    @admin.display(description="article")
    def article_link(self, obj):
        if obj.article is None:
            return "Pas encore : l’article est créé quand le sujet est accepté."
        url = reverse("admin:articles_article_change", args=[obj.article.pk])
        return format_html(
            '<a href="{}">{}</a> ({})', url, obj.article.title, obj.article.status_label.lower()
        )

    # Who may do what: planning/rules.py, checked on every request.

    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm("articles.view_article")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or rules.may_see(request.user, obj)
        )

    def has_add_permission(self, request):
        return rules.may_plan(request.user)

    def has_change_permission(self, request, obj=None):
        return rules.may_plan(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    # planning/rules.py writes the sujet's history, in words; Django's own lines would repeat it.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def save_model(self, request, obj, form, change):
        if change:
            rules.change(obj, by=request.user, before=Assignment.objects.get(pk=obj.pk))
        else:
            rules.create(obj, by=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["sujet_actions"] = {
                "accept": rules.may_accept(request.user, obj),
                "abandon": rules.may_plan(request.user) and obj.status != S.ABANDONED,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except rules.PlanningError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("calendrier/", wrap(self.calendar_view), name="planning_calendar"),
            path(
                "calendrier/programmer/<int:article_id>/",
                wrap(self.reschedule_view),
                name="planning_reschedule",
            ),
            path("<int:object_id>/accepter/", wrap(self.accept_view), name="planning_accept"),
            path("<int:object_id>/abandonner/", wrap(self.abandon_view), name="planning_abandon"),
            *super().get_urls(),
        ]

    def accept_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:planning_assignment_change", args=[object_id])
            )
        assignment = get_object_or_404(Assignment, pk=object_id)
        try:
            article = rules.accept(assignment, by=request.user)
        except rules.PlanningError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:planning_assignment_change", args=[object_id])
            )
        self.message_user(
            request, f"Sujet accepté : voici le brouillon de « {article.title} ».", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def abandon_view(self, request, object_id):
        assignment = get_object_or_404(Assignment, pk=object_id)
        if request.method == "POST":
            try:
                rules.abandon(assignment, by=request.user, reason=request.POST.get("reason", ""))
            except rules.PlanningError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"« {assignment} » est abandonné.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:planning_assignment_change", args=[object_id]))

    def calendar_view(self, request):
        """Week or day, for everyone or one rubric or person: sujets and publications."""
        if not self.has_module_permission(request):
            raise PermissionDenied
        view = "jour" if request.GET.get("vue") == "jour" else "semaine"
        try:
            day = date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            day = timezone.localdate()
        start, count, step = (day, 1, 1) if view == "jour" else (calendar.week_of(day), 7, 7)
        category = _pick(Category.objects.all(), request.GET.get("rubrique"))
        people = (
            get_user_model()
            .objects.filter(is_active=True, is_staff=True, author_profile__isnull=False)
            .select_related("author_profile")
            .order_by("author_profile__display_name")
        )
        person = _pick(people, request.GET.get("personne"))
        if not rules.may_plan(request.user):
            person = request.user  # a journalist's calendar is their own
        urls = {
            "sujet": lambda s: reverse("admin:planning_assignment_change", args=[s.pk]),
            "article": lambda a: reverse("admin:articles_article_change", args=[a.pk]),
            "live": lambda live: reverse("admin:live_live_change", args=[live.pk]),
        }

        def link(**changes):
            query = {"vue": view, "date": start.isoformat(), **changes}
            if category:
                query.setdefault("rubrique", category.pk)
            if person and rules.may_plan(request.user):
                query.setdefault("personne", person.pk)
            return "?" + "&".join(f"{k}={v}" for k, v in query.items())

        days = calendar.days(start, count, category=category, person=person, urls=urls)
        for each in days:
            each.link = link(vue="jour", date=each.day.isoformat())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Planning",
            "view": view,
            "days": days,
            "period": days[0].label if view == "jour" else f"semaine du {days[0].label}",
            "previous": link(date=(start - timedelta(days=step)).isoformat()),
            "next": link(date=(start + timedelta(days=step)).isoformat()),
            "today": link(date=timezone.localdate().isoformat()),
            "week_link": link(vue="semaine"),
            "categories": Category.objects.all(),
            "people": people if rules.may_plan(request.user) else [],
            "category": category,
            "person": person,
            "start": start.isoformat(),
            "can_publish": workflow.can_publish(request.user),
            "can_plan": rules.may_plan(request.user),
            "here": request.get_full_path(),
            "late_count": Assignment.objects.late()
            .filter(**({"assignee": person} if person else {}))
            .count(),
        }
        return TemplateResponse(request, "admin/planning/assignment/calendar.html", context)

    def reschedule_view(self, request, article_id):
        """The calendar's no-JavaScript form: a new publication time, through the workflow."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:planning_calendar"))
        article = get_object_or_404(Article, pk=article_id)
        field = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"])
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:planning_calendar")
        try:
            at = field.clean(request.POST.get("at", ""))
            rules.reschedule_publication(article, by=request.user, at=at)
        except forms.ValidationError:
            self.message_user(
                request, "Date et heure illisibles : choisissez-les dans le champ.", messages.ERROR
            )
        except (workflow.WorkflowError, PermissionDenied) as error:
            self.message_user(request, f"« {article} » : {error}", messages.ERROR)
        else:
            when = french_moment(at, timezone.now(), in_sentence=True)
            self.message_user(request, f"« {article} » paraîtra {when}.", messages.SUCCESS)
        return HttpResponseRedirect(back)


def _pick(queryset, value):
    return queryset.filter(pk=value).first() if (value or "").isdigit() else None
