"""Give the `admins` group (Cognito moderators, mirrored into Django) the content permissions.

Managing Cognito users stays with superusers and whoever is granted it explicitly.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_PERMISSIONS = ("moderate_photo", "moderate_comment", "revoke_sharelink")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; they are needed now.
    app_config = apps.get_app_config("moderation")
    app_config.models_module = True  # the migration state's stub lacks it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="admins")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="moderation", codename__in=CONTENT_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="admins").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="moderation", codename__in=CONTENT_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
