import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, Category
from newsroom.roles import JOURNALISTS, sync_roles
from photos.models import Photo
from tests.factories import image_bytes, make_author, make_photo, make_user, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def journalist(client):
    sync_roles()
    user = make_user(username="julie", is_staff=True)
    user.groups.add(Group.objects.get(name=JOURNALISTS))
    make_author(user=user, display_name="Julie Martin", slug="julie-martin")
    client.force_login(user)
    return user


def test_journalist_uploads_a_credited_photo(client, journalist):
    response = client.post(
        reverse("admin:photos_photo_add"),
        {
            "image": upload("IMG_4032.jpg"),
            "caption": "Le port d'Anchorage",
            "credit": "© Andrew Caballero Reynolds",
            "alt_text": "Des bateaux amarrés",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert photo.credit == "Andrew Caballero Reynolds"
    assert photo.uploaded_by == journalist
    assert "IMG_4032" not in photo.image.name
    assert photo.width == 1200 and photo.height == 675
    assert [r["width"] for r in photo.renditions] == [480, 800, 1200]


def test_photo_add_form_shows_no_empty_size_before_upload(client, journalist):
    html = client.get(reverse("admin:photos_photo_add")).content.decode()

    assert "Largeur" not in html and "Hauteur" not in html
    assert 'name="image"' in html and 'name="alt_text"' in html

    photo = make_photo()
    html = client.get(reverse("admin:photos_photo_change", args=[photo.pk])).content.decode()
    assert "Largeur" in html and "1200" in html


def test_article_form_title_is_wide_enough_for_a_headline(client, journalist):
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'class="ae-headline"' in html


def test_photo_without_credit_or_alt_text_is_refused_and_keeps_the_typed_caption(
    client, journalist
):
    response = client.post(
        reverse("admin:photos_photo_add"),
        {"image": upload(), "caption": "Ma légende", "credit": "", "alt_text": ""},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce champ est obligatoire" in html
    assert "Ma légende" in html
    assert not Photo.objects.exists()


def test_fake_image_upload_gets_a_french_message_not_a_500(client, journalist):
    response = client.post(
        reverse("admin:photos_photo_add"),
        {
            "image": upload("photo.jpg", b"<html>pas une image</html>"),
            "caption": "Légende conservée",
            "credit": "AFP",
            "alt_text": "x",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "image valide" in html or "n’est pas une image" in html
    assert "Légende conservée" in html


def test_journalist_writes_an_article_in_the_admin(client, journalist):
    photo = make_photo()
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Un reportage au port",
            "slug": "un-reportage-au-port",
            "category": Category.objects.get(slug="economie").pk,
            "standfirst": "Le chapô du reportage.",
            "body": "<p>Texte</p><script>alert(1)</script><h2>Intertitre</h2>",
            "tags": "Port, Économie locale",
            "hero_photo": photo.pk,
            "authors": [journalist.author_profile.pk],
            "status": Article.Status.DRAFT,
            "meta_description": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="un-reportage-au-port")
    assert article.created_by == journalist
    assert article.body == "<p>Texte</p><h2>Intertitre</h2>"
    assert sorted(article.tags.names()) == ["Port", "Économie locale"]


def test_article_form_offers_ckeditor_without_source_editing(client, journalist):
    html = client.get(reverse("admin:articles_article_add")).content.decode()

    assert "django_ckeditor_5" in html
    assert "sourceEditing" not in html
    assert "htmlEmbed" not in html
    assert reverse("articles:editor-upload") in html


class TestEditorUpload:
    url = reverse("articles:editor-upload")

    def test_anonymous_visitor_cannot_upload(self, client):
        response = client.post(self.url, {"upload": upload()})
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]

    def test_logged_in_reader_without_writing_rights_is_refused(self, client):
        client.force_login(make_user())
        response = client.post(self.url, {"upload": upload()})
        assert response.status_code == 403
        assert "droit" in response.json()["error"]["message"]

    def test_writer_gets_a_reencoded_image_url(self, client, journalist):
        response = client.post(self.url, {"upload": upload("vacances.jpg")})

        assert response.status_code == 200
        url = response.json()["url"]
        assert url.startswith("/media/editor/") and url.endswith(".jpg")
        assert "vacances" not in url

    def test_non_image_gets_a_json_error_in_french(self, client, journalist):
        response = client.post(self.url, {"upload": upload("x.jpg", b"GIF89a<script>")})
        assert response.status_code == 400
        assert "n’est pas une image" in response.json()["error"]["message"]

    def test_missing_file_is_a_clear_error(self, client, journalist):
        response = client.post(self.url, {})
        assert response.status_code == 400
        assert response.json()["error"]["message"] == "Aucun fichier reçu."

    def test_large_picture_is_refused(self, client, journalist, settings):
        settings.PHOTO_MAX_PIXELS = 10_000
        response = client.post(self.url, {"upload": upload(content=image_bytes(size=(400, 400)))})
        assert response.status_code == 400
        assert "mégapixels" in response.json()["error"]["message"]
