"""The site's e-mails: what a reader's mail program shows, and what a developer reads in var/mail."""

import email
import email.policy

import pytest

from actualites.mail import Message
from articles import workflow
from newsletter import subscriptions
from tests.factories import make_article, make_editor, make_journalist

pytestmark = pytest.mark.django_db

# A subject Python's own header folder splits with an empty encoded word (« =?utf-8?q??= »).
AWKWARD_SUBJECT = (
    "» relire \xa0» d’Actualités xxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxx "
    "xxxxxxxxxxxxxxxxxxxx «\xa0 \u202f? « Marseille, Économie"
)


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP])
def test_a_long_accented_subject_folds_without_an_empty_encoded_word(policy):
    raw = Message(subject=AWKWARD_SUBJECT, body="Texte.", to=["a@exemple.fr"]).message(
        policy=policy
    )
    sent = raw.as_bytes()

    assert b"?q??=" not in sent
    assert b"?b??=" not in sent
    assert all(len(line) <= 78 for line in sent.split(b"\n")[:12])
    read = email.message_from_bytes(sent, policy=email.policy.default)
    assert read["Subject"] == Message(subject=AWKWARD_SUBJECT, body="", to=[]).subject


def test_emails_get_french_typography_and_keep_their_links_as_written():
    message = Message(
        subject="À relire : l'article",
        body="Voir « ici » : https://exemple.fr/admin/?status=pending;x=1 ! C'est prêt ?",
        to=["a@exemple.fr"],
    )

    assert message.subject == "À relire\u00a0: l’article"
    assert message.body == (
        "Voir «\u00a0ici\u00a0»\u00a0: https://exemple.fr/admin/?status=pending;x=1\u202f! "
        "C’est prêt\u202f?"
    )


def test_the_review_request_reads_in_french(mailoutbox, django_capture_on_commit_callbacks):
    make_editor(username="relectrice", email="relectrice@exemple.fr")
    author = make_journalist(username="auteur", email="auteur@exemple.fr")
    article = make_article(status="draft", title="L'été : chaud ?", created_by=author)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article, by=author)

    [sent] = mailoutbox
    assert sent.subject == "À relire\u00a0: L’été\u00a0: chaud\u202f?"
    assert "«\u00a0L’été\u00a0: chaud\u202f?\u00a0» à relecture" in sent.body
    assert "/admin/articles/article/" in sent.body


def test_development_mail_is_written_as_files_to_read(settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "actualites.mail.ReadableFileBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }

    subscriptions.signup(email="lea@exemple.fr", source="/")

    [text] = tmp_path.glob("*.txt")
    [raw] = tmp_path.glob("*.eml")
    assert text.stem == raw.stem
    read = text.read_text()
    assert read.startswith(
        "Objet\u00a0: Confirmez votre abonnement à la newsletter d’Actualités Express\n"
        "De\u00a0: Actualités Express <"
    )
    assert "À\u00a0: lea@exemple.fr\n" in read
    assert "cliquez sur «\u00a0Confirmer mon abonnement\u00a0»\u00a0:\nhttp" in read
    assert "=C3" not in read and "=?utf-8?" not in read
    assert "Version HTML\u00a0: ouvrez le fichier .eml du même nom." in read
    message = email.message_from_bytes(raw.read_bytes(), policy=email.policy.default)
    assert "Confirmer mon abonnement" in message.get_body(("html",)).get_content()
