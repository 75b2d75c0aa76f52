"""The seven sections the navigation is built on, and the "Qui sommes-nous ?" page."""

from django.db import migrations

from articles.defaults import ensure_defaults


def create(apps, schema_editor):
    ensure_defaults(apps.get_model("articles", "Category"), apps.get_model("articles", "Page"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
