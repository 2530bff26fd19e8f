"""Lesson blocks: the shared library plus exercises, reflection prompts and quizzes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from home.blocks import SIMPLE_RICH_TEXT, BaseStreamBlock


class ExerciseBlock(blocks.StructBlock):
    """A "mise en situation": a concrete situation, what to do with it, and a debrief."""

    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    situation = blocks.RichTextBlock(label=_("Situation"), features=SIMPLE_RICH_TEXT)
    instructions = blocks.RichTextBlock(label=_("Consigne"), features=SIMPLE_RICH_TEXT)
    debrief = blocks.RichTextBlock(
        label=_("Pistes de réflexion"),
        features=SIMPLE_RICH_TEXT,
        required=False,
        help_text=_("Montrées sur demande, après que la personne a réfléchi par elle-même."),
    )

    class Meta:
        icon = "group"
        label = _("Mise en situation")
        template = "blocks/exercise_block.html"


class ReflectionPromptBlock(blocks.StructBlock):
    """A question the trainee answers privately; the answer is saved with the lesson."""

    prompt = blocks.TextBlock(label=_("Question"))
    guidance = blocks.TextBlock(
        label=_("Conseil pour répondre"),
        required=False,
        help_text=_("Facultatif : ce qui peut aider à écrire la réponse."),
    )

    class Meta:
        icon = "edit"
        label = _("Question de réflexion")
        template = "blocks/reflection_prompt_block.html"


class AnswerBlock(blocks.StructBlock):
    """One possible answer to a quiz question, with why it is right or wrong."""

    text = blocks.CharBlock(label=_("Réponse"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Bonne réponse"), required=False)
    explanation = blocks.TextBlock(
        label=_("Explication"),
        help_text=_("Montrée après la réponse : pourquoi cette réponse est juste ou non."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Réponse")


class QuestionBlock(blocks.StructBlock):
    """A quiz question with one or several correct answers."""

    text = blocks.CharBlock(label=_("Question"), max_length=500)
    kind = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[
            ("single", _("Une seule bonne réponse")),
            ("multiple", _("Plusieurs bonnes réponses possibles")),
        ],
        default="single",
    )
    answers = blocks.ListBlock(AnswerBlock(), label=_("Réponses"), min_num=2)

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for answer in value["answers"] if answer["correct"])
        message = None
        if correct == 0:
            message = _("Cochez au moins une bonne réponse.")
        elif value["kind"] == "single" and correct != 1:
            message = _("Une question à réponse unique doit avoir exactement une bonne réponse.")
        if message:
            raise blocks.StructBlockValidationError(
                non_block_errors=ErrorList([ValidationError(message)])
            )
        return value


class QuizBlock(blocks.StructBlock):
    """A scored quiz: questions, a pass mark and an optional limit on attempts."""

    title = blocks.CharBlock(label=_("Titre"), max_length=200, default=_("Quiz"))
    pass_mark = blocks.IntegerBlock(
        label=_("Seuil de réussite (%)"),
        min_value=0,
        max_value=100,
        default=70,
        help_text=_("Part des questions à réussir pour valider le quiz."),
    )
    max_attempts = blocks.IntegerBlock(
        label=_("Nombre maximum de tentatives"),
        min_value=1,
        required=False,
        help_text=_("Laissez vide pour des tentatives illimitées."),
    )
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Quiz")
        template = "blocks/quiz_block.html"


class LessonStreamBlock(BaseStreamBlock):
    """The blocks of a lesson: the shared library plus the learning activities."""

    exercise = ExerciseBlock()
    reflection = ReflectionPromptBlock()
    quiz = QuizBlock()

    class Meta:
        block_counts = {"quiz": {"max_num": 1}, "reflection": {"max_num": 1}}
