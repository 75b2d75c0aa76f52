import pytest

from newsletter import bench

pytestmark = pytest.mark.django_db


def test_bench_sends_to_every_created_subscriber_and_reports_memory(settings):
    settings.MAILERS = {"default": {"BACKEND": "newsletter.bench.SinkBackend"}}
    settings.NEWSLETTER_BATCH_SIZE = 7

    result = bench.run(subscribers=30)

    assert result["total"] == 30
    assert result["sent"] + result["skipped"] == 30
    assert result["messages"] == result["sent"] > 0
    assert result["peak_mib"] > 0
