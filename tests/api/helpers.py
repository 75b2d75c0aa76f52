"""Reading the public API as a client would."""

import json

from django.test import Client


def get_json(client: Client, url: str, status: int = 200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def crawl_articles(client: Client, url: str = "/api/v1/articles/?limit=2") -> list[dict]:
    """Every article of the list, following `next` page after page."""
    items = []
    while url:
        page = get_json(client, url)
        items += page["items"]
        url = page["next"]
    return items
