"""What readers and staff see of the workflow on the site: preview, notes, old addresses."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.factories import make_article, make_editor, make_journalist, make_user

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def journalist():
    return make_journalist(username="julie")


@pytest.fixture
def draft(journalist):
    return make_article(
        title="Un scoop en préparation",
        status=Article.Status.DRAFT,
        authors=[journalist.author_profile],
        created_by=journalist,
    )


class TestPreview:
    def url(self, article):
        return reverse("articles:preview", args=[article.pk])

    def test_author_previews_a_draft_in_the_public_design_never_cached_nor_indexed(
        self, client, journalist, draft
    ):
        client.force_login(journalist)

        response = client.get(self.url(draft))

        assert response.status_code == 200
        html = response.content.decode()
        assert "Un scoop en préparation" in html
        assert 'class="article__title"' in html
        assert '<meta name="robots" content="noindex' in html
        assert "Aperçu — article brouillon" in html
        assert response["Cache-Control"] == "private, no-store"

    def test_editor_previews_a_scheduled_article(self, client, journalist):
        scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
        client.force_login(make_editor())

        response = client.get(self.url(scheduled))

        assert response.status_code == 200
        assert "article programmé pour le" in response.content.decode()

    @pytest.mark.parametrize("who", ["anonymous", "reader", "other journalist"])
    def test_anyone_else_gets_a_404(self, client, draft, who):
        if who == "reader":
            client.force_login(make_user())
        elif who == "other journalist":
            client.force_login(make_journalist())

        response = client.get(self.url(draft))

        assert response.status_code == 404
        assert "Un scoop en préparation" not in response.content.decode()

    def test_unknown_article_is_a_404(self, client, journalist):
        client.force_login(journalist)
        assert client.get(reverse("articles:preview", args=[999999])).status_code == 404


class TestNotesOnThePage:
    def test_notes_are_shown_in_order_and_mis_a_jour_le_is_the_latest(self, client, time_machine):
        editor = make_editor()
        article = make_article(published_at=datetime(2025, 8, 15, 21, 30, tzinfo=PARIS))
        time_machine.move_to(datetime(2025, 8, 16, 9, 15, tzinfo=PARIS), tick=False)
        workflow.record_change(
            article, by=editor, kind="update", text="Ajout de la réaction de Kyiv."
        )
        time_machine.move_to(datetime(2025, 8, 17, 11, 0, tzinfo=PARIS), tick=False)
        workflow.record_change(
            article, by=editor, kind="correction", text="Le sommet a duré 3 h, pas 4 h."
        )
        workflow.record_change(article, by=editor, minor=True)

        html = client.get(article.get_absolute_url()).content.decode()

        update = html.index("Mis à jour le <time")
        correction = html.index("<strong>Correctif&nbsp;:</strong>")
        assert update < correction
        assert "16 août 2025 à 09h15</time>&nbsp;:</strong> Ajout de la réaction de Kyiv." in html
        assert (
            "Le sommet a duré 3\u00a0h, pas 4\u00a0h." in html
            or "Le sommet a duré 3 h, pas 4 h." in html
        )
        assert "· Mis à jour le <time" in html
        assert "17 août 2025 à 11h00" in html.split("article__updated")[1][:200]
        assert "Correction mineure" not in html

    def test_reader_text_in_notes_is_escaped(self, client):
        article = make_article()
        workflow.record_change(article, by=make_editor(), kind="update", text="<script>x</script>")
        html = client.get(article.get_absolute_url()).content.decode()
        assert "<script>x" not in html
        assert "&lt;script&gt;x" in html

    def test_query_count_does_not_grow_with_the_number_of_notes(self, client):
        editor = make_editor()
        article = make_article()
        workflow.record_change(article, by=editor, kind="update", text="Une note.")

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(article.get_absolute_url()).status_code == 200
            return len(queries)

        with_one = count()
        for i in range(6):
            workflow.record_change(article, by=editor, kind="correction", text=f"Note {i}.")
        assert count() == with_one


class TestOldAddresses:
    def test_old_slug_redirects_permanently_while_published(self, client):
        article = make_article(slug="nouvelle-adresse")
        workflow.record_slug_change(article, "ancienne-adresse")

        response = client.get(reverse("articles:detail", args=["ancienne-adresse"]))

        assert response.status_code == 301
        assert response["Location"] == "/articles/nouvelle-adresse/"

    def test_old_slug_of_a_withdrawn_article_is_a_404(self, client):
        article = make_article(
            slug="nouvelle-adresse",
            status=Article.Status.WITHDRAWN,
            published_at=timezone.now() - timedelta(days=1),
        )
        workflow.record_slug_change(article, "ancienne-adresse")
        assert article.redirects.count() == 1
        response = client.get(reverse("articles:detail", args=["ancienne-adresse"]))
        assert response.status_code == 404

    def test_unknown_slug_is_still_the_sites_404(self, client):
        response = client.get(reverse("articles:detail", args=["jamais-vu"]))
        assert response.status_code == 404
        assert "Cette page est introuvable" in response.content.decode()
