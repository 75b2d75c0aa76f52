"""A save through articles/editing.py, as a command would make it: no admin, same records."""

import pytest

from articles import editing
from articles.models import (
    Article,
    ArticleNote,
    ArticleRedirect,
    ArticleRevision,
    Category,
    Transition,
)
from articles.workflow import WorkflowError
from tests.factories import make_article, make_editor, make_journalist

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def editor():
    return make_editor(username="marc")


def stored(article):
    return Article.objects.get(pk=article.pk)


def test_a_new_article_is_stamped_and_gets_its_first_revision(editor):
    journalist = make_journalist(username="julie")
    article = Article(
        title="Premier jet",
        slug="premier-jet",
        standfirst="Un chapô.",
        body="<p>Un texte.</p>",
        category=Category.objects.get(slug="politique"),
    )

    revision = editing.save(article, by=journalist)

    saved = stored(article)
    assert (saved.created_by, saved.updated_by, saved.version) == (journalist, journalist, 1)
    assert (revision.number, revision.title, revision.created_by) == (1, "Premier jet", journalist)


def test_an_edit_bumps_the_version_and_keeps_a_revision(editor):
    article = make_article(status=S.DRAFT, published_at=None, title="Avant")
    article.title = "Après"

    editing.save(article, by=editor)

    saved = stored(article)
    assert (saved.title, saved.version, saved.updated_by) == ("Après", 2, editor)
    assert list(article.revisions.values_list("number", "title")) == [(1, "Après")]


def test_an_edit_from_an_older_version_is_refused_and_saves_nothing(editor):
    article = make_article(status=S.DRAFT, published_at=None, title="Avant")
    Article.objects.filter(pk=article.pk).update(version=2)  # someone saved meanwhile
    article.title = "Écrasé"

    with pytest.raises(WorkflowError, match="modifié par quelqu’un d’autre"):
        editing.save(article, by=editor)

    assert stored(article).title == "Avant"
    assert not ArticleRevision.objects.exists()


def test_a_new_address_of_a_published_article_keeps_the_old_one_answering(client, editor):
    article = make_article(slug="ancienne-adresse")
    old_url = article.get_absolute_url()
    article.slug = "nouvelle-adresse"

    editing.save(article, by=editor)

    assert ArticleRedirect.objects.get().old_slug == "ancienne-adresse"
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, article.get_absolute_url())


def test_a_text_change_on_a_live_article_without_note_is_refused_and_saves_nothing(editor):
    article = make_article(title="Le titre publié")
    article.title = "Un titre changé en douce"

    with pytest.raises(WorkflowError, match="note de mise à jour"):
        editing.save(article, by=editor)

    assert stored(article).title == "Le titre publié"
    assert not ArticleRevision.objects.exists() and not ArticleNote.objects.exists()


def test_a_text_change_on_a_live_article_gives_readers_its_note(client, editor):
    article = make_article(title="Bilan provisoire")
    article.title = "Bilan définitif"

    editing.save(article, by=editor, note_kind="correction", note_text="Le bilan est confirmé.")

    note = ArticleNote.objects.get(article=article)
    assert (note.kind, note.text, note.created_by) == (
        "correction",
        "Le bilan est confirmé.",
        editor,
    )
    assert stored(article).revised_at == note.created_at
    assert article.transitions.get().action == Transition.Action.CORRECTION
    assert "Le bilan est confirmé." in client.get(article.get_absolute_url()).content.decode()


def test_a_minor_fix_on_a_live_article_is_in_the_history_only(editor):
    article = make_article(standfirst="Une coquile.")
    article.standfirst = "Une coquille."

    editing.save(article, by=editor, minor=True)

    assert not ArticleNote.objects.exists()
    assert article.transitions.get().action == Transition.Action.MINOR_FIX


def test_spacing_noise_on_a_live_article_needs_no_note(editor):
    article = make_article(title="Un titre")
    article.title = "Un   titre "

    editing.save(article, by=editor)

    assert not ArticleNote.objects.exists() and not article.transitions.exists()


def test_a_live_article_taken_offline_right_after_needs_no_note(editor):
    article = make_article(title="Un titre faux")
    article.title = "Un titre retiré"

    editing.save(article, by=editor, unpublishing=True)

    assert stored(article).title == "Un titre retiré"
    assert not ArticleNote.objects.exists()


def test_a_save_refreshes_the_cached_page(client, settings, editor):
    settings.PAGE_CACHE_ENABLED = True
    article = make_article(title="Version initiale")
    client.get(article.get_absolute_url())
    assert "Version initiale" in client.get(article.get_absolute_url()).content.decode()
    article.title = "Version corrigée"

    editing.save(article, by=editor, note_kind="update", note_text="Titre corrigé.")

    assert "Version corrigée" in client.get(article.get_absolute_url()).content.decode()
