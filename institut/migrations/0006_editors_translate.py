"""Editors (équipe pédagogique) may submit pages for translation with wagtail-localize."""

from django.db import migrations

EDITOR = "Équipe pédagogique"


def allow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    ).first()
    group = Group.objects.filter(name=EDITOR).first()
    if permission is not None and group is not None:
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("institut", "0005_notifications"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(allow, migrations.RunPython.noop)]
