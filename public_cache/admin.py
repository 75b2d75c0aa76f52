"""The admin of what readers see says what each save and delete changed (invalidation.py)."""

from .invalidation import changed, keys_for, refresh


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

    # The keys are named before the delete: a deleted instance has lost its id.
    def delete_model(self, request, obj):
        keys = keys_for(**self.public_change(obj))
        super().delete_model(request, obj)
        refresh(keys)

    def delete_queryset(self, request, queryset):
        keys = set().union(*(keys_for(**self.public_change(obj)) for obj in queryset))
        super().delete_queryset(request, queryset)
        refresh(keys)
