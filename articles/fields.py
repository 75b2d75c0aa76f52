from django_ckeditor_5.fields import CKEditor5Field

from .sanitize import clean_html


class SanitizedRichTextField(CKEditor5Field):
    """Rich text edited with CKEditor 5 and always stored sanitized, whatever path saves it."""

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
