"""The workflow through the admin, by direct POSTs: what the server accepts from whom."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleNote, ArticleRedirect, Transition
from tests.factories import make_article, make_editor, make_journalist, make_photo

pytestmark = pytest.mark.django_db

S = Article.Status
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def journalist():
    return make_journalist(username="julie", first_name="Julie", last_name="Martin")


@pytest.fixture
def editor():
    return make_editor(username="marc", first_name="Marc", last_name="Lefèvre")


def own_article(author, **overrides):
    overrides.setdefault("status", S.DRAFT)
    if overrides["status"] != S.PUBLISHED:
        overrides.setdefault("published_at", None)
    return make_article(authors=[author.author_profile], created_by=author, **overrides)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **changes):
    """What the admin change form posts back for `article`, with `changes` typed in."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "category": article.category_id,
        "standfirst": article.standfirst,
        "body": article.body,
        "tags": "",
        "hero_photo": article.hero_photo_id or "",
        "authors": [a.pk for a in article.authors.all()],
        "meta_description": article.meta_description,
        "version": article.version,
        "note_kind": "update",
    }
    data.update(changes)
    return data


class TestJournalistLimits:
    def test_journalist_list_shows_only_their_own_articles(self, client, journalist):
        own_article(journalist, title="Mon papier")
        make_article(title="Le papier d'un collègue", status=S.DRAFT)
        client.force_login(journalist)

        html = client.get(reverse("admin:articles_article_changelist")).content.decode()

        assert "Mon papier" in html
        assert "Le papier d&#x27;un collègue" not in html and "Le papier d'un collègue" not in html

    def test_journalist_cannot_open_or_edit_someone_elses_article(self, client, journalist):
        other = make_article(title="Article d'un collègue", status=S.DRAFT)
        client.force_login(journalist)

        assert client.get(change_url(other)).status_code == 403
        response = client.post(change_url(other), form_data(other, title="Piraté"))

        assert response.status_code == 403
        other.refresh_from_db()
        assert other.title == "Article d'un collègue"

    def test_hand_made_post_to_publish_is_refused_with_403(self, client, journalist):
        article = own_article(journalist, status=S.REVIEW)
        draft = own_article(journalist, title="Brouillon")
        client.force_login(journalist)

        on_review = client.post(change_url(article), form_data(article, _transition="publish"))
        on_draft = client.post(
            change_url(draft), form_data(draft, title="Changé", _transition="publish")
        )

        assert (on_review.status_code, on_draft.status_code) == (403, 403)
        assert "Rien n’a été modifié" in on_draft.content.decode()
        draft.refresh_from_db()
        # The whole request is undone: not even the typed change is kept half-done.
        assert (draft.status, draft.title) == (S.DRAFT, "Brouillon")
        assert not Transition.objects.exists()

    def test_journalist_cannot_edit_own_article_once_submitted(self, client, journalist):
        article = own_article(journalist, status=S.REVIEW, title="Soumis")
        client.force_login(journalist)

        page = client.get(change_url(article))
        response = client.post(change_url(article), form_data(article, title="Retouché"))

        assert page.status_code == 200  # read-only view of their own work
        assert 'name="title"' not in page.content.decode()
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.title == "Soumis"

    def test_read_only_view_shows_the_body_as_readers_will_see_it(self, client, journalist):
        article = own_article(
            journalist,
            status=S.REVIEW,
            body="<p>« Enfin ! » dit-il.</p><h2>La suite</h2>",
        )
        client.force_login(journalist)

        html = client.get(change_url(article)).content.decode()

        # The site's typography and rich-text styles, not HTML source.
        assert (
            '<div class="rich-text ae-body-preview"><p>«\u00a0Enfin\u202f!\u00a0» dit-il.</p>'
            in html
        )
        assert "<h2>La suite</h2>" in html
        assert "css/rich-text.css" in html

    def test_journalist_cannot_edit_a_published_article(self, client, journalist):
        article = own_article(journalist, status=S.PUBLISHED)
        client.force_login(journalist)
        response = client.post(change_url(article), form_data(article, title="X"))
        assert response.status_code == 403

    def test_publish_action_is_not_offered_to_journalists(self, client, journalist):
        article = own_article(journalist, status=S.REVIEW)
        client.force_login(journalist)

        response = client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_selected", "_selected_action": [article.pk]},
        )

        assert response.status_code in (200, 302)
        article.refresh_from_db()
        assert article.status == S.REVIEW
        page = client.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "publish_selected" not in page

    def test_journalist_cannot_restore_a_revision_of_someone_elses_article(
        self, client, journalist, editor
    ):
        other = make_article(status=S.DRAFT, title="Intact")
        revision = workflow.save_revision(other, by=editor)
        client.force_login(journalist)

        response = client.post(
            reverse("admin:articles_article_restore", args=[other.pk, revision.pk])
        )

        assert response.status_code == 404
        assert not other.transitions.exists()


class TestTheStory:
    def test_journalist_saves_and_submits_in_one_click(
        self, client, journalist, editor, mailoutbox, django_capture_on_commit_callbacks
    ):
        article = own_article(journalist, title="Premier jet")
        client.force_login(journalist)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                change_url(article),
                form_data(
                    article, title="Titre final", _transition="submit", workflow_comment="OK"
                ),
            )

        assert response.status_code == 302
        article.refresh_from_db()
        assert (article.status, article.title) == (S.REVIEW, "Titre final")
        assert [m.to for m in mailoutbox] == [[editor.email]]
        assert article.revisions.first().title == "Titre final"

    def test_buttons_match_what_each_role_may_do(self, client, journalist, editor):
        draft = own_article(journalist)
        in_review = own_article(journalist, status=S.REVIEW)

        client.force_login(journalist)
        html = client.get(change_url(draft)).content.decode()
        assert 'value="submit"' in html
        assert 'value="publish"' not in html and 'value="send_back"' not in html

        client.force_login(editor)
        html = client.get(change_url(in_review)).content.decode()
        for action in ("send_back", "publish", "schedule"):
            assert f'value="{action}"' in html
        assert 'value="submit"' not in html and 'value="unpublish"' not in html

    @pytest.mark.parametrize(
        "state", ["draft", "review", "changes_requested", "scheduled", "published", "withdrawn"]
    )
    @pytest.mark.parametrize("role", ["author", "editor", "superuser"])
    def test_buttons_are_the_moves_the_table_allows(self, client, journalist, role, state):
        overrides = {"status": state}
        if state == "scheduled":
            overrides = {"status": S.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)}
        article = own_article(journalist, **overrides)
        user = {
            "author": journalist,
            "editor": make_editor(username="marc"),
            "superuser": make_journalist(username="admin", is_superuser=True),
        }[role]
        client.force_login(user)

        html = client.get(change_url(article)).content.decode()

        offered = re.findall(r'name="_transition" value="(\w+)"', html)
        allowed = [
            action
            for action, move in workflow.MOVES.items()
            if state in move.sources and move.who(user, article)
        ]
        assert offered == allowed

    def test_send_back_without_comment_is_refused_and_keeps_the_typed_text(
        self, client, journalist, editor
    ):
        article = own_article(journalist, status=S.REVIEW, title="Titre d'origine")
        client.force_login(editor)

        response = client.post(
            change_url(article),
            form_data(article, title="Titre retouché par l'éditeur", _transition="send_back"),
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert "le commentaire est obligatoire" in html
        assert "Titre retouché par l&#x27;éditeur" in html
        article.refresh_from_db()
        assert (article.status, article.title) == (S.REVIEW, "Titre d'origine")

    def test_author_sees_the_sent_back_comment_on_the_form(self, client, journalist, editor):
        article = own_article(journalist, status=S.REVIEW)
        client.force_login(editor)
        client.post(
            change_url(article),
            form_data(
                article, _transition="send_back", workflow_comment="Ajoutez <b>la source</b>."
            ),
        )
        article.refresh_from_db()
        assert article.status == S.CHANGES_REQUESTED

        client.force_login(journalist)
        html = client.get(change_url(article)).content.decode()

        assert "À reprendre" in html
        assert "Ajoutez &lt;b&gt;la source&lt;/b&gt;." in html
        assert "Marc Lefèvre" in html
        assert 'value="submit"' in html

    def test_editor_publishes_from_the_form_and_missing_parts_are_listed(
        self, client, journalist, editor
    ):
        article = own_article(journalist, status=S.REVIEW, hero_photo=None)
        client.force_login(editor)

        response = client.post(
            change_url(article), form_data(article, _transition="publish"), follow=True
        )
        assert "il manque la photo principale" in response.content.decode()
        article.refresh_from_db()
        assert article.status == S.REVIEW

        photo = make_photo()
        article.refresh_from_db()
        client.post(
            change_url(article), form_data(article, hero_photo=photo.pk, _transition="publish")
        )

        article.refresh_from_db()
        assert article.status == S.PUBLISHED and article.is_published

    def test_editor_schedules_and_the_list_says_programme(self, client, journalist, editor):
        article = own_article(journalist, status=S.REVIEW)
        at = timezone.localtime() + timedelta(days=2)
        client.force_login(editor)

        client.post(
            change_url(article),
            form_data(article, _transition="schedule", workflow_at=at.strftime("%Y-%m-%dT%H:%M")),
        )

        article.refresh_from_db()
        assert article.is_scheduled
        html = client.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "Programmé" in html
        assert "Programmés&nbsp;: 1" in html

    def test_scheduling_without_a_future_date_is_refused(self, client, journalist, editor):
        article = own_article(journalist, status=S.REVIEW)
        client.force_login(editor)
        response = client.post(change_url(article), form_data(article, _transition="schedule"))
        assert response.status_code == 200
        assert "dans le futur" in response.content.decode()

    def test_history_shows_who_when_and_the_comment(self, client, journalist, editor):
        article = own_article(journalist, status=S.REVIEW)
        workflow.send_back(article, by=editor, comment="Trop long.")
        client.force_login(journalist)

        html = client.get(change_url(article)).content.decode()

        assert "Historique" in html
        assert "Renvoyé à l’auteur" in html
        assert "En relecture → À reprendre" in html
        assert "Trop long." in html

    def test_editor_sees_the_diff_since_the_last_review(self, client, journalist, editor):
        article = own_article(journalist, status=S.REVIEW, standfirst="Un chapô prudent.")
        workflow.save_revision(article, by=journalist)
        workflow.send_back(article, by=editor, comment="Plus direct.")
        client.force_login(journalist)
        client.post(change_url(article), form_data(article, standfirst="Un chapô direct."))

        client.force_login(editor)
        html = client.get(change_url(article)).content.decode()

        assert "Modifications depuis la dernière relecture" in html
        assert "Un chapô <del>prudent.</del><ins>direct.</ins>" in html

    def test_restore_through_the_admin(self, client, journalist, editor):
        article = own_article(journalist, title="Bonne version")
        client.force_login(journalist)
        client.post(change_url(article), form_data(article))
        article.refresh_from_db()
        client.post(change_url(article), form_data(article, title="Mauvaise version"))
        first = article.revisions.get(number=1)

        response = client.post(
            reverse("admin:articles_article_restore", args=[article.pk, first.pk])
        )

        assert response.status_code == 302
        article.refresh_from_db()
        assert (article.title, article.status) == ("Bonne version", S.DRAFT)

    def test_restore_by_get_only_asks_for_confirmation(self, client, journalist):
        article = own_article(journalist, title="Bonne version")
        revision = workflow.save_revision(article, by=journalist)
        article.title = "Autre version"
        article.save()
        client.force_login(journalist)
        url = reverse("admin:articles_article_restore", args=[article.pk, revision.pk])

        assert "Oui, restaurer la version n° 1" in client.get(url).content.decode()
        article.refresh_from_db()
        assert article.title == "Autre version"


class TestReviewQueue:
    def test_editor_queue_lists_articles_waiting_for_review_with_counts(
        self, client, journalist, editor
    ):
        own_article(journalist, status=S.REVIEW, title="Attend une relecture")
        own_article(journalist, title="Encore un brouillon")
        client.force_login(editor)

        response = client.get(reverse("admin:articles_article_review_queue"), follow=True)

        html = response.content.decode()
        assert "statut=review" in response.redirect_chain[-1][0]
        assert "Attend une relecture" in html
        assert "Encore un brouillon" not in html
        assert "À relire&nbsp;: 1" in html
        assert "Brouillons&nbsp;: 1" in html
        assert "En relecture (à relire) (1)" in html

    def test_editor_publishes_a_selection_with_the_admin_action(self, client, journalist, editor):
        ready = own_article(journalist, status=S.REVIEW)
        draft = own_article(journalist)
        client.force_login(editor)

        response = client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_selected", "_selected_action": [ready.pk, draft.pk]},
            follow=True,
        )

        ready.refresh_from_db()
        draft.refresh_from_db()
        assert (ready.status, draft.status) == (S.PUBLISHED, S.DRAFT)
        html = response.content.decode()
        assert "1 article publié." in html
        assert "il doit d’abord être soumis à relecture" in html


class TestConcurrentEdits:
    def test_stale_version_is_refused_and_the_typed_text_is_kept(
        self, client, journalist, editor, time_machine
    ):
        article = own_article(
            journalist, title="Titre de départ", body="<p>Le maire a démissionné lundi.</p>"
        )
        workflow.save_revision(article, by=journalist)
        stale = form_data(
            article, title="Ma version à moi", body="<p>Mon long texte.</p>", base_revision=1
        )
        time_machine.move_to(datetime(2025, 8, 15, 14, 5, tzinfo=PARIS), tick=False)
        client.force_login(editor)
        assert (
            client.post(
                change_url(article),
                form_data(
                    article,
                    title="Version de l'éditeur",
                    body="<p>Le maire a démissionné mardi.</p>",
                    tags="Municipales",
                ),
            ).status_code
            == 302
        )

        time_machine.move_to(datetime(2025, 8, 15, 14, 20, tzinfo=PARIS), tick=False)
        client.force_login(journalist)
        response = client.post(change_url(article), stale)

        assert response.status_code == 200
        html = response.content.decode()
        assert "Marc Plume a enregistré cet article le 15 août 2025 à 14h05" in html
        assert "<del>lundi.</del><ins>mardi.</ins>" in html
        assert "<del>départ</del><ins>l&#x27;éditeur</ins>" in html
        assert "Modification de" in html and "Mots-clés" in html
        assert "Ma version à moi" in html
        assert "Mon long texte." in html
        article.refresh_from_db()
        assert article.title == "Version de l'éditeur"
        assert article.version == 2

    def test_stale_form_names_the_editor_who_published_in_between(self, client, journalist, editor):
        article = own_article(journalist, status=S.REVIEW, published_at=None)
        open_form = form_data(article, title="Encore une retouche")
        workflow.publish(article, by=make_editor(username="lea"))

        client.force_login(editor)
        html = client.post(change_url(article), open_form).content.decode()

        assert "Lea Plume a enregistré cet article le" in html
        assert "Résumé&nbsp;: Publié" in html

    def test_a_transition_also_makes_an_open_form_stale(self, client, journalist, editor):
        article = own_article(journalist)
        open_form = form_data(article, title="Encore une retouche")
        workflow.submit(article, by=journalist)
        workflow.send_back(article, by=editor, comment="À revoir.")

        client.force_login(journalist)
        response = client.post(change_url(article), open_form)

        assert response.status_code == 200
        article.refresh_from_db()
        assert article.title != "Encore une retouche"

    def test_form_without_version_is_refused(self, client, journalist):
        article = own_article(journalist)
        client.force_login(journalist)
        data = form_data(article, title="Sans version")
        del data["version"]
        assert client.post(change_url(article), data).status_code == 200
        article.refresh_from_db()
        assert article.title != "Sans version"


class TestLiveArticleEdits:
    def test_changing_a_live_article_needs_a_note_for_readers(self, client, journalist, editor):
        article = own_article(journalist, status=S.PUBLISHED, title="En ligne")
        client.force_login(editor)

        response = client.post(change_url(article), form_data(article, title="En ligne, bilan"))

        assert response.status_code == 200
        assert "rédigez une note de mise à jour" in response.content.decode()
        article.refresh_from_db()
        assert article.title == "En ligne"

    def test_update_note_is_published_with_the_change(self, client, journalist, editor):
        article = own_article(journalist, status=S.PUBLISHED)
        client.force_login(editor)

        response = client.post(
            change_url(article),
            form_data(
                article,
                body="<p>Bilan : 3 blessés.</p>",
                note_kind="correction",
                note_text="Le bilan était de 3 blessés, pas 4.",
            ),
        )

        assert response.status_code == 302
        note = ArticleNote.objects.get()
        assert (note.kind, note.text) == ("correction", "Le bilan était de 3 blessés, pas 4.")
        article.refresh_from_db()
        assert article.revised_at == note.created_at

    def test_minor_fix_skips_the_note_but_is_recorded(self, client, journalist, editor):
        article = own_article(journalist, status=S.PUBLISHED, title="Une coquile")
        client.force_login(editor)

        client.post(change_url(article), form_data(article, title="Une coquille", minor_fix="on"))

        article.refresh_from_db()
        assert article.title == "Une coquille"
        assert not ArticleNote.objects.exists()
        assert article.transitions.get().action == Transition.Action.MINOR_FIX

    def test_slug_change_of_a_published_article_redirects_permanently(
        self, client, journalist, editor
    ):
        article = own_article(journalist, status=S.PUBLISHED, slug="ancien-titre")
        client.force_login(editor)
        client.post(change_url(article), form_data(article, slug="nouveau-titre"))
        client.logout()

        response = client.get(reverse("articles:detail", args=["ancien-titre"]))

        assert response.status_code == 301
        assert response["Location"] == "/articles/nouveau-titre/"
        assert ArticleRedirect.objects.get().article == article
