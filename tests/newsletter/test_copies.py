"""Copies assembled as bytes, sent to a real SMTP server and read back by the email package."""

import email
import email.policy
import re

import pytest
from django.template.loader import render_to_string

from articles.models import Category
from newsletter import sending, subscriptions
from newsletter.models import Delivery, Issue
from tests.factories import make_article, make_photo

from .factories import make_issue, make_subscriber
from .smtp_sink import RecordingSink

pytestmark = pytest.mark.django_db

SUBJECT = (
    "Sommet d’Alaska : « la paix » à quel prix ? Édition spéciale du vendredi 15 août 2025, "
    "attendue par toute la rédaction"
)
# One paragraph longer than an SMTP line (998 octets), a line starting with a dot (SMTP's
# end of data), an equals sign (quoted-printable's escape) and trailing spaces.
INTRODUCTION = (
    "Bonjour, " + "la négociation reprend à l’aube = les délégations s’installent. " * 30
).strip() + "\n.Une ligne qui commence par un point.\nDes espaces à la fin   \nFin."

MARKER = re.compile(
    rb"ae[0-9a-f]{16}(to|msgid|listunsub|textbody|htmlbody|email|unsubscribeurl|preferencesurl)"
)

READERS = [
    "lea.martin@exemple.fr",
    "o'brien&co=1+lettre@exemple.fr",  # escaped in HTML, "=" in quoted-printable
    "lecteur@exemplé.fr",  # an internationalised domain: punycode on the wire
]


@pytest.fixture
def long_site_url(settings):
    # Long links: each wraps over several quoted-printable lines.
    settings.SITE_URL = "https://www.actualites-express.example/une-edition-au-nom-assez-long"


@pytest.fixture
def issue(long_site_url):
    sports = Category.objects.get(slug="sports")
    return make_issue(
        subject=SUBJECT,
        introduction=INTRODUCTION,
        articles=[
            make_article(title="Sommet en Alaska", hero_photo=make_photo(with_renditions=True)),
            make_article(title="Finale à Roland-Garros", category=sports),
        ],
        status=Issue.Status.SENDING,
    )


def expected_bodies(issue, subscriber, articles):
    """Text and HTML rendered the plain way, by Django's templates, with the real values."""
    context = {
        "issue": issue,
        "items": [sending._item(article) for article in articles],
        "site_name": "Actualités Express",
        "site_url": "https://www.actualites-express.example/une-edition-au-nom-assez-long",
        "email": subscriber.email,
        "unsubscribe_url": subscriptions.unsubscribe_url(subscriber),
        "preferences_url": subscriptions.preferences_url(subscriber),
    }
    return (
        render_to_string("newsletter/email/issue.txt", context),
        render_to_string("newsletter/email/issue.html", context),
    )


def read(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def decoded(message, subtype):
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelining", "sans-pipelining"])
def test_sent_bytes_read_back_as_each_readers_own_copy(issue, settings, pipelining):
    settings.NEWSLETTER_BATCH_SIZE = 2
    sports = Category.objects.get(slug="sports")
    readers = [make_subscriber(email=address) for address in READERS]
    readers.append(make_subscriber(email="sport@exemple.fr", categories=[sports]))
    articles = [item.article for item in issue.items.all()]

    with RecordingSink(pipelining=pipelining) as sink:
        settings.MAILERS = sink.mailers()
        progress = sending.deliver(issue)

    assert progress["sent"] == 4
    # Two batches, one connection.
    assert sink.sessions == 1
    by_recipient = {message.recipients: message for message in sink.accepted}
    message_ids = set()
    for reader in readers:
        wire_address = reader.email.replace("exemplé.fr", "xn--exempl-gva.fr")
        accepted = by_recipient[(wire_address,)]
        raw = accepted.raw
        assert accepted.sender == "redaction@actualites-express.example"
        assert raw.isascii(), "quoted-printable and encoded-words only: 7-bit clean"
        assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
        header, _, body = raw.partition(b"\r\n\r\n")
        assert all(len(line) <= 76 for line in body.split(b"\r\n")), "quoted-printable lines"
        assert not MARKER.search(raw), "a marker was left in the copy"

        message = read(raw)
        unsubscribe = subscriptions.unsubscribe_url(reader)
        assert message["To"] == wire_address
        assert message["Subject"] == SUBJECT
        assert message["From"] == "Actualités Express <redaction@actualites-express.example>"
        assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # The URL is literal on the wire, as mail clients need it: never an encoded-word.
        assert f"\r\nList-Unsubscribe: <{unsubscribe}>\r\n".encode() in header
        host = "www.actualites-express.example"
        assert message["Message-ID"] == f"<lettre{issue.pk}.{reader.token.hex}@{host}>"
        message_ids.add(message["Message-ID"])

        mine = [a for a in articles if reader.email != "sport@exemple.fr" or a.category == sports]
        text, html = expected_bodies(issue, reader, mine)
        assert decoded(message, "plain") == text
        assert decoded(message, "html") == html
    assert len(message_ids) == 4
    assert "o&#x27;brien&amp;co=1+lettre@exemple.fr" in decoded(
        read(by_recipient[("o'brien&co=1+lettre@exemple.fr",)].raw), "html"
    )


def test_a_refused_address_is_marked_failed_and_the_next_copies_use_the_same_connection(
    issue, settings
):
    settings.NEWSLETTER_BATCH_SIZE = 10
    make_subscriber(email="a@exemple.fr")
    make_subscriber(email="refuse@exemple.fr")
    make_subscriber(email="c@exemple.fr")

    with RecordingSink(refused=frozenset({"refuse@exemple.fr"})) as sink:
        settings.MAILERS = sink.mailers()
        progress = sending.deliver(issue)

    assert progress["sent"] == 2 and progress["failed"] == 1
    assert sink.per_recipient() == {"a@exemple.fr": 1, "c@exemple.fr": 1}
    assert sink.sessions == 1
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.subscriber.email == "refuse@exemple.fr"
    assert "550" in failed.error


def test_the_test_copy_goes_over_smtp_with_a_marked_subject(issue, settings):
    with RecordingSink() as sink:
        settings.MAILERS = sink.mailers()
        sending.send_test(issue, to="redaction@exemple.fr")

    [accepted] = sink.accepted
    assert accepted.recipients == ("redaction@exemple.fr",)
    message = read(accepted.raw)
    assert message["Subject"] == f"[TEST] {SUBJECT}"
    assert "List-Unsubscribe" not in message, "a test copy is nobody's to unsubscribe"
    assert "EXEMPLAIRE DE TEST" in decoded(message, "plain")


def test_the_development_mail_folder_holds_the_exact_bytes_sent(issue, settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    reader = make_subscriber(email="lea@exemple.fr")

    sending.deliver(issue)

    [written] = list((tmp_path / "mail").iterdir())
    message = read(written.read_bytes().split(b"\n" + b"-" * 79)[0])
    assert message["List-Unsubscribe"] == f"<{subscriptions.unsubscribe_url(reader)}>"
    assert "Sommet en Alaska" in decoded(message, "plain")
