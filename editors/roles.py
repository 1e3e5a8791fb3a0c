"""The "Editors" group: everything about articles, sources, people and events, nothing about accounts."""

from django.apps import apps as global_apps

EDITORS_GROUP = "Editors"
# Every model of these apps; auth (users, groups) and the admin log stay out.
EDITOR_APPS = ("articles", "entities")


def grant_editor_permissions(apps=global_apps, using="default"):
    """Create the Editors group if needed and give it every permission of ``EDITOR_APPS``.

    ``apps`` is the app registry, or a migration's historical one.  Existing
    permissions of the group are kept; running it again changes nothing.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=EDITOR_APPS)
    group.permissions.add(*permissions)
    return group


def sync_editors_group(sender, using="default", apps=global_apps, **kwargs):
    """``post_migrate`` receiver: auth has just created ``sender``'s permissions."""
    if sender.label in EDITOR_APPS:
        grant_editor_permissions(apps, using)
