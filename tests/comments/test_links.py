import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comments import notices
from comments.models import Comment
from tests.factories import make_article, make_author, make_editor, make_user
from tests.pages import readable

from .factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_editor(email="editeur@example.org")


@pytest.fixture
def pending():
    return make_comment(
        status=Comment.Status.PENDING,
        text="<b>Un avis</b> à relire",
        reasons=["Aucun commentaire déjà publié avec cette adresse e-mail."],
    )


def links_in(body):
    """{label: path} of the moderation links of a digest about one comment."""
    # French typography in e-mails (actualites/mail.py): a no-break space before the colon.
    found = re.findall(r"^(.+)\u00a0: http://testserver(/commentaires/moderer/\S+)$", body, re.M)
    return dict(found)


def test_digest_links_open_a_confirmation_page_and_get_changes_nothing(
    client, editor, pending, mailoutbox
):
    notices.send_pending_digest()
    links = links_in(mailoutbox[0].body)
    assert set(links) == {
        "Publier ce commentaire",
        "Refuser ce commentaire",
        "Marquer comme indésirable",
    }

    for path in links.values():
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert "&lt;b&gt;Un avis&lt;/b&gt; à relire" in html
        assert "Aucun commentaire déjà publié avec cette adresse e-mail." in html
        assert 'method="post"' in html
        assert "Rien n'a encore changé" in readable(html)
        assert response["Cache-Control"].startswith("max-age=0")
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING
    assert pending.moderated_at is None


def test_posting_the_confirmation_moderates_as_the_recipient(client, editor, pending, mailoutbox):
    notices.send_pending_digest()
    path = links_in(mailoutbox[0].body)["Publier ce commentaire"]

    response = client.post(path)

    assert response.status_code == 200
    assert "C'est fait : ce commentaire est maintenant « Publié »." in readable(
        response.content.decode()
    )
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED
    assert pending.moderated_by == editor
    # The same link again, or another one: already moderated, nothing more happens.
    reject = links_in(mailoutbox[0].body)["Refuser ce commentaire"]
    again = client.post(reject)
    assert "déjà été modéré" in again.content.decode()
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED


def test_spam_link(client, editor, pending):
    path = notices.moderation_url(pending, "spam", user=editor).removeprefix("http://testserver")
    client.post(path)
    pending.refresh_from_db()
    assert pending.status == Comment.Status.SPAM


def test_article_author_may_moderate_from_the_link(client, pending):
    author = make_author(user=make_user(email="plume@example.org"))
    article = make_article(authors=[author])
    comment = make_comment(article, status=Comment.Status.PENDING)
    path = notices.moderation_url(comment, "reject", user=author.user)

    client.post(path.removeprefix("http://testserver"))

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.moderated_by == author.user


def test_expired_link_shows_a_clear_page(client, editor, pending, time_machine):
    path = notices.moderation_url(pending, "approve", user=editor).removeprefix("http://testserver")
    time_machine.move_to(timezone.now() + timedelta(days=8))

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        assert "Ce lien de modération a expiré" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_link_still_works_on_its_last_day(client, editor, pending, time_machine):
    path = notices.moderation_url(pending, "approve", user=editor).removeprefix("http://testserver")
    time_machine.move_to(timezone.now() + timedelta(days=6, hours=23))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("tamper", ["signature-edited", "forged-with-another-key", "garbage"])
def test_tampered_link_shows_a_clear_page(client, editor, pending, tamper):
    from django.core import signing

    genuine = notices.moderation_url(pending, "approve", user=editor)
    token = genuine.rstrip("/").rsplit("/", 1)[1]
    token = {
        "signature-edited": token[:-2] + ("xy" if not token.endswith("xy") else "zz"),
        "forged-with-another-key": signing.dumps(
            {"c": pending.pk, "a": "approve", "u": editor.pk},
            key="pas-la-bonne-clef",
            salt=notices.LINK_SALT,
        ),
        "garbage": "abc",
    }[tamper]

    response = client.post(f"/commentaires/moderer/{token}/")

    assert response.status_code == 400
    assert "Ce lien de modération n'est pas valide" in readable(response.content.decode())
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_link_of_a_deactivated_account_no_longer_works(client, editor, pending):
    path = notices.moderation_url(pending, "approve", user=editor).removeprefix("http://testserver")
    editor.is_active = False
    editor.save()

    response = client.post(path)

    assert response.status_code == 400
    assert "votre compte ne peut plus modérer" in response.content.decode()
