from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles import workflow
from articles.diffs import html_diff
from articles.models import Article, ArticleNote, ArticleRedirect, AuditEvent, Transition
from articles.workflow import WorkflowError
from tests.factories import make_article, make_editor, make_journalist, make_photo

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
S = Article.Status


@pytest.fixture
def journalist():
    return make_journalist(username="julie")


@pytest.fixture
def editor():
    return make_editor(username="marc")


def article_in(state, author, **overrides):
    """An article of `author` in one of the workflow states ("scheduled" included)."""
    if state == "scheduled":
        overrides.update(status=S.PUBLISHED, published_at=timezone.now() + timedelta(days=1))
    else:
        overrides["status"] = state
        overrides.setdefault(
            "published_at", timezone.now() - timedelta(hours=1) if state == S.PUBLISHED else None
        )
    return make_article(authors=[author.author_profile], created_by=author, **overrides)


def run(action, article, user):
    if action == "submit":
        return workflow.submit(article, by=user)
    if action == "send_back":
        return workflow.send_back(
            article, by=user, comment="Le deuxième paragraphe est à vérifier."
        )
    if action == "publish":
        return workflow.publish(article, by=user)
    return workflow.unpublish(article, by=user, comment="Information non confirmée.")


STATES = ["draft", "review", "changes_requested", "published", "scheduled", "withdrawn"]
ACTIONS = ["submit", "send_back", "publish", "unpublish"]
ARRIVAL = {
    "submit": S.REVIEW,
    "send_back": S.CHANGES_REQUESTED,
    "publish": S.PUBLISHED,
    "unpublish": S.WITHDRAWN,
}
# Everything not listed here must be refused.
ALLOWED = {
    "author": {"submit": {"draft", "changes_requested"}},
    "editor": {
        "submit": {"draft", "changes_requested"},
        "send_back": {"review"},
        "publish": {"review", "withdrawn", "scheduled"},
        "unpublish": {"published", "scheduled"},
    },
    "other journalist": {},
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["author", "editor", "other journalist"])
def test_every_transition_is_allowed_or_refused_by_role_and_state(
    role, action, state, journalist, editor
):
    article = article_in(state, journalist)
    user = {"author": journalist, "editor": editor, "other journalist": make_journalist()}[role]
    before = (article.status, article.published_at, article.version)

    if state in ALLOWED[role].get(action, set()):
        step = run(action, article, user)

        article.refresh_from_db()
        assert article.status == ARRIVAL[action]
        assert article.version == before[2] + 1
        assert (step.by, step.to_status) == (user, ARRIVAL[action])
        assert step.from_status == (S.PUBLISHED if state == "scheduled" else state)
    else:
        # An editor (or the author submitting) meets a state error; anyone else is not allowed.
        state_error = role == "editor" or (role == "author" and action == "submit")
        with pytest.raises(WorkflowError if state_error else PermissionDenied) as error:
            run(action, article, user)

        assert str(error.value)
        article.refresh_from_db()
        assert (article.status, article.published_at, article.version) == before
        assert not Transition.objects.filter(article=article).exists()


def test_state_error_names_the_current_state_in_french(journalist):
    article = article_in(S.REVIEW, journalist)
    with pytest.raises(
        WorkflowError, match="Impossible de soumettre un article à l’état « En relecture »"
    ):
        workflow.submit(article, by=journalist)


def test_send_back_requires_a_comment(journalist, editor):
    article = article_in(S.REVIEW, journalist)
    with pytest.raises(WorkflowError, match="commentaire est obligatoire"):
        workflow.send_back(article, by=editor, comment="   ")
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_publication_lists_what_is_missing_in_french(journalist, editor):
    article = article_in(
        S.REVIEW,
        journalist,
        standfirst="",
        body="<p> </p>",
        hero_photo=make_photo(credit="", alt_text=""),
    )

    with pytest.raises(WorkflowError) as error:
        workflow.publish(article, by=editor)

    assert str(error.value) == (
        "Impossible de publier : il manque le chapô, le texte, le crédit de la photo "
        "et le texte alternatif de la photo."
    )
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_publication_without_photo_is_refused(journalist, editor):
    article = article_in(S.REVIEW, journalist, hero_photo=None)
    with pytest.raises(WorkflowError, match="il manque la photo principale"):
        workflow.publish(article, by=editor)


def test_publish_stamps_the_time_and_shows_the_article(journalist, editor, time_machine):
    time_machine.move_to(datetime(2025, 8, 15, 21, 30, tzinfo=PARIS), tick=False)
    article = article_in(S.REVIEW, journalist)

    workflow.publish(article, by=editor)

    assert article.published_at == datetime(2025, 8, 15, 21, 30, tzinfo=PARIS)
    assert list(Article.objects.published()) == [article]
    assert Transition.objects.get(article=article).action == Transition.Action.PUBLISH


def test_scheduled_article_is_hidden_until_its_time(client, journalist, editor, time_machine):
    time_machine.move_to(datetime(2025, 8, 15, 18, 0, tzinfo=PARIS), tick=False)
    article = article_in(S.REVIEW, journalist, title="Le sommet commence")
    at = datetime(2025, 8, 16, 7, 0, tzinfo=PARIS)

    step = workflow.schedule(article, by=editor, at=at)

    assert step.action == Transition.Action.SCHEDULE
    article.refresh_from_db()
    assert article.status_label == "Programmé"
    assert not Article.objects.published().exists()
    assert list(Article.objects.scheduled()) == [article]
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Le sommet commence" not in client.get("/").content.decode()

    time_machine.move_to(datetime(2025, 8, 16, 7, 0, 1, tzinfo=PARIS), tick=False)

    assert list(Article.objects.published()) == [article]
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Le sommet commence" in client.get("/").content.decode()
    article.refresh_from_db()
    assert article.status_label == "Publié"


def test_scheduling_in_the_past_is_refused(journalist, editor):
    article = article_in(S.REVIEW, journalist)
    with pytest.raises(WorkflowError, match="dans le futur"):
        workflow.schedule(article, by=editor, at=timezone.now() - timedelta(minutes=5))
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_unpublished_article_keeps_its_history_and_leaves_the_site(client, journalist, editor):
    article = article_in(S.REVIEW, journalist)
    workflow.publish(article, by=editor)

    workflow.unpublish(article, by=editor, comment="Source retirée.")

    assert Article.objects.filter(pk=article.pk, status=S.WITHDRAWN).exists()
    assert client.get(article.get_absolute_url()).status_code == 410  # gone, on purpose
    history = list(article.transitions.values_list("action", "from_status", "to_status", "comment"))
    assert history == [
        ("publish", "review", "published", ""),
        ("unpublish", "published", "withdrawn", "Source retirée."),
    ]


class TestNotifications:
    def test_editors_are_told_when_an_article_is_submitted(
        self, journalist, editor, mailoutbox, django_capture_on_commit_callbacks
    ):
        other_editor = make_editor(username="lea")
        article = article_in(S.DRAFT, journalist, title="Grève des trains")

        with django_capture_on_commit_callbacks(execute=True):
            workflow.submit(article, by=journalist, comment="Prêt pour 18 h.")

        assert len(mailoutbox) == 1
        mail = mailoutbox[0]
        assert mail.subject == "À relire\u00a0: Grève des trains"
        assert sorted(mail.to) == sorted([editor.email, other_editor.email])
        assert journalist.email not in mail.to
        assert "Prêt pour 18 h." in mail.body
        assert f"/admin/articles/article/{article.pk}/change/" in mail.body

    def test_authors_get_the_sent_back_comment(
        self, journalist, editor, mailoutbox, django_capture_on_commit_callbacks
    ):
        article = article_in(S.REVIEW, journalist, title="Grève des trains")

        with django_capture_on_commit_callbacks(execute=True):
            workflow.send_back(article, by=editor, comment="Il manque la réaction de la SNCF.")

        assert [m.to for m in mailoutbox] == [[journalist.email]]
        assert mailoutbox[0].subject == "À reprendre\u00a0: Grève des trains"
        assert "Il manque la réaction de la SNCF." in mailoutbox[0].body

    def test_authors_are_told_of_publication_and_of_scheduling(
        self, journalist, editor, mailoutbox, django_capture_on_commit_callbacks, time_machine
    ):
        time_machine.move_to(datetime(2025, 8, 15, 18, 0, tzinfo=PARIS), tick=False)
        scheduled = article_in(S.REVIEW, journalist, title="Demain matin")
        now = article_in(S.REVIEW, journalist, title="Tout de suite")

        with django_capture_on_commit_callbacks(execute=True):
            workflow.schedule(scheduled, by=editor, at=datetime(2025, 8, 16, 7, 0, tzinfo=PARIS))
            workflow.publish(now, by=editor)

        assert [m.subject for m in mailoutbox] == [
            "Programmé\u00a0: Demain matin",
            "Publié\u00a0: Tout de suite",
        ]
        assert "16 août 2025 à 07h00" in mailoutbox[0].body
        assert all(m.to == [journalist.email] for m in mailoutbox)

    def test_authors_are_told_when_their_article_is_unpublished_and_why(
        self, journalist, editor, mailoutbox, django_capture_on_commit_callbacks
    ):
        article = article_in(S.PUBLISHED, journalist, title="Grève des trains")

        with django_capture_on_commit_callbacks(execute=True):
            workflow.unpublish(article, by=editor, comment="La grève a été levée dans la nuit.")

        assert [m.to for m in mailoutbox] == [[journalist.email]]
        assert mailoutbox[0].subject == "Dépublié\u00a0: Grève des trains"
        assert "La grève a été levée dans la nuit." in mailoutbox[0].body
        assert f"/admin/articles/article/{article.pk}/change/" in mailoutbox[0].body

    def test_a_refused_transition_sends_nothing(
        self, journalist, editor, mailoutbox, django_capture_on_commit_callbacks
    ):
        article = article_in(S.DRAFT, journalist)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
            workflow.publish(article, by=editor)
        assert mailoutbox == []


class TestRevisions:
    def test_each_changed_save_keeps_a_snapshot_and_an_unchanged_one_does_not(self, journalist):
        article = article_in(S.DRAFT, journalist, title="Premier titre")
        first = workflow.save_revision(article, by=journalist)
        assert workflow.save_revision(article, by=journalist) == first

        article.title = "Second titre"
        second = workflow.save_revision(article, by=journalist)

        assert [r.number for r in article.revisions.all()] == [2, 1]
        assert (first.title, second.title) == ("Premier titre", "Second titre")
        assert second.hero_photo == article.hero_photo

    def test_editor_sees_what_changed_since_the_last_review(self, journalist, editor):
        article = article_in(
            S.REVIEW, journalist, title="Un titre", body="<p>Le maire a dit oui.</p>"
        )
        workflow.save_revision(article, by=journalist)
        workflow.send_back(article, by=editor, comment="Vérifiez la citation.")
        article.body = "<p>Le maire a dit non.</p>"
        workflow.save_revision(article, by=journalist)

        reviewed, latest = workflow.changes_since_review(article)

        assert (reviewed.number, latest.number) == (1, 2)
        from articles.diffs import revision_diff

        assert revision_diff(reviewed, latest) == [
            ("Texte", "Le maire a dit <del>oui.</del><ins>non.</ins>")
        ]

    def test_diff_escapes_everything(self):
        diff = html_diff("a <b>", "a <script>x</script>")
        assert "<script>" not in diff
        assert "<del>&lt;b&gt;</del><ins>&lt;script&gt;x&lt;/script&gt;</ins>" in diff

    def test_restoring_an_old_revision_makes_a_new_draft(self, journalist, editor):
        article = article_in(S.REVIEW, journalist, title="Version sobre")
        old = workflow.save_revision(article, by=journalist)
        article.title = "Version ratée"
        article.save()
        workflow.save_revision(article, by=editor)

        step = workflow.restore(old, by=editor)

        article.refresh_from_db()
        assert article.title == "Version sobre"
        assert article.status == S.DRAFT
        assert step.comment == "Version n° 1 restaurée."
        assert [r.number for r in article.revisions.all()] == [3, 2, 1]
        assert article.revisions.first().title == "Version sobre"

    def test_a_live_article_is_not_restored_behind_the_readers_back(self, journalist, editor):
        article = article_in(S.PUBLISHED, journalist, title="En ligne")
        revision = workflow.save_revision(article, by=editor)
        article.title = "Retouché"
        article.save()

        with pytest.raises(WorkflowError, match="note de mise à jour"):
            workflow.restore(revision, by=editor)

        article.refresh_from_db()
        assert (article.title, article.status) == ("Retouché", S.PUBLISHED)
        assert not AuditEvent.objects.filter(action="restore").exists()

    def test_a_live_article_restores_a_version_online_with_a_note(self, journalist, editor):
        article = article_in(S.PUBLISHED, journalist, title="En ligne")
        revision = workflow.save_revision(article, by=editor)
        article.title = "Retouché à tort"
        article.save()
        workflow.save_revision(article, by=editor)

        workflow.restore(
            revision, by=editor, note_kind="correction", note_text="Titre d'origine rétabli."
        )

        article.refresh_from_db()
        assert (article.title, article.status) == ("En ligne", S.PUBLISHED)
        assert article.notes.get().text == "Titre d'origine rétabli."
        assert [r.title for r in article.revisions.all()] == [
            "En ligne",
            "Retouché à tort",
            "En ligne",
        ]
        assert [t.action for t in article.transitions.all()] == ["correction", "restore"]
        event = AuditEvent.objects.get(action="restore")
        assert (event.before["title"], event.after["title"]) == ("Retouché à tort", "En ligne")
        assert event.reason == "Version n° 1 restaurée. Titre d'origine rétabli."

    def test_restoring_the_current_text_is_refused(self, journalist, editor):
        article = article_in(S.PUBLISHED, journalist)
        revision = workflow.save_revision(article, by=editor)
        with pytest.raises(WorkflowError, match="déjà celui de la version n° 1"):
            workflow.restore(revision, by=editor, minor=True)

    def test_journalist_cannot_restore_once_submitted(self, journalist):
        article = article_in(S.REVIEW, journalist)
        revision = workflow.save_revision(article, by=journalist)
        with pytest.raises(PermissionDenied):
            workflow.restore(revision, by=journalist)


class TestPublishedEdits:
    def test_update_note_is_stored_and_sets_mis_a_jour_le(self, journalist, editor, time_machine):
        article = article_in(S.PUBLISHED, journalist)
        time_machine.move_to(datetime(2025, 8, 16, 9, 15, tzinfo=PARIS), tick=False)

        workflow.record_change(article, by=editor, kind="update", text="Ajout du bilan officiel.")

        note = ArticleNote.objects.get(article=article)
        assert (note.kind, note.text) == ("update", "Ajout du bilan officiel.")
        article.refresh_from_db()
        assert article.revised_at == datetime(2025, 8, 16, 9, 15, tzinfo=PARIS)
        assert article.transitions.get().action == Transition.Action.UPDATE

    def test_minor_fix_has_no_public_note_but_is_in_history(self, journalist, editor):
        article = article_in(S.PUBLISHED, journalist)

        workflow.record_change(article, by=editor, minor=True)

        assert not ArticleNote.objects.exists()
        article.refresh_from_db()
        assert article.revised_at is None
        assert article.transitions.get().get_action_display() == "Correction mineure"

    def test_a_note_without_text_is_refused(self, journalist, editor):
        article = article_in(S.PUBLISHED, journalist)
        with pytest.raises(WorkflowError, match="note"):
            workflow.record_change(article, by=editor, kind="correction", text=" ")

    def test_slug_change_keeps_the_old_address(self, journalist):
        article = article_in(S.PUBLISHED, journalist, slug="nouveau-slug")
        workflow.record_slug_change(article, "ancien-slug")
        assert ArticleRedirect.objects.get().old_slug == "ancien-slug"

    def test_going_back_to_an_old_slug_drops_its_redirect(self, journalist):
        article = article_in(S.PUBLISHED, journalist, slug="b")
        workflow.record_slug_change(article, "a")
        article.slug = "a"
        article.save()
        workflow.record_slug_change(article, "b")
        assert list(ArticleRedirect.objects.values_list("old_slug", flat=True)) == ["b"]

    def test_a_never_published_draft_leaves_no_redirect(self, journalist):
        article = article_in(S.DRAFT, journalist, slug="b")
        workflow.record_slug_change(article, "a")
        assert not ArticleRedirect.objects.exists()


def test_counts_per_state_put_scheduled_apart(journalist):
    for state in ["draft", "draft", "review", "published", "scheduled", "withdrawn"]:
        article_in(state, journalist)
    assert workflow.counts(Article.objects.all()) == {
        "draft": 2,
        "review": 1,
        "changes_requested": 0,
        "scheduled": 1,
        "published": 1,
        "withdrawn": 1,
    }


def test_roles_give_publishing_rights_to_editors_only(journalist, editor):
    assert editor.has_perm("articles.publish_article")
    assert editor.has_perm("articles.review_article")
    assert not journalist.has_perm("articles.publish_article")
    assert not journalist.has_perm("articles.review_article")
    assert journalist.has_perm("articles.change_article")
