"""The newsroom's roles as Django groups, with the model permissions each one needs."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

JOURNALISTS = "Rédacteurs"
EDITORS = "Éditeurs"

ROLE_PERMISSIONS = {
    JOURNALISTS: {
        "articles": [
            "add_article",
            "change_article",
            "view_article",
            "view_category",
            "view_authorprofile",
        ],
        "photos": ["add_photo", "change_photo", "view_photo"],
        "taggit": ["add_tag", "view_tag"],
    },
    EDITORS: {
        "articles": [
            "add_article",
            "change_article",
            "delete_article",
            "view_article",
            "add_category",
            "change_category",
            "view_category",
            "add_authorprofile",
            "change_authorprofile",
            "view_authorprofile",
            "change_page",
            "view_page",
            "publish_article",
            "review_article",
            "view_auditevent",
        ],
        "photos": ["add_photo", "change_photo", "delete_photo", "view_photo"],
        "taggit": ["add_tag", "change_tag", "delete_tag", "view_tag"],
        "comments": [
            "view_comment",
            "change_comment",
            "delete_comment",
            "add_blockedword",
            "change_blockedword",
            "delete_blockedword",
            "view_blockedword",
            "add_articlecommentpolicy",
            "change_articlecommentpolicy",
            "delete_articlecommentpolicy",
            "view_articlecommentpolicy",
        ],
        "newsletter": [
            "view_subscriber",
            "change_subscriber",
            "add_issue",
            "change_issue",
            "delete_issue",
            "view_issue",
            "send_issue",
            "view_delivery",
        ],
    },
}


def sync_roles(extra: dict[str, dict[str, list[str]]] | None = None) -> dict[str, Group]:
    """Create the groups and give them exactly the permissions listed (idempotent)."""
    groups = {}
    for name, by_app in ROLE_PERMISSIONS.items():
        wanted = {app: list(codenames) for app, codenames in by_app.items()}
        for app, codenames in (extra or {}).get(name, {}).items():
            wanted.setdefault(app, []).extend(codenames)
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for app, codenames in wanted.items():
            found = Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
            missing = set(codenames) - {p.codename for p in found}
            if missing:
                raise LookupError(f"Permissions inconnues pour {app} : {sorted(missing)}")
            permissions.extend(found)
        group.permissions.set(permissions)
        groups[name] = group
    return groups


def display_name(user) -> str:
    """The name the newsroom knows a member by: their byline, else their account's name."""
    profile = getattr(user, "author_profile", None)
    return profile.display_name if profile else (user.get_full_name() or user.get_username())


# Who is an editor: whoever may review articles, by group, by own permission or as superuser.
# One definition for the rules (workflow, lives, notes, planning) and for who gets editors' mail.
EDITOR_PERMISSION = "review_article"


def is_editor(user) -> bool:
    return user.is_active and user.has_perm(f"articles.{EDITOR_PERMISSION}")


def editors():
    """The active editors, as a queryset of users (the same people `is_editor` accepts)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename=EDITOR_PERMISSION)
            | Q(user_permissions__codename=EDITOR_PERMISSION)
        )
        .distinct()
    )
