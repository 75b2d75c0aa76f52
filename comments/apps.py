from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Commentaires"

    def ready(self):
        from django.db.models.signals import post_delete

        from .models import Comment
        from .moderation import comment_deleted

        post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="comment-count-delete")
