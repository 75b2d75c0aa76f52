from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db.models import Index
from django_ckeditor_5.fields import CKEditor5Field

from .sanitize import clean_html


class SanitizedRichTextField(CKEditor5Field):
    """Rich text edited with CKEditor 5 and always stored sanitized, whatever path saves it."""

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class SearchVectorColumn(SearchVectorField):
    """A tsvector on PostgreSQL, kept up to date by a trigger; an unused text column elsewhere."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class FullTextIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere a plain index, so that SQLite can migrate."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Index.create_sql(self, model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)
