"""No personal data in the API: a crawl of every answer finds no e-mail and no IP address."""

import re

import pytest

from articles.models import Page
from live import rules
from tests.comments.factories import make_comment
from tests.factories import make_article, make_author, make_editor, make_photo, make_user
from tests.live.factories import make_live

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
IPV4 = re.compile(r"(?<![\d.])\d{1,3}(\.\d{1,3}){3}(?![\d.])")
IPV6 = re.compile(r"(?<![\w:])[0-9a-fA-F]{1,4}(:[0-9a-fA-F]{0,4}){2,7}(?![\w:])")


def test_no_email_nor_ip_address_in_any_answer(client, settings):
    settings.SITE_URL = "https://www.exemple.fr"
    writer = make_user(username="redactrice", email="redactrice.privee@exemple.org")
    author = make_author(
        user=writer, slug="redactrice", display_name="Rédactrice", portrait=make_photo()
    )
    for n in range(3):
        article = make_article(authors=[author], tags=["Alaska", f"Sujet {n}"])
        make_comment(article, email=f"lectrice{n}@exemple.org", ip="203.0.113.9", user_agent="UA")
        make_comment(article, email="autre@exemple.org", ip="2001:db8::7")
    Page.objects.update(body="<p>Écrivez-nous : redaction@exemple.org</p>")
    editor = make_editor(username="chef.edition", email="chef.edition@exemple.org")
    live = make_live(editor=editor, article=article)
    rules.post(live, by=editor, text="Une entrée signée par l’éditeur.")

    answers, to_visit, seen = [], ["/api/v1/openapi.json"], set()
    for start in ("articles", "categories", "authors", "tags", "lives"):
        to_visit.append(
            f"/api/v1/{start}/?limit=1" if start != "categories" else "/api/v1/categories/"
        )
    to_visit += ["/api/v1/articles/absent/", "/api/v1/articles/?cursor=x", "/api/v1/nulle-part/"]
    while to_visit:
        url = to_visit.pop().removeprefix(settings.SITE_URL)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        answers.append((url, response.content.decode(), str(dict(response.items()))))
        if response.status_code != 200 or "openapi" in url:
            continue
        body = response.json()
        to_visit += [body["next"]] if body.get("next") else []
        for item in body.get("items", []):
            kind = url.split("/")[3]
            if kind == "lives" and "entries" not in url:
                to_visit += [f"/api/v1/lives/{item['id']}/", item["entries"]]
            elif "slug" in item and kind != "lives":
                to_visit.append(f"/api/v1/{kind}/{item['slug']}/")

    assert len(seen) > 15
    for url, content, headers in answers:
        assert not EMAIL.search(content), (url, EMAIL.search(content))
        assert not IPV4.search(content), (url, IPV4.search(content))
        assert not IPV6.search(content), (url, IPV6.search(content))
        assert "203.0.113.9" not in headers
    assert any('"name":"Rédactrice"' in content for _, content, _ in answers)
    assert any("Une entrée signée" in content for _, content, _ in answers)
