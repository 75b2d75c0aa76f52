# Photo moved from articles/ to photos/ with its table (photos/migrations/0001_initial.py):
# the foreign key points at the same table, only Django's idea of its model changes. Runs
# before articles/0016 drops articles.Photo from the migration state.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('live', '0001_live_coverage'),
        ('photos', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='liveentry',
                    name='photo',
                    field=models.ForeignKey(blank=True, help_text='Sa légende et son crédit s’affichent sous l’entrée.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='photos.photo', verbose_name='photo'),
                ),
            ],
            database_operations=[],
        ),
    ]
