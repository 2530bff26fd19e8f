"""Quiz scoring and feedback: pure functions over a quiz block's value and the answers given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

Answers = Mapping[str, Sequence[int]]


def normalise_answers(quiz, answers: Mapping) -> dict[str, list[int]]:
    """Answers keyed by question index (as text), each a sorted list of valid answer indexes."""
    result = {}
    for index, question in enumerate(quiz["questions"]):
        chosen = answers.get(str(index), answers.get(index, [])) or []
        if isinstance(chosen, int | str):
            chosen = [chosen]
        valid = sorted({int(c) for c in chosen if str(c).isdigit()})
        result[str(index)] = [c for c in valid if c < len(question["answers"])]
    return result


def correct_indexes(question) -> set[int]:
    return {index for index, answer in enumerate(question["answers"]) if answer["correct"]}


def score(quiz, answers: Answers) -> int:
    """The percent of questions whose chosen answers are exactly the correct ones."""
    questions = list(quiz["questions"])
    if not questions:
        return 0
    right = sum(
        1
        for index, question in enumerate(questions)
        if set(answers.get(str(index), [])) == correct_indexes(question)
    )
    return round(100 * right / len(questions))


def passed(quiz, points: int) -> bool:
    return points >= int(quiz["pass_mark"] or 0)


def feedback(quiz, answers: Answers, *, reveal: bool) -> list[dict]:
    """Per question: whether it was right, and each answer with its explanation when shown.

    The explanations of the answers the trainee chose are always shown; with `reveal` (quiz
    passed or no attempt left) every answer's explanation and the correct answers are shown too,
    the correct answers the trainee did not tick marked as missed. Before that, only how many
    correct answers were missed is said, not which.
    """
    results = []
    for index, question in enumerate(quiz["questions"]):
        chosen = set(answers.get(str(index), []))
        correct = correct_indexes(question)
        results.append(
            {
                "text": question["text"],
                "right": chosen == correct,
                "missed_count": len(correct - chosen),
                "revealed": reveal,
                "answers": [
                    {
                        "text": answer["text"],
                        "chosen": position in chosen,
                        "missed": reveal and position in correct - chosen,
                        "correct": answer["correct"] if (reveal or position in chosen) else None,
                        "explanation": answer["explanation"]
                        if (reveal or position in chosen)
                        else "",
                    }
                    for position, answer in enumerate(question["answers"])
                ],
            }
        )
    return results


def answers_text(quiz, answers: Mapping) -> str:
    """The answers given, as the trainee read them: each question, then the answers chosen on
    lines of their own (« → Un conflit constructif », a no-break space after the arrow), a
    blank line between questions. Without the quiz (the lesson is gone), or for a question or
    an answer it no longer has, their numbers stand in."""
    questions = list(quiz["questions"]) if quiz else []

    def item(texts: list, position, name: str) -> str:
        """The text at `position`, else « Question 2 » or « réponse 1 »."""
        if isinstance(position, int) and 0 <= position < len(texts):
            return texts[position]["text"]
        number = int(position) + 1 if str(position).isdigit() else position
        return name % {"number": number}

    parts = []
    for key in sorted(answers, key=lambda key: int(key) if str(key).isdigit() else len(answers)):
        index = int(key) if str(key).isdigit() else key
        question = questions[index] if isinstance(index, int) and index < len(questions) else None
        chosen = [
            item(question["answers"] if question else [], position, _("réponse %(number)s"))
            for position in answers[key] or []
        ]
        text = item(questions, index, _("Question %(number)s"))
        parts.append(
            "\n".join([text, *(f"→\xa0{answer}" for answer in chosen or [_("sans réponse")])])
        )
    return "\n\n".join(parts)
