"""The satisfaction questions a fresh installation starts with (staff edit them afterwards)."""

from django.db import migrations

HOT = [
    ("scale", "Les objectifs de la formation ont-ils été atteints ?",
     "Were the objectives of the course met?"),
    ("scale", "Le contenu correspondait-il à vos attentes ?",
     "Did the content match your expectations?"),
    ("scale", "Comment jugez-vous l'animation du ou de la formateur·rice ?",
     "How would you rate the trainer's facilitation?"),
    ("scale", "L'organisation (convocation, lieu, horaires, accessibilité) vous a-t-elle convenu ?",
     "Did the organisation (convocation, venue, times, accessibility) suit you?"),
    ("scale", "Recommanderiez-vous cette formation ?", "Would you recommend this course?"),
]
COLD = [
    ("scale", "Utilisez-vous dans votre pratique ce que vous avez appris ?",
     "Do you use what you learnt in your practice?"),
    ("scale", "La formation a-t-elle changé votre manière d'accompagner les groupes ?",
     "Has the course changed the way you work with groups?"),
    ("text", "Quelle situation avez-vous abordée autrement grâce à la formation ?",
     "Which situation did you handle differently thanks to the course?"),
]


def create(apps, schema_editor):
    Question = apps.get_model("courses", "SatisfactionQuestion")
    if Question.objects.exists():
        return
    for kind, questions in (("hot", HOT), ("cold", COLD)):
        for position, (answer_type, text, text_en) in enumerate(questions, start=1):
            Question.objects.create(
                kind=kind,
                text=text,
                text_en=text_en,
                answer_type=answer_type,
                required=answer_type == "scale",
                position=position,
            )


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_training")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
