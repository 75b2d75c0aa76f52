# Photo and BodyImage moved here from articles/ (where 0001 and 0010 created their tables):
# the tables, rows and content types stay; only Django's idea of their app changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import photos.models


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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BodyImage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.ImageField(height_field='height', upload_to='editor/', verbose_name='image', width_field='width')),
                        ('width', models.PositiveIntegerField(default=0, editable=False, verbose_name='largeur')),
                        ('height', models.PositiveIntegerField(default=0, editable=False, verbose_name='hauteur')),
                        ('renditions', models.JSONField(blank=True, default=list, editable=False, verbose_name='déclinaisons')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='téléversée le')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='téléversée par')),
                    ],
                    options={
                        'verbose_name': 'image du texte',
                        'verbose_name_plural': 'images du texte',
                        'db_table': 'articles_bodyimage',
                        'ordering': ['-uploaded_at'],
                    },
                    bases=(photos.models.Responsive, models.Model),
                ),
                migrations.CreateModel(
                    name='Photo',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.ImageField(height_field='height', upload_to='photos/', verbose_name='image', width_field='width')),
                        ('width', models.PositiveIntegerField(default=0, editable=False, verbose_name='largeur')),
                        ('height', models.PositiveIntegerField(default=0, editable=False, verbose_name='hauteur')),
                        ('caption', models.CharField(blank=True, max_length=300, verbose_name='légende')),
                        ('credit', models.CharField(help_text='Nom du photographe ou de l’agence, sans « © ». Pour un dessin, une infographie ou une image générée, écrivez « Illustration : » suivi de son auteur.', max_length=120, verbose_name='crédit')),
                        ('alt_text', models.CharField(help_text='Ce que montre la photo, pour les lecteurs qui ne la voient pas.', max_length=250, verbose_name='texte alternatif')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='téléversée le')),
                        ('renditions', models.JSONField(blank=True, default=list, editable=False, verbose_name='déclinaisons')),
                        ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='téléversée par')),
                    ],
                    options={
                        'verbose_name': 'photo',
                        'verbose_name_plural': 'photos',
                        'db_table': 'articles_photo',
                        'ordering': ['-uploaded_at'],
                    },
                    bases=(photos.models.Responsive, models.Model),
                ),
            ],
            database_operations=[],
        ),
        adopt_content_types("photos", ["photo", "bodyimage"]),
    ]
