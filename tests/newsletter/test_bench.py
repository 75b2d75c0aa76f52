import pytest

from newsletter import bench

pytestmark = pytest.mark.django_db


def test_bench_sends_to_every_created_subscriber_through_a_real_smtp_sink(settings):
    settings.NEWSLETTER_BATCH_SIZE = 7

    result = bench.run(subscribers=30)

    [run] = result["runs"]
    assert result["sink"] in {"smtp-sink (Postfix)", "aiosmtpd"}
    assert run["total"] == 30 and run["workers"] == 1
    assert run["sent"] + run["skipped"] == 30
    assert run["messages"] == run["sent"] > 0 and run["failed"] == 0
    assert run["per_second"] > 0 and run["peak_mib"] > 0
