"""The newsroom's accounts and their security records in the admin, in French.

Loaded by NewsroomAdminConfig.ready() once the libraries have registered their own admins, which
this module adjusts: accounts and groups (permissions named in French, only the newsroom's),
login lockouts (django-axes), authentication apps (django-otp). django-tasks-db's list of task
rows is left out: a newsletter's progress and failures show on its own page.
"""

from axes.admin import AccessAttemptAdmin, IsLockedOutFilter
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from actualites.admin_site import titled
from articles.dates import french_datetime

from .admin import is_superuser

# The permissions worth granting in the newsroom; the others belong to the libraries' plumbing.
PERMISSION_APPS = ["articles", "comments", "newsletter", "taggit", "auth"]
ACTIONS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "consulter"}


def permission_label(permission) -> str:
    """ "Articles — photo : modifier" rather than Django's "articles | photo | Can change photo"."""
    content_type = permission.content_type
    section = apps.get_app_config(content_type.app_label).verbose_name
    model = content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if model is not None and action in ACTIONS and model_name == content_type.model:
        return f"{section} — {model._meta.verbose_name} : {ACTIONS[action]}"
    return f"{section} — {permission.name}"


class FrenchPermissions:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["queryset"] = Permission.objects.filter(
                content_type__app_label__in=PERMISSION_APPS
            ).select_related("content_type")
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = permission_label
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(FrenchPermissions, UserAdmin):
    pass


@admin.register(Group)
class RoleAdmin(FrenchPermissions, GroupAdmin):
    pass


# django-axes: its texts are in locale/, but not this column's heading; « Par bloqué » would
# read badly.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAttemptAdmin(AccessAttemptAdmin):
    list_filter = [
        "attempt_time",
        "path_info",
        titled(IsLockedOutFilter, "blocage"),
    ]

    @admin.display(description="état")
    def status(self, obj):
        return super().status(obj)


# django-otp: superusers see who has an authentication app and remove a lost phone's; each
# person enrols on their own « Double authentification » page, and nobody reads a secret here.
admin.site.unregister(TOTPDevice)
admin.site.unregister(DBTaskResult)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    list_display = ["account", "label", "is_confirmed", "created", "last_used"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name"]
    fields = readonly_fields = list_display

    @admin.display(description="compte", ordering="user__username")
    def account(self, obj):
        return obj.user.get_username()

    @admin.display(description="nom")
    def label(self, obj):
        return obj.name

    @admin.display(description="confirmée", boolean=True)
    def is_confirmed(self, obj):
        return obj.confirmed

    @admin.display(description="enregistrée le", ordering="created_at")
    def created(self, obj):
        return french_datetime(obj.created_at) or "—"

    @admin.display(description="dernier code accepté le", ordering="last_used_at")
    def last_used(self, obj):
        return french_datetime(obj.last_used_at) or "—"

    def has_module_permission(self, request):
        return is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
