"""Course modules become translatable: each has the locale of its course and, as translation key,
the key its lessons already point at (shared by a course and its translations)."""

import django.db.models.deletion
import uuid
from django.db import migrations, models


def fill(apps, schema_editor):
    CourseModule = apps.get_model("courses", "CourseModule")
    for module in CourseModule.objects.select_related("page"):
        module.locale_id = module.page.locale_id
        module.translation_key = module.key
        module.save(update_fields=["locale", "translation_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_stripe_edges"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="coursemodule",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="coursemodule",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="coursemodule",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="coursemodule",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="coursemodule",
            unique_together={("translation_key", "locale")},
        ),
    ]
