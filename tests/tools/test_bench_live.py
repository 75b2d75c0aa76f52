import json
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from live.models import Live

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_live_polls_a_live_while_entries_are_posted_and_sees_each_of_them(
    live_server, settings
):
    settings.PAGE_CACHE_ENABLED = True
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=5, photos=1, authors=1, tags=3, stdout=StringIO())
    port = urlsplit(live_server.url).port
    out = StringIO()

    call_command("bench_live", port=port, duration=3, connections=2, every=1, stdout=out)

    result = json.loads(out.getvalue())
    live = Live.objects.get()
    assert result["path"] == f"/direct/{live.pk}/entrees.json"
    assert result["requests"] > 0 and result["errors"] == 0
    assert result["posted"] >= 2
    assert result["seen"] == result["posted"]
    # Between two entries, pollers are told « nothing changed ».
    assert 0 < result["not_modified"] < result["requests"]
    assert live.entries.published().count() == 500 + result["posted"]
