"""« Economie » becomes « Économie »: the name only, so /rubrique/economie/ keeps working."""

from django.db import migrations


def add_accent(apps, schema_editor):
    Category = apps.get_model("articles", "Category")
    # A section an editor already renamed is left as they wrote it.
    Category.objects.filter(slug="economie", name="Economie").update(name="Économie")


def remove_accent(apps, schema_editor):
    Category = apps.get_model("articles", "Category")
    Category.objects.filter(slug="economie", name="Économie").update(name="Economie")


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_last_editor_and_address_labels")]

    operations = [migrations.RunPython(add_accent, remove_accent)]
