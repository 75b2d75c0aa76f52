"""Images inside an article's text: alt text required to publish, served like hero photos."""

from pathlib import Path

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import Article
from articles.sanitize import images_without_alt
from articles.workflow import WorkflowError
from photos.body_images import responsive_images
from photos.models import BodyImage
from tests.factories import image_bytes, make_article, make_editor, make_journalist, upload

pytestmark = pytest.mark.django_db


def uploaded(client):
    """An image sent through CKEditor's upload, as the editor receives it back."""
    client.force_login(make_journalist())
    response = client.post(
        reverse("articles:editor-upload"),
        {"upload": upload("quai.jpg", image_bytes(size=(1600, 900)))},
    )
    assert response.status_code == 200
    return response.json()["url"]


def test_upload_keeps_the_image_with_its_renditions(client):
    url = uploaded(client)

    image = BodyImage.objects.get()
    assert url == image.image.url
    assert (image.width, image.height) == (1600, 900)
    assert [r["width"] for r in image.renditions] == [480, 800, 1200, 1600]


def test_body_image_is_served_as_a_responsive_lazy_picture(client):
    url = uploaded(client)
    body = (
        f'<figure class="image"><img src="{url}" alt="Un quai désert"><figcaption>Gare de Lyon, '
        "jeudi matin. © Léa Marchetti</figcaption></figure>"
    )

    html = responsive_images(body)

    assert '<source type="image/webp" srcset="/media/renditions/' in html
    assert " 480w, " in html and ' 1600w"' in html
    assert 'width="1600" height="900" alt="Un quai désert" loading="lazy"' in html
    assert '<span class="credit">© Léa Marchetti</span></figcaption>' in html


@pytest.mark.parametrize(
    "typed", ["matin. © Léa", "matin.  © Léa", "matin.\u00a0© Léa", "matin.© Léa"]
)
def test_a_caption_and_its_credit_are_one_space_apart(typed):
    html = responsive_images(
        f'<figure class="image"><img src="https://example.org/a.jpg" alt="a"><figcaption>{typed}'
        "</figcaption></figure>"
    )

    assert '<figcaption>matin. <span class="credit">© Léa</span></figcaption>' in html
    css = (Path(__file__).parents[2] / "static/css/rich-text.css").read_text()
    assert ".credit { margin" not in css, "a margin on top of the space shows two spaces"


def test_outside_images_stay_as_they_are_but_load_lazily():
    html = responsive_images('<p><img src="https://example.org/a.jpg" alt="a"></p>')
    assert (
        html
        == '<p><img src="https://example.org/a.jpg" alt="a" loading="lazy" decoding="async"></p>'
    )


def test_public_article_page_shows_the_picture(client):
    url = uploaded(client)
    article = make_article(
        body=f'<p>Texte.</p><figure class="image"><img src="{url}" alt="Quai"></figure>'
    )
    client.logout()

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<picture><source type="image/webp"' in html
    assert 'alt="Quai" loading="lazy"' in html


@pytest.mark.parametrize(
    "body, count",
    [
        ('<p><img src="/m/a.jpg" alt="Un quai"></p>', 0),
        ('<p><img src="/m/a.jpg" alt=""></p>', 1),
        ('<p><img src="/m/a.jpg"><img src="/m/b.jpg" alt="  "></p>', 2),
    ],
)
def test_images_without_alt_are_counted(body, count):
    assert images_without_alt(body) == count


def test_publication_is_refused_while_a_body_image_has_no_alt_text():
    article = make_article(
        status=Article.Status.REVIEW,
        published_at=None,
        standfirst="",
        body='<p>Texte.</p><figure class="image"><img src="/media/editor/a.jpg"></figure>',
    )

    with pytest.raises(WorkflowError) as refused:
        workflow.publish(article, by=make_editor())

    assert str(refused.value) == (
        "Impossible de publier : il manque le chapô et le texte alternatif d’une image du texte."
    )
