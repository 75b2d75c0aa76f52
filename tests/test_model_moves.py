"""Models moved out of articles/ keep their rows: a database made by the code before the move,
with the demo in it, migrated by today's code.

Photo and BodyImage went to photos/, SecurityPolicy to newsroom/ (SeparateDatabaseAndState,
same tables). The old code runs from `git archive` of the commit before the move, in its own
process, on a throw-away database (PostgreSQL when the tests use it, else a SQLite file).
"""

import json
import os
import subprocess
import sys
import tarfile
import urllib.parse
import uuid
from io import BytesIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BEFORE_THE_MOVE = "627738e"

# Run by both codes: what the database holds, named so that the two can be compared.
SNAPSHOT = """
import json
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

photo_app, policy_app = {labels!r}
Article = apps.get_model("articles", "Article")
Revision = apps.get_model("articles", "ArticleRevision")
Author = apps.get_model("articles", "AuthorProfile")
Photo = apps.get_model(photo_app, "Photo")
BodyImage = apps.get_model(photo_app, "BodyImage")
Policy = apps.get_model(policy_app, "SecurityPolicy")
types = {{
    ct.model: [ct.pk, ct.app_label]
    for ct in ContentType.objects.filter(model__in=["photo", "bodyimage", "securitypolicy"])
}}
print(json.dumps({{
    "articles": sorted([a.pk, a.slug, a.hero_photo_id] for a in Article.objects.all()),
    "photos": sorted([p.pk, p.image.name, p.credit, len(p.renditions)] for p in Photo.objects.all()),
    "body_images": sorted([b.pk, b.image.name] for b in BodyImage.objects.all()),
    "revisions": sorted([r.pk, r.article_id, r.hero_photo_id] for r in Revision.objects.all()),
    "portraits": sorted([a.pk, a.portrait_id] for a in Author.objects.all()),
    "policy": [[p.pk, p.require_two_factor_for_editors] for p in Policy.objects.all()],
    "group_permissions": sorted(
        [g.name, p.pk, p.codename, p.content_type.app_label]
        for g in Group.objects.all() for p in g.permissions.all()
    ),
    "log": sorted(
        [e.pk, e.content_type_id, e.object_id, e.get_edited_object().pk]
        for e in LogEntry.objects.all()
    ),
    "content_types": types,
}}))
"""

# Run by the old code after its demo: a body image, a security policy, an author's portrait,
# a revision of each article, and admin log entries for a photo, a body image, the policy and
# an article.
OLD_EXTRAS = """
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from articles.models import Article, AuthorProfile, BodyImage, Photo, SecurityPolicy
from articles.workflow import save_revision

editor = get_user_model().objects.get(username="editeur")
photo = Photo.objects.order_by("pk").first()
body = BodyImage.objects.create(image="editor/ancienne.jpg", width=4, height=3, uploaded_by=editor)
SecurityPolicy(require_two_factor_for_editors=True).save()
AuthorProfile.objects.filter(pk=AuthorProfile.objects.order_by("pk").first().pk).update(
    portrait=photo
)
for article in Article.objects.all():
    save_revision(article, editor)
for obj in (photo, body, SecurityPolicy.current(), Article.objects.order_by("pk").first()):
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=CHANGE,
        change_message="[]",
    )
"""


def _old_tree(destination: Path) -> Path:
    found = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{BEFORE_THE_MOVE}^{{commit}}"],
        capture_output=True,
    )
    if found.returncode != 0:
        pytest.skip(f"le commit {BEFORE_THE_MOVE} n'est pas dans ce dépôt (clone partiel)")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", BEFORE_THE_MOVE],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


@pytest.fixture
def database_url(tmp_path):
    """A throw-away database on the tests' PostgreSQL server, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'moves.sqlite3'}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'actualites'}_moves_{uuid.uuid4().hex[:8]}"
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(tree: Path, env: dict, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _snapshot(tree: Path, env: dict, labels: tuple[str, str]) -> dict:
    out = _manage(tree, env, "shell", "-c", SNAPSHOT.format(labels=labels))
    return json.loads(out.strip().splitlines()[-1])


def test_moved_models_keep_every_row_permission_and_log_entry(tmp_path, database_url):
    old = _old_tree(tmp_path / "avant")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PAGE_CACHE"))},
        "DJANGO_SETTINGS_MODULE": "actualites.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": "tests-only",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    _manage(old, env, "migrate", "--noinput", "-v0")
    _manage(old, env, "load_demo")
    _manage(old, env, "shell", "-c", OLD_EXTRAS)
    before = _snapshot(old, env, ("articles", "articles"))

    # Today's code, as the production image starts: migrate, then the roles.
    production = {**env, "DJANGO_DEBUG": "0", "DJANGO_DEV_TOOLS": "0"}
    _manage(ROOT, production, "migrate", "--noinput", "-v0")
    _manage(ROOT, production, "setup_roles")
    after = _snapshot(ROOT, production, ("photos", "newsroom"))

    assert len(before["articles"]) == 13 and len(before["photos"]) >= 13
    assert before["body_images"] and before["revisions"] and before["policy"] == [[1, True]]
    assert len(before["log"]) == 4
    for rows in ("articles", "photos", "body_images", "revisions", "portraits", "policy", "log"):
        assert after[rows] == before[rows], rows
    # Same content types, relabelled: the log entries and permissions that point at them follow.
    assert after["content_types"] == {
        "photo": [before["content_types"]["photo"][0], "photos"],
        "bodyimage": [before["content_types"]["bodyimage"][0], "photos"],
        "securitypolicy": [before["content_types"]["securitypolicy"][0], "newsroom"],
    }
    moved = {"photo", "bodyimage", "securitypolicy"}
    relabelled = [
        [group, pk, codename, "photos" if codename.endswith("_photo") else app]
        for group, pk, codename, app in before["group_permissions"]
    ]
    assert after["group_permissions"] == relabelled
    assert any(codename == "change_photo" for _, _, codename, _ in after["group_permissions"])
    assert not any(
        app == "articles" and codename.rsplit("_", 1)[-1] in moved
        for _, _, codename, app in after["group_permissions"]
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/articles/photo/7/change/", "/admin/photos/photo/7/change/"),
        ("/admin/articles/photo/?q=AFP", "/admin/photos/photo/?q=AFP"),
        ("/admin/articles/bodyimage/", "/admin/photos/bodyimage/"),
        ("/admin/articles/securitypolicy/1/change/", "/admin/newsroom/securitypolicy/1/change/"),
    ],
)
def test_old_admin_addresses_of_moved_models_lead_to_the_new_ones(client, old, new):
    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new
