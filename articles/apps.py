from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import fulltext

        # (The public cache is refreshed by the rules that change what readers see, through
        # public_cache.invalidation.changed(), not by model signals.)

        # SQLite's search index: its triggers call Python functions, registered on every
        # connection, and come back after a migration rebuilt the articles table.
        connection_created.connect(fulltext.on_connection_created, dispatch_uid="fulltext")
        post_migrate.connect(fulltext.on_post_migrate, sender=self, dispatch_uid="fulltext")
