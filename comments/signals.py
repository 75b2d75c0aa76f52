"""Signals other apps may listen to (the page cache will, to refresh article pages at once)."""

from django.dispatch import Signal

# Sent whenever the public state of a comment may have changed: approved, rejected or marked
# as spam by a moderator (admin action, admin form or email link), and when a comment is
# published automatically on posting.
# Arguments: sender=Comment, comment (the Comment, already saved), previous_status (a
# Comment.Status value, or None for a new comment), status (the new Comment.Status value),
# by (the User who moderated, or None).
comment_moderated = Signal()
