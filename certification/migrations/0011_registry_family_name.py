"""The registry is sorted by family name: each profile gets one, proposed from the last word of
its holder's name (the holder corrects it on their registry page), and the key it sorts by."""

from django.db import migrations, models

from institut.lib.text import last_word, search_key


def propose_family_names(apps, schema_editor):
    RegistryProfile = apps.get_model("certification", "RegistryProfile")
    profiles = RegistryProfile.objects.select_related("holder").only(
        "pk", "family_name", "sort_key", "holder__full_name"
    )
    changed = []
    for profile in profiles.iterator(chunk_size=2000):
        profile.family_name = last_word(profile.holder.full_name)[:100]
        profile.sort_key = search_key(profile.family_name)
        changed.append(profile)
    RegistryProfile.objects.bulk_update(changed, ["family_name", "sort_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0010_bounded_scheme_and_charter_text"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="registryprofile",
            options={
                "ordering": ["sort_key", "search_key", "pk"],
                "verbose_name": "fiche du registre",
                "verbose_name_plural": "fiches du registre",
            },
        ),
        migrations.AddField(
            model_name="registryprofile",
            name="family_name",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Le registre est classé par nom de famille. Il doit faire partie de votre nom, "
                    "par exemple « Le Bihan » pour Loïc Le Bihan ; laissé vide, c'est le dernier "
                    "mot de votre nom."
                ),
                max_length=100,
                verbose_name="nom de famille (pour le classement)",
            ),
        ),
        migrations.AddField(
            model_name="registryprofile",
            name="sort_key",
            field=models.CharField(blank=True, editable=False, max_length=150),
        ),
        # Going back drops both columns: nothing else reads them.
        migrations.RunPython(propose_family_names, migrations.RunPython.noop),
    ]
