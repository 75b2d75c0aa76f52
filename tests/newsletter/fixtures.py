import importlib

import pytest
from django.apps import apps


@pytest.fixture(scope="module")
def restore_migrated_rows(django_db_blocker):
    """Put back the rows migrations create, which transactional tests flush away.

    Module-scoped so that it runs after the last test's flush; later tests (the demo loader,
    for one) expect the migrated categories and "about" page.
    """
    yield
    migration = importlib.import_module("articles.migrations.0002_categories_and_about_page")
    with django_db_blocker.unblock():
        migration.create(apps, None)
