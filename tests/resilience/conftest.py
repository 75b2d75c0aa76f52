import os

import pytest

from .servers import manage


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected once for every gunicorn these tests start (the production
    storage needs its manifest)."""
    folder = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "tests-only-not-a-secret",
        "DATABASE_URL": f"sqlite:///{folder.parent / 'collectstatic.sqlite3'}",
        "STATIC_ROOT": str(folder),
        "LOG_LEVEL": "CRITICAL",
    }
    manage(env, "collectstatic", "--noinput", "-v0")
    return folder
