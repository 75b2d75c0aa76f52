"""The bench's ceilings and what `make bench` computes from its measures."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from articles.models import Article
from comments.models import Comment
from tools.bare.page import PAGE
from tools.ceiling import ceiling
from tools.management.commands.bench import BARE, Command, group_cpu_seconds

ROOT = Path(__file__).resolve().parents[2]

# Run in its own process: the bare project has its own settings module.
BARE_PROJECT = """
import json
from django.conf import settings
from django.test import Client
import django
django.setup()
response = Client().get("/bench/plafond/", HTTP_HOST="127.0.0.1")
print(json.dumps({
    "status": response.status_code,
    "length": len(response.content),
    "headers": dict(response.items()),
    "middleware": settings.MIDDLEWARE,
    "databases": settings.DATABASES,
}))
"""


def test_bare_ceiling_is_django_defaults_without_a_database_serving_30_kb():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", BARE_PROJECT],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tools.bare.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    served = json.loads(result.stdout.strip().splitlines()[-1])

    assert served["status"] == 200
    assert 30_000 <= served["length"] <= 31_000
    # What `django-admin startproject` writes, nothing of ours.
    assert served["middleware"] == [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    # No database: Django's placeholder backend, which refuses every query.
    default = served["databases"].get("default", {})
    assert default.get("ENGINE", "django.db.backends.dummy") == "django.db.backends.dummy"
    assert served["headers"]["X-Frame-Options"] == "DENY"


def test_in_stack_ceiling_serves_the_same_30_kb_through_our_middleware():
    response = ceiling(RequestFactory().get("/bench/plafond/"))

    assert response.content == PAGE
    assert len(PAGE) > 30_000


def test_ratios_are_shares_of_the_mean_bare_ceiling_of_the_same_group():
    rows = [
        {"mode": "cache", "connections": 16, "path": BARE, "rps": 900.0},
        {"mode": "cache", "connections": 16, "path": "/", "rps": 800.0},
        {"mode": "cache", "connections": 16, "path": BARE, "rps": 1100.0},
        {"mode": "cache", "connections": 32, "path": BARE, "rps": 2000.0},
        {"mode": "cache", "connections": 32, "path": "/", "rps": 1000.0},
    ]

    Command.ratios(rows)

    assert [round(r["ratio"]) for r in rows] == [90, 80, 110, 100, 50]


def test_processor_time_of_a_process_group_is_read_from_proc():
    if not os.path.isdir("/proc"):
        pytest.skip("no /proc here")
    before = group_cpu_seconds(os.getpgrp())
    sum(i * i for i in range(2_000_000))
    after = group_cpu_seconds(os.getpgrp())

    assert after > before


@pytest.mark.django_db
def test_bench_changes_publishes_articles_outside_the_hot_articles_rubric(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=30, photos=2, authors=3, tags=10, stdout=StringIO())
    hot = Article.objects.published().order_by("-published_at").first()
    out = StringIO()

    call_command(
        "bench_changes",
        kind="publication",
        count=2,
        every=0,
        away_from=hot.get_absolute_url(),
        stdout=out,
    )

    made = [json.loads(line) for line in out.getvalue().splitlines()[1:]]
    assert len(made) == 2
    for change in made:
        article = Article.objects.get(slug=change["path"].strip("/").rsplit("/", 1)[-1])
        assert article.is_published
        assert article.category_id != hot.category_id


@pytest.mark.django_db
def test_bench_changes_approves_waiting_comments_one_by_one(settings):
    settings.PHOTO_RENDITION_WIDTHS = [480]
    call_command("seed_archive", articles=10, photos=1, authors=2, tags=5, stdout=StringIO())
    hot = Article.objects.published().order_by("-published_at").first()
    out = StringIO()

    call_command(
        "bench_changes",
        kind="comment",
        count=3,
        every=0,
        away_from=hot.get_absolute_url(),
        stdout=out,
    )

    approved = Comment.objects.filter(name="Lecteur du banc", status=Comment.Status.APPROVED)
    assert approved.count() == 3
    assert not approved.filter(article=hot).exists()
