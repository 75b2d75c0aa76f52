"""The admin of what readers see says what each save and delete changed (invalidation.py)."""

from .invalidation import changed


class RefreshesPublicPages:
    """For a ModelAdmin: after each save (form, list edits) and each delete, `changed()` is
    told what this object shows on the public site, as `public_change()` names it."""

    def public_change(self, obj) -> dict:
        """Arguments of changed() for this object, e.g. {"category": obj}."""
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        # After save_model and the many-to-many fields: what readers will see is all saved.
        super().save_related(request, form, formsets, change)
        changed(**self.public_change(form.instance))

    def delete_model(self, request, obj):
        what = self.public_change(obj)
        super().delete_model(request, obj)
        changed(**what)

    def delete_queryset(self, request, queryset):
        whats = [self.public_change(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        for what in whats:
            changed(**what)
