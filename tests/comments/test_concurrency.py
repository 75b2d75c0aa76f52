from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import make_article, make_editor

from .factories import comment_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrency is proven on PostgreSQL (set DATABASE_URL): SQLite serialises writers "
            "behind one file lock, so parallel posts there prove nothing."
        )


def test_fifty_comments_posted_in_parallel_are_all_stored_and_announced_once(mailoutbox):
    editor = make_editor(email="editeur@example.org")
    article = make_article()
    url = reverse("comments:post", args=[article.pk])
    forms = [
        comment_data(article, email=f"lecteur{i}@example.org", text=f"Avis numéro {i}")
        for i in range(50)
    ]

    def send(i):
        try:
            response = Client().post(url, forms[i], REMOTE_ADDR=f"198.51.100.{i + 1}")
            return response.status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(send, range(50)))

    assert statuses == [302] * 50
    assert sorted(Comment.objects.values_list("text", flat=True)) == sorted(
        f"Avis numéro {i}" for i in range(50)
    )
    assert not Comment.objects.filter(notified_at=None).exists()
    # Digests ran concurrently, yet each comment reached the editor exactly once.
    to_editor = "".join(m.body for m in mailoutbox if m.to == [editor.email])
    for i in range(50):
        assert to_editor.count(f"Avis numéro {i}\n") == 1, i
