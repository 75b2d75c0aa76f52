from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The newsroom's accounts: roles, two-factor authentication, the security policy."""

    name = "newsroom"
    verbose_name = "Rédaction"
