import pytest
from django.core.management import call_command

from live.models import Live, LiveEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_rendition_width(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]


def test_the_demo_has_a_live_in_progress_on_the_summit_loaded_once(settings, client):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))

    live = Live.objects.get()
    assert live.is_running and "Alaska" in live.article.title
    assert live.article.is_published
    assert list(live.writers.values_list("username", flat=True)) == ["journaliste"]
    entries = live.entries.published()
    assert entries.count() == LiveEntry.objects.count() >= 8
    assert live.entries.key_moments().count() >= 3
    words = " ".join(f"{title} {body}" for title, body in entries.values_list("title", "body"))
    for fact in ("Elmendorf-Richardson", "Lavrov", "Anchorage", "constructive"):
        assert fact in words
    assert len(live.summary_points) == 4

    html = client.get(live.article.get_absolute_url()).content.decode()
    assert "L’essentiel" in html and html.count('class="live-entry') >= entries.count()
    home = client.get("/").content.decode()
    assert '<span class="badge-live">En direct</span>' in home
