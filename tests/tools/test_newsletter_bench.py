import contextlib
from collections import Counter

import pytest

from newsletter.models import Delivery, Issue
from tests.newsletter.smtp_sink import RecordingSink
from tools import newsletter_bench as bench

pytestmark = pytest.mark.django_db

CREATED = [f"abonne{n}@banc-essai.example" for n in range(30)]


def deliveries_of_the_bench_issue():
    issue = Issue.objects.get(subject__startswith="Banc d’essai")
    return list(issue.deliveries.select_related("subscriber"))


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
    # What is stored: one delivery for each subscriber the bench created, each sent one
    # stamped, and the figures are those rows.
    deliveries = deliveries_of_the_bench_issue()
    assert sorted(d.subscriber.email for d in deliveries) == sorted(CREATED)
    sent = [d for d in deliveries if d.status == Delivery.Status.SENT]
    assert len(sent) == run["sent"] and all(d.sent_at for d in sent)
    assert {d.status for d in deliveries} <= {Delivery.Status.SENT, Delivery.Status.SKIPPED}


def test_what_the_bench_counts_as_sent_reached_the_smtp_server_once_each(settings, monkeypatch):
    settings.NEWSLETTER_BATCH_SIZE = 7

    @contextlib.contextmanager
    def recording_sink():
        with RecordingSink() as sink:
            recording_sink.sink = sink
            yield sink.port, "enregistreur"

    monkeypatch.setattr(bench, "smtp_sink", recording_sink)

    [run] = bench.run(subscribers=30)["runs"]

    sent = [d.subscriber.email for d in deliveries_of_the_bench_issue() if d.status == "sent"]
    assert run["sent"] == len(sent) > 0
    assert recording_sink.sink.per_recipient() == Counter(sent)
