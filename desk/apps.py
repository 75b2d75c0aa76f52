from django.apps import AppConfig


class DeskConfig(AppConfig):
    """« Mon bureau », the admin's home page: what waits for each member of the newsroom."""

    name = "desk"
    verbose_name = "Mon bureau"
