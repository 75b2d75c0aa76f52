from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Development tools: demo content, archive seeding and the benchmark (`make bench`).

    Installed only with DEBUG on or DJANGO_DEV_TOOLS=1 (actualites/settings.py): the production
    image, DEBUG off, never loads them.
    """

    name = "tools"
    verbose_name = "Outils de développement"
