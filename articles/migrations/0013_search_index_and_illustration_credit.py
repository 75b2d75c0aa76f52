"""SQLite's full-text index, and the credit of illustrations.

The index is an FTS5 table kept in step by triggers (articles/fulltext.py). PostgreSQL
already has its own (migration 0003) and gets nothing here. The model only lets a search
join the FTS5 table; Django never creates nor alters it.

A photo's credit may now read « Illustration : … » (its help text says so).
"""

from django.db import migrations, models

from articles import fulltext


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        fulltext.install_sqlite_index(schema_editor.connection)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        fulltext.uninstall_sqlite_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_economie_with_its_accent")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=models.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("match", models.TextField(db_column="articles_article_fts")),
                ("rank", models.FloatField()),
            ],
            options={"db_table": "articles_article_fts", "managed": False},
        ),
        migrations.RunPython(install, uninstall),
        migrations.AlterField(
            model_name="photo",
            name="credit",
            field=models.CharField(
                help_text="Nom du photographe ou de l’agence, sans « © ». Pour un dessin, une "
                "infographie ou une image générée, écrivez « Illustration : » suivi de son "
                "auteur.",
                max_length=120,
                verbose_name="crédit",
            ),
        ),
    ]
