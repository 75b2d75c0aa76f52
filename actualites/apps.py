"""The admin site's configuration, and French names for the libraries' sections of the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig
from django_tasks_db.apps import TasksAppConfig
from taggit.apps import TaggitAppConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with our site (actualites/admin_site.py) as `admin.site`."""

    default_site = "actualites.admin_site.NewsroomAdminSite"

    def ready(self):
        super().ready()  # Every app's admin module, the libraries' included.
        # The newsroom's accounts and security records, adjusting the libraries' admins.
        from newsroom import admin_staff  # noqa: F401


class TagsConfig(TaggitAppConfig):
    default = False
    verbose_name = "Mots-clés"


class LoginLockoutConfig(AxesAppConfig):
    default = False
    verbose_name = "Blocage des connexions"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        from articles.dates import french_datetime

        # The records' names show in the admin's titles and lists; the library writes English.
        AccessAttempt.__str__ = lambda record: (
            f"Tentatives de {record.username} depuis {record.ip_address}"
        )
        AccessLog.__str__ = lambda record: (
            f"Connexion de {record.username} le {french_datetime(record.attempt_time)}"
        )
        AccessFailureLog.__str__ = lambda record: (
            f"Échec de connexion de {record.username} le {french_datetime(record.attempt_time)}"
        )


class TwoFactorDevicesConfig(TOTPConfig):
    default = False
    verbose_name = "Double authentification"

    def ready(self):
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # The library names its model in English, without translation; these are display
        # names only (migrations read the declared Meta, which stays the library's).
        TOTPDevice._meta.verbose_name = "application d’authentification"
        TOTPDevice._meta.verbose_name_plural = "applications d’authentification"


class BackgroundTasksConfig(TasksAppConfig):
    default = False
    verbose_name = "Tâches de fond"
