"""The seven steps of the Thérapie Sociale TST® intervention process: the competency framework."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    """A step of the method; courses, practice hours and assessments are tagged with these codes."""

    CONFIANCE = "confiance", _("Inspirer confiance")
    CONTRAT = "contrat", _("Faire un contrat commun")
    SOUS_GROUPES = "sous_groupes", _("Calmer les peurs en sous-groupes hétérogènes")
    CONFLITS = "conflits", _("Créer des espaces de conflits constructifs")
    INFORMATIONS = "informations", _("Faire circuler les informations")
    INTELLIGENCE = "intelligence", _("Construire l'intelligence collective")
    SOLUTIONS = "solutions", _("Résoudre les problèmes complexes")


STEP_SUMMARIES = {
    Step.CONFIANCE: _(
        "Se placer au service de toutes les parties, fixer avec elles un but atteignable et "
        "garantir un cadre sûr, participatif et confidentiel."
    ),
    Step.CONTRAT: _(
        "Entendre les besoins réels, y compris les doutes et la méfiance, puis s'accorder "
        "explicitement sur l'objectif commun."
    ),
    Step.SOUS_GROUPES: _(
        "Réunir en petits groupes mêlés des personnes qui se côtoient peu, pour faire baisser "
        "préjugés et craintes."
    ),
    Step.CONFLITS: _(
        "Laisser émerger les désaccords dans un cadre qui permet de les traverser plutôt que de "
        "les étouffer."
    ),
    Step.INFORMATIONS: _(
        "Partager ce qui éclaire les blocages, pour que les responsabilités soient vues comme "
        "partagées et les décisions prises ensemble."
    ),
    Step.INTELLIGENCE: _(
        "Par des mises en situation, permettre à chacun de dire sa réalité et au groupe de "
        "comprendre les causes de ses difficultés."
    ),
    Step.SOLUTIONS: _(
        "Accompagner le groupe jusqu'à des réponses réalistes et inventives à des problèmes "
        "complexes."
    ),
}


def steps_with_summaries() -> list[dict]:
    """The seven steps in order, with their number, code, name and summary."""
    return [
        {"number": index, "code": step.value, "label": step.label, "summary": STEP_SUMMARIES[step]}
        for index, step in enumerate(Step, start=1)
    ]
