import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import ArticleCommentPolicy, BlockedWord, Comment
from comments.signals import comment_moderated
from tests.factories import make_article, make_editor, make_user

from .factories import make_comment, post_comment

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def editor(client):
    user = make_editor()
    client.force_login(user)
    return user


def run_action(client, action, comments):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_journalist_cannot_open_the_moderation_queue(client):
    from newsroom.roles import JOURNALISTS, sync_roles

    groups = sync_roles()
    journalist = make_user(is_staff=True)
    journalist.groups.add(groups[JOURNALISTS])
    client.force_login(journalist)
    assert client.get(CHANGELIST).status_code == 403


def test_queue_lists_pending_first_with_counts_and_reasons(client, editor):
    old_pending = make_comment(
        text="Vieux en attente",
        status=Comment.Status.PENDING,
        reasons=["Aucun commentaire déjà publié avec cette adresse e-mail."],
    )
    make_comment(text="Récent publié")
    make_comment(text="Récent refusé", status=Comment.Status.REJECTED)
    new_pending = make_comment(text="Récent en attente", status=Comment.Status.PENDING)

    html = client.get(CHANGELIST).content.decode()

    assert "Commentaires — 2 en attente de modération" in html
    assert "En attente (2)" in html and "Publié (1)" in html and "Refusé (1)" in html
    assert (
        html.index("Récent en attente")
        < html.index("Vieux en attente")
        < html.index("Récent publié")
    )
    assert "Aucun commentaire déjà publié avec cette adresse e-mail." in html
    assert new_pending.email in html and old_pending.email in html


def test_queue_filters_by_state_article_and_date_and_searches(client, editor):
    article = make_article(title="Budget 2026")
    make_comment(article, text="Sur le budget", name="Gaston", email="gaston@example.org")
    make_comment(text="Ailleurs", status=Comment.Status.PENDING)

    def listed(**params):
        return client.get(CHANGELIST, params).content.decode()

    assert "Ailleurs" in listed(status="pending") and "Sur le budget" not in listed(
        status="pending"
    )
    html = listed(article__id__exact=article.pk)
    assert "Sur le budget" in html and "Ailleurs" not in html
    assert "Sur le budget" in listed(created_at__year=timezone.now().year)
    assert "Sur le budget" not in listed(created_at__year=2001)
    for term in ("budget", "Gaston", "gaston@example.org"):
        html = listed(q=term)
        assert "Sur le budget" in html and "Ailleurs" not in html, term


def test_bulk_approve_publishes_and_reports(client, editor):
    pending = [make_comment(status=Comment.Status.PENDING) for _ in range(2)]
    received = []

    def listener(sender, comment, **kwargs):
        received.append(comment.pk)

    comment_moderated.connect(listener)
    try:
        response = run_action(client, "approve_selected", pending)
    finally:
        comment_moderated.disconnect(listener)

    assert "2 commentaires publiés." in response.content.decode()
    for comment in pending:
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert comment.moderated_by == editor
    assert sorted(received) == sorted(c.pk for c in pending)


def test_bulk_reject_and_spam(client, editor):
    first, second = (make_comment(status=Comment.Status.PENDING) for _ in range(2))

    assert (
        "1 commentaire refusé." in run_action(client, "reject_selected", [first]).content.decode()
    )
    response = run_action(client, "mark_selected_as_spam", [first, second])

    assert "2 commentaires marqués comme indésirables." in response.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.SPAM}


def test_changing_the_state_in_the_form_goes_through_moderation(client, editor):
    comment = make_comment(status=Comment.Status.PENDING, text="Texte original")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    html = client.get(url).content.decode()
    assert "Texte original" in html

    response = client.post(
        url,
        {
            "name": comment.name,
            "email": comment.email,
            "text": "Texte corrigé",
            "status": "approved",
        },
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.text, comment.moderated_by) == (
        "approved",
        "Texte corrigé",
        editor,
    )


def test_comments_cannot_be_added_from_the_admin(client, editor):
    assert client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_editor_adds_a_blocked_word_that_then_holds_comments(client, editor):
    response = client.post(reverse("admin:comments_blockedword_add"), {"word": "Casino"})
    assert response.status_code == 302
    assert BlockedWord.objects.get().word == "casino"

    article = make_article()
    make_comment(email="claire@example.org")
    post_comment(client, article, text="Venez au casino en ligne")

    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.PENDING
    assert comment.reasons == ["Contient un mot bloqué : « casino »."]


def test_editor_closes_comments_of_an_article(client, editor):
    article = make_article()

    response = client.post(
        reverse("admin:comments_articlecommentpolicy_add"),
        {"article": article.pk, "mode": "closed", "reason": "Sujet sensible."},
    )

    assert response.status_code == 302
    assert ArticleCommentPolicy.objects.get(article=article).mode == "closed"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Sujet sensible." in html
    assert 'class="comment-form"' not in html
