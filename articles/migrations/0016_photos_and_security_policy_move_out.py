# Photo and BodyImage now belong to photos/, SecurityPolicy to newsroom/: their tables stay
# where they are, and the foreign keys to articles_photo are unchanged in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0015_photo_change_history"),
        ("photos", "0001_initial"),
        ("newsroom", "0001_initial"),
        # Other apps' foreign keys to the photo follow it first (state only, same table).
        ("live", "0002_photo_from_the_photos_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='articlerevision',
                    name='hero_photo',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='photos.photo', verbose_name='photo principale'),
                ),
                migrations.AlterField(
                    model_name='article',
                    name='hero_photo',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='photos.photo', verbose_name='photo principale'),
                ),
                migrations.AlterField(
                    model_name='authorprofile',
                    name='portrait',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='photos.photo', verbose_name='portrait'),
                ),
                migrations.DeleteModel(
                    name='SecurityPolicy',
                ),
                migrations.DeleteModel(
                    name='BodyImage',
                ),
                migrations.DeleteModel(
                    name='Photo',
                ),
            ],
            database_operations=[],
        ),
    ]
