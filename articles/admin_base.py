from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):
    """Records that only code writes (audit trail, deliveries): readable, never editable."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
