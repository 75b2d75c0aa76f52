"""AuditEvent now inherits its common fields from newsroom.audit.AuditRecord, and its French
names use the typographic apostrophe like AlertEvent's and LiveEvent's. Names, choices and
options live only in Django's model state: nothing is sent to the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_photos_and_security_policy_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterModelOptions(
                    name="auditevent",
                    options={
                        "ordering": ["-at", "-pk"],
                        "verbose_name": "événement du journal d’audit",
                        "verbose_name_plural": "journal d’audit",
                    },
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="action",
                    field=models.CharField(
                        choices=[
                            ("publish", "Publication"),
                            ("schedule", "Programmation"),
                            ("unpublish", "Dépublication"),
                            ("restore", "Restauration d’une version"),
                            ("delete", "Suppression"),
                            ("photo", "Modification de sa photo"),
                        ],
                        max_length=20,
                        verbose_name="action",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor_name",
                    field=models.CharField(
                        max_length=150, verbose_name="nom de l’auteur de l’action"
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="article_id",
                    field=models.BigIntegerField(db_index=True, verbose_name="n° de l’article"),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="article_title",
                    field=models.CharField(max_length=200, verbose_name="titre de l’article"),
                ),
            ],
        ),
    ]
