from django.apps import AppConfig
from taggit.apps import TaggitAppConfig


class ArticlesConfig(AppConfig):
    default = True  # This module holds two configs: this one is the articles app's.
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from taggit.models import TaggedItem

        from . import pagecache
        from .models import Article, AuthorProfile, Category, Page, Photo

        # Anything a public page shows makes every cached page stale when it changes.
        for model in (Article, Category, Page, Photo, AuthorProfile, TaggedItem):
            post_save.connect(pagecache.bump, sender=model, dispatch_uid=f"pagecache-save-{model}")
            post_delete.connect(
                pagecache.bump, sender=model, dispatch_uid=f"pagecache-delete-{model}"
            )
        from comments.signals import comment_moderated

        # A comment shown or hidden changes its article page and the counts in listings.
        comment_moderated.connect(pagecache.bump_for_comments, dispatch_uid="pagecache-comments")
        m2m_changed.connect(
            pagecache.bump, sender=Article.authors.through, dispatch_uid="pagecache-authors"
        )


class TagsConfig(TaggitAppConfig):
    """django-taggit, named in French on the admin's dashboard."""

    default = False
    verbose_name = "Mots-clés"
