import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Category
from photos.models import Photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_rendition_width(settings):
    # Renditions are tested in test_images.py; here they only slow the demo down.
    settings.PHOTO_RENDITION_WIDTHS = [480]


def test_demo_content_loads_once_and_only_once(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = (Article.objects.count(), Photo.objects.count(), get_user_model().objects.count())

    call_command("load_demo", stdout=open("/dev/null", "w"))

    assert (
        Article.objects.count(),
        Photo.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert counts[0] >= 13


def test_demo_covers_every_section_and_leads_with_the_alaska_summit(settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))

    lead = Article.objects.published().get(is_featured=True)
    assert all(word in lead.title for word in ("Poutine", "Trump", "Alaska"))
    assert lead.category.slug == "politique"
    assert lead.published_at.date().isoformat() == "2025-08-15"
    # Generated landscapes, never passed off as photographs of the news.
    for article in Article.objects.published().select_related("hero_photo"):
        assert article.hero_photo.is_illustration
        assert article.hero_photo.credit_line == "Illustration\u00a0: Actualités Express"
        assert article.hero_photo.caption.startswith("Un paysage abstrait pour illustrer")
    assert "pas une photographie" in lead.hero_photo.caption
    assert lead.body.count("<h2>") >= 2 and "<blockquote>" in lead.body
    assert set(
        Category.objects.filter(articles__isnull=False).values_list("slug", flat=True)
    ) == set(Category.objects.values_list("slug", flat=True))


def test_demo_accounts_exist_only_in_demo_mode(settings):
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert not get_user_model().objects.filter(username__in=["journaliste", "editeur"]).exists()

    settings.DEMO_MODE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    journalist = get_user_model().objects.get(username="journaliste")
    assert journalist.is_staff and journalist.check_password("Journaliste-demo-2025")
    assert journalist.groups.filter(name="Rédacteurs").exists()


def test_the_demo_newsroom_shows_each_stage_of_the_circuit(settings, client, mailoutbox):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))

    User = get_user_model()
    client.force_login(User.objects.get(username="journaliste"))
    desk = client.get("/admin/").content.decode()
    for title in (
        "À Marseille, les ferries se branchent enfin au réseau électrique",  # draft
        "Livraisons en ville\u00a0: le vélo-cargo gagne du terrain",  # in review
        "La piscine municipale élargit ses horaires cet été",  # sent back
    ):
        assert title in desk
    assert "Il manque le prix de l’entrée" in desk

    client.force_login(User.objects.get(username="editeur"))
    desk = client.get("/admin/").content.decode()
    assert "Livraisons en ville\u00a0: le vélo-cargo gagne du terrain" in desk
    assert "Rentrée\u00a0: les transports scolaires deviennent gratuits" in desk  # scheduled
    scheduled = Article.objects.get(slug="rentree-scolaire-transports-gratuits")
    assert scheduled.is_scheduled
    assert client.get(scheduled.get_absolute_url()).status_code == 404
