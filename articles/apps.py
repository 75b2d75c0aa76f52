from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
        from taggit.models import Tag, TaggedItem

        from comments.models import ArticleCommentPolicy, Comment
        from photos.models import Photo
        from public_cache import pagecache

        from . import fulltext
        from .models import Article, AuthorProfile, Category, Page

        # Anything a public page shows makes every cached page stale when it changes.
        shown = (Article, Category, Page, Photo, AuthorProfile, Tag, TaggedItem)
        for model in (*shown, ArticleCommentPolicy):
            post_save.connect(pagecache.bump, sender=model, dispatch_uid=f"pagecache-save-{model}")
            post_delete.connect(
                pagecache.bump, sender=model, dispatch_uid=f"pagecache-delete-{model}"
            )
        from comments.signals import comment_moderated

        # A comment shown or hidden changes its article page and the counts in listings.
        comment_moderated.connect(pagecache.bump_for_comments, dispatch_uid="pagecache-comments")

        def published_comment_changed(sender, instance, **kwargs):
            # A published comment edited or deleted in the admin; pending ones show nowhere.
            if instance.status == Comment.Status.APPROVED:
                pagecache.bump_for_comments()

        for signal in (post_save, post_delete):
            signal.connect(
                published_comment_changed,
                sender=Comment,
                weak=False,
                dispatch_uid=f"pagecache-comment-{signal is post_save}",
            )
        m2m_changed.connect(
            pagecache.bump, sender=Article.authors.through, dispatch_uid="pagecache-authors"
        )

        # SQLite's search index: its triggers call Python functions, registered on every
        # connection, and come back after a migration rebuilt the articles table.
        connection_created.connect(fulltext.on_connection_created, dispatch_uid="fulltext")
        post_migrate.connect(fulltext.on_post_migrate, sender=self, dispatch_uid="fulltext")
