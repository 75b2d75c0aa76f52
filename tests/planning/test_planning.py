"""Sujets and the planning calendar: who plans, accepts, reschedules; states; late ones."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, AuditEvent, Category, Transition
from planning import rules
from planning.models import Assignment
from tests.factories import make_article, make_editor, make_journalist, make_photo

pytestmark = pytest.mark.django_db

S = Assignment.Status


@pytest.fixture
def editor():
    return make_editor(username="editeur", email="marc@example.org")


@pytest.fixture
def journalist():
    return make_journalist(username="julie", email="julie@example.org")


def sujet(editor, journalist, **overrides):
    overrides.setdefault("title", "Le prix du gazole à la pompe")
    overrides.setdefault("category", Category.objects.get(slug="economie"))
    overrides.setdefault("due_at", timezone.now() + timedelta(hours=6))
    return rules.create(Assignment(assignee=journalist, **overrides), by=editor)


def spaced(html):
    return html.replace("\u00a0", " ").replace("\u202f", " ")


def test_editor_confides_a_sujet_and_the_journalist_is_told(
    client, django_capture_on_commit_callbacks, editor, journalist
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("admin:planning_assignment_add"),
            {
                "title": "Le prix du gazole à la pompe",
                "category": Category.objects.get(slug="economie").pk,
                "assignee": journalist.pk,
                "due_at": "2030-03-04T18:00",
                "planned_words": "500",
                "brief": "Trois stations, un routier.",
            },
        )

    assert answer.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.status, assignment.assignee, assignment.created_by) == (
        S.PROPOSED,
        journalist,
        editor,
    )
    [told] = mail.outbox
    assert told.to == ["julie@example.org"]
    assert "à rendre le 4 mars 2030 à 18h00" in told.body and "Trois stations" in told.body
    assert LogEntry.objects.get().change_message == (
        "Sujet confié à Julie Plume, à rendre le 4 mars 2030 à 18h00"
    )


def test_journalists_do_not_plan(client, journalist):
    client.force_login(journalist)

    assert client.get(reverse("admin:planning_assignment_add")).status_code == 403
    with pytest.raises(Exception, match="Seuls les éditeurs"):
        rules.create(
            Assignment(title="x", category=Category.objects.first(), due_at=timezone.now()),
            by=journalist,
        )


def test_only_the_assignee_accepts_and_gets_the_linked_draft(client, editor, journalist):
    assignment = sujet(editor, journalist)
    other = make_journalist(username="camille")
    client.force_login(other)
    assert client.post(reverse("admin:planning_accept", args=[assignment.pk])).status_code == 403

    client.force_login(journalist)
    page = client.get(reverse("admin:planning_assignment_change", args=[assignment.pk]))
    assert "Accepter le sujet et ouvrir le brouillon" in page.content.decode()
    answer = client.post(reverse("admin:planning_accept", args=[assignment.pk]))

    assignment.refresh_from_db()
    article = assignment.article
    assert answer.url == reverse("admin:articles_article_change", args=[article.pk])
    assert (article.title, article.status, article.created_by) == (
        "Le prix du gazole à la pompe",
        Article.Status.DRAFT,
        journalist,
    )
    assert list(article.authors.all()) == [journalist.author_profile]
    assert article.category.slug == "economie"
    assert assignment.status == S.ACCEPTED
    with pytest.raises(rules.PlanningError, match="déjà « Accepté »"):
        rules.accept(assignment, by=journalist)


def test_the_state_follows_the_article_once_accepted(editor, journalist):
    assignment = sujet(editor, journalist)
    article = rules.accept(assignment, by=journalist)

    def state():
        return Assignment.objects.with_state().get().state_label

    assert state() == "Accepté"
    Article.objects.filter(pk=article.pk).update(
        version=2, standfirst="Chapô.", body="<p>Texte.</p>"
    )
    assert state() == "En cours"
    article.refresh_from_db()
    workflow.submit(article, by=journalist)
    assert state() == "Rendu"
    assert not Assignment.objects.late().exists()


def test_late_sujets_are_marked_on_the_calendar_and_the_desk(client, editor, journalist):
    late = sujet(
        editor,
        journalist,
        title="Les urgences de Rennes débordent",
        due_at=timezone.now() - timedelta(hours=2),
    )
    sujet(editor, journalist, title="Le budget de Lyon", due_at=timezone.now() + timedelta(hours=3))

    client.force_login(journalist)
    desk = spaced(client.get(reverse("admin:index")).content.decode())
    assert "Mes sujets" in desk and "Les urgences de Rennes débordent" in desk
    assert "ae-line ae-line--late" in desk

    client.force_login(editor)
    html = client.get(reverse("admin:planning_calendar")).content.decode()
    assert "1 sujet en retard" in html
    card = html.split("Les urgences de Rennes débordent")[0].rsplit("<article", 1)[1]
    assert "ae-item--late" in card
    assert late.is_late


def test_calendar_week_lists_sujets_and_publications_by_rubric_and_person(
    client, editor, journalist
):
    now = timezone.now()
    sujet(editor, journalist, title="Le prix du gazole à la pompe")
    scheduled = make_article(
        title="Marché de Noël de Strasbourg",
        category=Category.objects.get(slug="societe"),
        published_at=now + timedelta(hours=2),
        authors=[journalist.author_profile],
    )
    client.force_login(editor)
    url = reverse("admin:planning_calendar")

    html = client.get(url).content.decode()
    assert "Le prix du gazole à la pompe" in html and scheduled.title in html
    assert html.count('<section class="ae-day') == 7
    economie = Category.objects.get(slug="economie").pk
    html = client.get(f"{url}?rubrique={economie}").content.decode()
    assert "Le prix du gazole" in html and scheduled.title not in html
    html = client.get(f"{url}?personne={editor.pk}").content.decode()
    assert "Le prix du gazole" not in html
    day = timezone.localdate(scheduled.published_at).isoformat()
    html = client.get(f"{url}?vue=jour&date={day}").content.decode()
    assert html.count('<section class="ae-day') == 1 and scheduled.title in html


def test_rescheduling_a_publication_from_the_calendar_goes_through_the_workflow(
    client, editor, journalist
):
    article = make_article(
        title="Marché de Noël de Strasbourg",
        published_at=timezone.now() + timedelta(hours=2),
        hero_photo=make_photo(),
    )
    later = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        hour=7, minute=30, second=0, microsecond=0
    )
    url = reverse("admin:planning_reschedule", args=[article.pk])

    client.force_login(journalist)
    client.post(url, {"at": later.strftime("%Y-%m-%dT%H:%M")})
    article.refresh_from_db()
    assert article.published_at != later

    client.force_login(editor)
    answer = client.post(url, {"at": later.strftime("%Y-%m-%dT%H:%M")}, follow=True)

    article.refresh_from_db()
    assert article.published_at == later and article.is_scheduled
    assert "paraîtra demain à 07h30" in answer.content.decode()
    step = article.transitions.get()
    assert step.action == Transition.Action.SCHEDULE and "depuis le planning" in step.comment
    assert AuditEvent.objects.filter(article_id=article.pk, action="schedule").exists()

    answer = client.post(url, {"at": "pas une date"}, follow=True)
    assert "Date et heure illisibles" in answer.content.decode()


def test_a_journalist_sees_only_their_sujets(client, editor, journalist):
    sujet(editor, journalist, title="Mon sujet")
    sujet(editor, make_journalist(username="camille"), title="Le sujet de Camille")
    client.force_login(journalist)

    html = client.get(reverse("admin:planning_assignment_changelist")).content.decode()
    assert "Mon sujet" in html and "Le sujet de Camille" not in html
    html = client.get(reverse("admin:planning_calendar")).content.decode()
    assert "Mon sujet" in html and "Le sujet de Camille" not in html


def test_running_lives_show_on_the_calendar_with_their_writers(client, editor):
    journalist = make_journalist(username="journaliste")
    from tests.live.factories import make_live

    live = make_live(editor=editor, writers=[journalist])
    client.force_login(editor)

    html = spaced(client.get(reverse("admin:planning_calendar")).content.decode())

    [card] = [c for c in html.split("<article")[1:] if "ae-item--direct" in c]
    assert live.article.title in card and "Direct" in card and "Journaliste Plume" in card
    assert reverse("admin:live_live_change", args=[live.pk]) in card
    client.force_login(journalist)
    assert live.article.title in client.get(reverse("admin:planning_calendar")).content.decode()
