import re

import pytest
from django.utils.html import strip_tags

from comments import moderation, notices
from comments.models import BlockedWord, Comment
from comments.signals import comment_moderated
from tests.factories import make_article, make_author, make_editor, make_user

from .factories import make_comment

pytestmark = pytest.mark.django_db


def submit(**overrides):
    overrides.setdefault("article", make_article())
    overrides.setdefault("name", "Claire Dupont")
    overrides.setdefault("email", "claire@example.org")
    overrides.setdefault("text", "Un avis mesuré.")
    return moderation.submit(**overrides)


@pytest.fixture
def signals():
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    comment_moderated.connect(listener)
    yield received
    comment_moderated.disconnect(listener)


# --- Cleaning -----------------------------------------------------------------------------


def test_names_lose_bidi_overrides_and_zero_width_characters_and_are_nfc():
    assert moderation.normalize_name("Adm\u202enimda\u200b  Jose\u0301 ") == "Admnimda José"
    assert moderation.normalize_name("\u2066Éric\u2069\ufeff") == "Éric"


def test_text_is_nfc_with_unix_line_breaks_and_tidy_blank_lines():
    text = "  Cafe\u0301 \r\nligne deux\r\n\r\n\r\n\r\nfin  "
    assert moderation.normalize_text(text) == "Café\nligne deux\n\nfin"


def test_text_keeps_emoji_joiners():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert moderation.normalize_text(f"Bravo {family}") == f"Bravo {family}"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        # Overrides, embeddings and isolates would show the text reversed or reordered.
        ("Lien sûr : \u202egpj.exe\u202c ici", "Lien sûr : gpj.exe ici"),
        ("\u202aà gauche\u202c \u202bà droite\u202c", "à gauche à droite"),
        ("\u2066isolé\u2069 \u2067اسم\u2069 \u2068x\u2069", "isolé اسم x"),
        # Invisible characters that mean nothing in prose, used to hide words.
        ("ar\u200bna\u2060que\ufeff\u00ad", "arnaque"),
        ("caché\U000e0041\U000e0042", "caché"),
        # What writing needs stays: the non-joiner of Persian, the direction marks.
        ("می\u200cخواهم", "می\u200cخواهم"),
        (
            "Le mot \u200fשלום\u200f, puis la suite\u200e.",
            "Le mot \u200fשלום\u200f, puis la suite\u200e.",
        ),
        ("عدد\u061c 3", "عدد\u061c 3"),
    ],
    ids=["override", "embedding", "isolate", "zero-width", "tags", "zwnj", "marks", "alm"],
)
def test_text_keeps_what_writing_needs_and_loses_what_hides_or_reorders(typed, kept):
    assert moderation.normalize_text(typed) == kept


def test_names_lose_every_invisible_character():
    assert moderation.normalize_name("Zo\u00ade\U000e0041 \u200dMarie\u200c") == "Zoe Marie"
    assert moderation.normalize_name("Ze\u200b\u0301lie") == "Zélie"


def test_the_blocklist_sees_through_invisible_characters(settings):
    make_comment(email="claire@example.org")
    BlockedWord.objects.create(word="arnaque")

    for hidden in ["ar\u200dnaque", "arn\u200caque", "ar\u200bnaque", "\u202earnaque\u202c"]:
        held = submit(text=f"Une {hidden} évidente.")
        assert held.reasons == ["Contient un mot bloqué : « arnaque »."], ascii(hidden)


@pytest.mark.parametrize("value", ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\x85b"])
def test_control_characters_are_detected(value):
    assert moderation.has_control_characters(value)


def test_tabs_and_line_breaks_are_not_control_characters_for_us():
    assert not moderation.has_control_characters("a\tb\nc\r\nd")


# --- Automatic decisions ------------------------------------------------------------------


def test_first_comment_of_an_email_is_held_with_its_reason():
    comment = submit()
    assert comment.status == Comment.Status.PENDING
    assert comment.reasons == ["Aucun commentaire déjà publié avec cette adresse e-mail."]


def test_email_with_an_approved_comment_is_published_at_once(signals):
    make_comment(email="claire@example.org")

    comment = submit()

    assert comment.status == Comment.Status.APPROVED
    assert comment.reasons == []
    assert comment.moderated_at is not None
    assert signals[-1]["comment"] == comment
    assert signals[-1]["previous_status"] is None


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM]
)
def test_only_an_approved_comment_makes_an_email_known(status):
    make_comment(email="claire@example.org", status=status)
    assert submit().status == Comment.Status.PENDING


def test_auto_approval_can_be_switched_off(settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = False
    make_comment(email="claire@example.org")

    comment = submit()

    assert comment.status == Comment.Status.PENDING
    assert comment.reasons == ["Publication automatique désactivée : chaque commentaire est relu."]


def test_too_many_links_hold_even_a_known_reader(settings):
    make_comment(email="claire@example.org")
    two = "Voir https://a.example et www.b.example"
    three = two + " puis http://c.example/page"

    assert submit(text=two).status == Comment.Status.APPROVED
    held = submit(text=three)
    assert held.status == Comment.Status.PENDING
    assert held.reasons == ["Contient 3 liens (maximum pour une publication directe : 2)."]

    settings.COMMENTS_MAX_LINKS = 0
    assert submit(text="Voir https://a.example").status == Comment.Status.PENDING


def test_blocklisted_words_hold_a_known_reader_and_are_named():
    make_comment(email="claire@example.org")
    BlockedWord.objects.create(word="  Arnaque ")
    BlockedWord.objects.create(word="argent facile")

    held = submit(text="Quelle ARNAQUE, de l'argent   facile ? Non : de l'Argent facile !")

    assert held.status == Comment.Status.PENDING
    assert held.reasons == ["Contient des mots bloqués : « argent facile », « arnaque »."]


def test_blocklist_matches_whole_words_only_and_checks_the_name():
    make_comment(email="claire@example.org")
    BlockedWord.objects.create(word="con")

    assert submit(text="Une conclusion constructive.").status == Comment.Status.APPROVED
    held = submit(name="Le con", text="Autre chose.")
    assert held.reasons == ["Contient un mot bloqué : « con »."]


# --- Moderation ---------------------------------------------------------------------------


def test_approve_reject_and_spam_stamp_who_and_when_and_signal(signals):
    editor = make_editor()
    comment = make_comment(status=Comment.Status.PENDING)

    assert moderation.approve(comment, by=editor) is True
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == editor
    assert comment.moderated_at is not None
    assert signals == [
        {
            "signal": comment_moderated,
            "comment": comment,
            "previous_status": Comment.Status.PENDING,
            "status": Comment.Status.APPROVED,
            "by": editor,
        }
    ]

    assert moderation.reject(comment, by=editor) is True
    assert moderation.mark_spam(comment, by=editor) is True
    assert [s["status"] for s in signals] == ["approved", "rejected", "spam"]
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_moderating_to_the_same_state_changes_nothing(signals):
    comment = make_comment(status=Comment.Status.APPROVED)
    assert moderation.approve(comment) is False
    assert signals == []


def test_approval_changes_the_public_page_at_once(client):
    comment = make_comment(status=Comment.Status.PENDING, text="Enfin visible")
    url = comment.article.get_absolute_url()
    assert "Enfin visible" not in client.get(url).content.decode()

    moderation.approve(comment)

    assert "Enfin visible" in client.get(url).content.decode()
    moderation.reject(comment)
    assert "Enfin visible" not in client.get(url).content.decode()


# --- The published-comment counter -------------------------------------------------------


def count_shown(client, article):
    page = strip_tags(client.get(article.get_absolute_url()).content.decode())
    if "Aucun commentaire pour le moment" in page:
        return 0
    return int(re.search(r"(\d+) commentaires?\b", page).group(1))


def test_the_count_readers_see_follows_posting_moderation_and_deletion(client):
    article = make_article()
    known = make_comment(article=article, email="fidele@example.org")
    assert count_shown(client, article) == 1

    submit(article=article, email="fidele@example.org", text="Publié d'office")  # known reader
    held = submit(article=article, email="nouveau@example.org", text="À relire")
    assert count_shown(client, article) == 2

    moderation.approve(held)
    assert count_shown(client, article) == 3
    moderation.mark_spam(held)
    assert count_shown(client, article) == 2
    known.delete()
    assert count_shown(client, article) == 1


def test_two_moderators_approving_at_once_count_the_comment_once():
    comment = make_comment(status=Comment.Status.PENDING)
    first_copy, second_copy = Comment.objects.get(pk=comment.pk), Comment.objects.get(pk=comment.pk)

    assert moderation.approve(first_copy) is True
    assert moderation.approve(second_copy) is False

    comment.article.refresh_from_db()
    assert comment.article.comment_count == 1
    assert second_copy.status == Comment.Status.APPROVED


def test_saving_an_article_read_before_an_approval_keeps_the_new_count():
    comment = make_comment(status=Comment.Status.PENDING)
    article = type(comment.article).objects.get(pk=comment.article_id)  # an editor's open form

    moderation.approve(comment)
    article.title = "Titre corrigé"
    article.save()

    article.refresh_from_db()
    assert (article.title, article.comment_count) == ("Titre corrigé", 1)


def test_recount_repairs_counters_written_around_the_rules():
    comment = make_comment()
    type(comment.article).objects.update(comment_count=42)

    moderation.recount()

    comment.article.refresh_from_db()
    assert comment.article.comment_count == 1


# --- Emails -------------------------------------------------------------------------------


def test_reader_who_opted_in_is_told_once_when_published(mailoutbox):
    comment = make_comment(status=Comment.Status.PENDING, notify_on_approval=True)

    moderation.approve(comment)
    moderation.reject(comment)
    moderation.approve(comment)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [comment.email]
    assert message.subject == "Votre commentaire est publié"
    assert f"http://testserver{comment.article.get_absolute_url()}#comment-{comment.pk}" in (
        message.body
    )


def test_reader_who_did_not_opt_in_gets_no_email(mailoutbox):
    moderation.approve(make_comment(status=Comment.Status.PENDING))
    assert mailoutbox == []


def test_new_pending_comments_reach_authors_and_editors_in_one_digest_each(mailoutbox):
    editor = make_editor(email="editeur@example.org")
    make_editor(email="parti@example.org", is_active=False)
    author_a = make_author(user=make_user(email="auteur.a@example.org"))
    author_b = make_author(user=make_user(email="auteur.b@example.org"))
    article_a = make_article(authors=[author_a], title="Article A")
    article_b = make_article(authors=[author_b], title="Article B")
    for article, text in [
        (article_a, "Premier"),
        (article_a, "Deuxième"),
        (article_b, "Troisième"),
    ]:
        make_comment(article, text=text, status=Comment.Status.PENDING)

    assert notices.send_pending_digest() == 3

    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {
        "editeur@example.org",
        "auteur.a@example.org",
        "auteur.b@example.org",
    }
    to_editor = by_recipient["editeur@example.org"]
    assert to_editor.subject == "3 commentaires en attente de modération"
    for text in ("Premier", "Deuxième", "Troisième"):
        assert text in to_editor.body
    assert "/admin/comments/comment/?status=pending" in to_editor.body
    to_author = by_recipient["auteur.a@example.org"]
    assert to_author.subject == "2 commentaires en attente de modération"
    assert "Troisième" not in to_author.body
    assert "/admin/" not in to_author.body  # A journalist cannot open the queue.
    assert to_author.body.count("/commentaires/moderer/") == 6
    assert not Comment.objects.filter(notified_at=None).exists()
    assert editor.email in by_recipient

    # Nothing new: nothing sent.
    assert notices.send_pending_digest() == 0
    assert len(mailoutbox) == 3


def test_editors_by_permission_or_superuser_get_the_digest_as_they_get_review_mails(mailoutbox):
    # One definition of who is an editor (newsroom.roles): a superuser outside the group, or
    # someone given the review permission directly, is told like the group's members.
    from django.contrib.auth.models import Permission

    make_user(email="chef@example.org", is_superuser=True)
    reviewer = make_user(email="relecteur@example.org")
    reviewer.user_permissions.add(Permission.objects.get(codename="review_article"))
    make_user(email="lecteur@example.org")
    make_comment(make_article(), text="En attente", status=Comment.Status.PENDING)

    notices.send_pending_digest()

    recipients = {m.to[0] for m in mailoutbox}
    assert {"chef@example.org", "relecteur@example.org"} <= recipients
    assert "lecteur@example.org" not in recipients


def test_posting_a_held_comment_sends_the_digest_through_the_task(mailoutbox):
    make_editor(email="editeur@example.org")
    article = make_article(authors=[make_author(user=make_user(email="plume@example.org"))])

    submit(article=article, text="À relire")

    assert sorted(m.to[0] for m in mailoutbox) == ["editeur@example.org", "plume@example.org"]
    assert all("À relire" in m.body for m in mailoutbox)
    assert Comment.objects.get().notified_at is not None


def test_the_digest_is_queued_in_the_database_outside_tests(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    submit()

    assert DBTaskResult.objects.filter(task_path="comments.tasks.notify_moderators").count() == 1


def test_a_comment_whose_moderators_notice_cannot_be_queued_is_not_stored(monkeypatch):
    # The database failing between the two writes must not leave a comment the reader was
    # told did not go through (they would send it again).
    from types import SimpleNamespace

    from django.db import OperationalError

    def database_gone():
        raise OperationalError("connexion perdue")

    monkeypatch.setattr("comments.tasks.notify_moderators", SimpleNamespace(enqueue=database_gone))

    with pytest.raises(OperationalError):
        submit(text="Perdu en route")

    assert not Comment.objects.exists()
