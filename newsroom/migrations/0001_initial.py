# SecurityPolicy moved here from articles/ (where 0006 created its table): the table, its row
# and its content type stay; only Django's idea of its app changes.

from django.db import migrations, models


def adopt_content_types(app_label, models):
    """Give the moved models' content types to their new app, rather than new ones.

    Permissions (and the groups that hold them) and the admin's log point at a content type:
    the same row, relabelled, keeps them all. A fresh database has none yet: nothing to do.
    """

    def forwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        rows = ContentType.objects.using(schema_editor.connection.alias)
        for model in models:
            if not rows.filter(app_label=app_label, model=model).exists():
                rows.filter(app_label="articles", model=model).update(app_label=app_label)

    def backwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        rows = ContentType.objects.using(schema_editor.connection.alias)
        for model in models:
            if not rows.filter(app_label="articles", model=model).exists():
                rows.filter(app_label=app_label, model=model).update(app_label="articles")

    return migrations.RunPython(forwards, backwards)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("articles", "0015_photo_change_history"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SecurityPolicy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('require_two_factor_for_editors', models.BooleanField(default=False, help_text="Les membres du groupe « Éditeurs » saisiront un code de vérification à chaque connexion ; ceux qui n'ont pas encore d'application d'authentification devront l'enregistrer avant d'accéder à toute autre page de l'administration.", verbose_name='Exiger la double authentification pour les éditeurs')),
                        ('require_two_factor_for_journalists', models.BooleanField(default=False, help_text='La même exigence pour les membres du groupe « Rédacteurs ».', verbose_name='Exiger la double authentification pour les rédacteurs')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifiée le')),
                    ],
                    options={
                        'verbose_name': 'politique de sécurité',
                        'verbose_name_plural': 'politique de sécurité',
                        'db_table': 'articles_securitypolicy',
                    },
                ),
            ],
            database_operations=[],
        ),
        adopt_content_types("newsroom", ["securitypolicy"]),
    ]
