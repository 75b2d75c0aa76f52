"""Background work of the comments: emails never slow down a reader's post."""

from django.tasks import task

from . import notices


@task
def notify_moderators() -> int:
    """Send the digest of pending comments not yet announced."""
    return notices.send_pending_digest()


@task
def notify_commenter(comment_id: int) -> bool:
    """Tell a reader their comment is published, if they asked for it."""
    return notices.send_approval_notice(comment_id)
