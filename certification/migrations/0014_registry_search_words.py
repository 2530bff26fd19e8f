"""The registry keeps each name's words apart too, for near matches by trigram word similarity."""

from django.db import migrations, models

from institut.lib.text import search_words

WORDS_INDEX = "registry_search_words_trgm"


def fill_search_words(apps, schema_editor):
    RegistryProfile = apps.get_model("certification", "RegistryProfile")
    profiles = RegistryProfile.objects.select_related("holder").only("pk", "holder__full_name")
    changed = []
    for profile in profiles.iterator(chunk_size=2000):
        profile.search_words = search_words(profile.holder.full_name)
        changed.append(profile)
    RegistryProfile.objects.bulk_update(changed, ["search_words"], batch_size=2000)


def on_postgresql(sql: str):
    """Run this SQL on PostgreSQL only: SQLite has no trigram index (nor near matches)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0013_event_reason_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="registryprofile",
            name="search_words",
            field=models.CharField(blank=True, editable=False, max_length=150),
        ),
        migrations.RunPython(fill_search_words, migrations.RunPython.noop),
        # The trigram index that serves `search_words %> '...'`, the near matches.
        migrations.RunPython(
            on_postgresql(
                f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON certification_registryprofile "
                "USING gin (search_words gin_trgm_ops)"
            ),
            on_postgresql(f"DROP INDEX IF EXISTS {WORDS_INDEX}"),
        ),
    ]
