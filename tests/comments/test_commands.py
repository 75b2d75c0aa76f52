from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment

from .factories import make_comment

pytestmark = pytest.mark.django_db


def purge(*args):
    out = StringIO()
    call_command("purge_comment_personal_data", *args, stdout=out)
    return out.getvalue()


def test_purge_erases_ip_and_user_agent_of_old_comments_only():
    now = timezone.now()
    old = make_comment(ip="203.0.113.7", user_agent="Firefox", created_at=now - timedelta(days=91))
    recent = make_comment(
        ip="203.0.113.8", user_agent="Chrome", created_at=now - timedelta(days=89)
    )

    assert "1 commentaire(s) de plus de 90 jours" in purge()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip, old.user_agent) == (None, "")
    assert (recent.ip, recent.user_agent) == ("203.0.113.8", "Chrome")
    assert Comment.objects.count() == 2  # The comments themselves stay.


def test_purge_delay_comes_from_settings_or_the_command_line(settings):
    settings.COMMENTS_PERSONAL_DATA_DAYS = 10
    make_comment(ip="203.0.113.7", created_at=timezone.now() - timedelta(days=11))
    make_comment(ip="203.0.113.8", created_at=timezone.now() - timedelta(days=3))

    assert "1 commentaire(s) de plus de 10 jours" in purge()
    assert "1 commentaire(s) de plus de 2 jours" in purge("--days", "2")
    assert not Comment.objects.exclude(ip=None).exists()
