from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_published_comments(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    approved = (
        Comment.objects.filter(article=OuterRef("pk"), status="approved")
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.update(comment_count=Coalesce(Subquery(approved), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_security_policy"),
        ("comments", "0001_initial_comments_blocklist_and_policies"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="comment_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="commentaires publiés"
            ),
        ),
        migrations.RunPython(count_published_comments, migrations.RunPython.noop),
    ]
