import pytest

from tools import newsletter_bench as bench

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("postfix", [True, False], ids=["smtp-sink", "aiosmtpd"])
def test_bench_sends_to_every_created_subscriber_through_a_real_smtp_sink(
    settings, monkeypatch, postfix
):
    if postfix and bench.SMTP_SINK is None:
        pytest.skip("smtp-sink (Postfix) n'est pas installé : aiosmtpd le remplace")
    if not postfix:
        monkeypatch.setattr(bench, "SMTP_SINK", None)
    settings.NEWSLETTER_BATCH_SIZE = 7

    result = bench.run(subscribers=30)

    [run] = result["runs"]
    assert result["sink"] == ("smtp-sink (Postfix)" if postfix else "aiosmtpd")
    assert run["total"] == 30 and run["workers"] == 1
    assert run["sent"] + run["skipped"] == 30
    assert run["messages"] == run["sent"] > 0 and run["failed"] == 0
    assert run["per_second"] > 0 and run["peak_mib"] > 0
