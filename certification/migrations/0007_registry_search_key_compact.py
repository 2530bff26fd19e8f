"""The registry's search key now leaves out punctuation and spaces: recompute the stored keys."""

from django.db import migrations

from institut.lib.text import search_key


def recompute_search_keys(apps, schema_editor):
    RegistryProfile = apps.get_model("certification", "RegistryProfile")
    profiles = RegistryProfile.objects.select_related("holder").only("pk", "search_key", "holder__full_name")
    changed = []
    for profile in profiles.iterator(chunk_size=2000):
        key = search_key(profile.holder.full_name)
        if profile.search_key != key:
            profile.search_key = key
            changed.append(profile)
    RegistryProfile.objects.bulk_update(changed, ["search_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_training_hours"),
    ]

    # Going back leaves the compact keys: the older code finds fewer names with them, none wrongly.
    operations = [migrations.RunPython(recompute_search_keys, migrations.RunPython.noop)]
