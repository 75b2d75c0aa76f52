import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def test_healthz_reports_a_reachable_migrated_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_migrations_are_pending(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["pending_migrations"] == 1


def test_every_response_carries_a_request_id(client):
    generated = client.get(reverse("articles:home"))["X-Request-ID"]
    assert len(generated) == 32
    kept = client.get(reverse("articles:home"), headers={"x-request-id": "abc-123"})
    assert kept["X-Request-ID"] == "abc-123"
    forged = client.get(reverse("articles:home"), headers={"x-request-id": "a\nb<script>"})
    assert forged["X-Request-ID"] != "a\nb<script>"


def test_log_lines_are_json_with_the_request_id(client, settings):
    from actualites.logging import JsonFormatter, RequestIdFilter, request_id_var

    token = request_id_var.set("req-42")
    try:
        record = logging.LogRecord("demo", logging.ERROR, __file__, 1, "Échec %s", ("x",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-42"
    assert line["message"] == "Échec x"
    assert line["level"] == "ERROR"


def login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_repeated_failed_logins_lock_that_username_from_that_address(client, settings):
    make_user(username="redac", is_staff=True, password="Bon-mot-de-passe-42")
    make_user(username="collegue", is_staff=True, password="Autre-mot-de-passe-42")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "redac", "mauvais").status_code == 200
    assert login(client, "redac", "mauvais").status_code == 429

    locked = login(client, "redac", "Bon-mot-de-passe-42")

    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()
    assert "réessayez dans 30 minutes" in locked.content.decode()
    # A colleague behind the same newsroom address is not locked out.
    assert login(client, "collegue", "Autre-mot-de-passe-42").status_code == 302


def test_production_settings_pass_the_deployment_checklist():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 20 + "Q9!x" * 10 + "production-like-secret-value",
        "DJANGO_ALLOWED_HOSTS": "www.actualites-express.example",
        "SMTP_HOST": "smtp.example.org",
        "DJANGO_HSTS_PRELOAD": "1",
    }
    env.pop("DJANGO_SECURE_SSL_REDIRECT", None)
    env.pop("DJANGO_SECURE_COOKIES", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_in_production_is_an_error():
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY est obligatoire" in result.stderr


def test_login_lockouts_are_logged_without_username_or_address(client, settings, caplog):
    make_user(username="plume@redaction.example", is_staff=True, password="Bon-mot-de-passe-42")
    with caplog.at_level(logging.DEBUG):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            login(client, "plume@redaction.example", "mauvais")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "AXES" in logged
    assert "plume@redaction.example" not in logged
    assert "203.0.113.7" not in logged


def test_a_refused_permission_logs_one_line_without_traceback(client, caplog):
    from tests.factories import make_article, make_journalist

    other = make_article(status="draft", published_at=None)
    client.force_login(make_journalist())

    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get(reverse("admin:articles_article_change", args=[other.pk]))

    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == [
        f"Forbidden (Permission denied): /admin/articles/article/{other.pk}/change/"
    ]
    assert records[0].exc_info is None
    formatted = logging.getLogger().handlers[0].format(records[0])
    assert "Traceback" not in formatted and "\n" not in formatted


def test_django_log_lines_reach_one_console_handler_only(settings):
    """Django's own debug-mode console handler is dropped: no line is printed twice."""
    from django.utils.log import configure_logging

    settings.DEBUG = True
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)

    handlers, logger = [], logging.getLogger("django.request")
    while logger is not None:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    assert len(handlers) == 1
