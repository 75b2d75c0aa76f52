from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from .forms import TwoFactorLoginForm
from .models import SecurityPolicy

# Two-factor authentication (newsroom/twofactor.py): the login form asks for the code.
admin.site.login_form = TwoFactorLoginForm


def is_superuser(request):
    return request.user.is_active and request.user.is_superuser


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    """One row, which only superusers see and change, whatever permissions a group holds."""

    fields = ["require_two_factor_for_editors", "require_two_factor_for_journalists", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_module_permission(self, request):
        return is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request):
        return is_superuser(request) and not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        # No list for a single row: straight to its form (the add form until first saved).
        if SecurityPolicy.objects.exists():
            return HttpResponseRedirect(reverse("admin:newsroom_securitypolicy_change", args=[1]))
        return HttpResponseRedirect(reverse("admin:newsroom_securitypolicy_add"))
