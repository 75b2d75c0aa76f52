"""Tags stored with an empty slug (a name of punctuation only) or one holding "/" had no page
address, and every page linking them failed: give each a slug an address can hold."""

from django.db import migrations
from django.utils.text import slugify


def give_tags_an_address(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    for tag in Tag.objects.filter(slug="") | Tag.objects.filter(slug__contains="/"):
        slug = slugify(tag.name, allow_unicode=True) or f"mot-cle-{tag.pk}"
        if Tag.objects.filter(slug=slug).exclude(pk=tag.pk).exists():
            slug = f"{slug}-{tag.pk}"
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_search_index_and_illustration_credit"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(give_tags_an_address, migrations.RunPython.noop)]
