import pytest

from articles.models import Category
from tests.factories import make_article, make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_finds_an_article_from_the_header_search_box(live_server, page, screenshot):
    # Transactional tests flush the migration's categories: make sure ours exists.
    politics, _ = Category.objects.get_or_create(slug="politique", defaults={"name": "Politique"})
    make_article(
        title="Poutine et Trump en Alaska",
        slug="poutine-trump-alaska",
        body="<p>Les négociations ont duré près de trois heures à Anchorage.</p>",
        category=politics,
        hero_photo=make_photo(with_renditions=True),
    )
    make_article(title="Un match de rugby", category=politics)

    page.goto(live_server.url + "/")
    page.get_by_label("Rechercher un article").fill("negociations alaska")
    page.keyboard.press("Enter")

    page.wait_for_url("**/recherche/?q=negociations+alaska")
    results = page.locator(".search-result")
    assert results.count() == 1
    assert "Poutine et Trump en Alaska" in results.first.inner_text()
    assert (
        page.locator(".search-result__excerpt mark")
        .first.inner_text()
        .lower()
        .startswith("négociation")
    )
    assert page.locator("#recherche-mots").input_value() == "negociations alaska"
    screenshot("search-results")

    results.first.get_by_role("link", name="Poutine et Trump en Alaska").click()
    page.wait_for_url("**/articles/poutine-trump-alaska/")
