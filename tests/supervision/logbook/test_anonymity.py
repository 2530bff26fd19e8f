"""The logbook's e-mail and phone detector: what it refuses, and that it reads in linear time."""

from __future__ import annotations

import re
import time

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from supervision.logbook.models import EMAIL_PATTERN, PHONE_PATTERN, validate_anonymous

# The patterns as they were before they were made linear: the reference of what is refused.
QUADRATIC_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
QUADRATIC_PHONE = re.compile(r"(?:\+\d{1,3}[\s.\-]?|\b)\d(?:[\s.\-]?\d){8,}")

# Short texts made of what matters to the patterns: word characters, digits, separators.
texts = st.text(alphabet=list("aZé19 \n.+-_@()[]tAT"), max_size=40)


@hypothesis_settings(max_examples=3000, deadline=None)
@given(text=texts)
def test_it_refuses_exactly_what_the_former_patterns_refused(text):
    assert bool(EMAIL_PATTERN.search(text)) == bool(QUADRATIC_EMAIL.search(text))
    assert bool(PHONE_PATTERN.search(text)) == bool(QUADRATIC_PHONE.search(text))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Écrire à paul.durand@mairie.fr", "contains_email"),
        ("Contact : a.b @ c.org", "contains_email"),
        ("Contact : claire (at) ecole.fr", "contains_email"),
        ("Contact : claire [AT] ecole.fr", "contains_email"),
        ("Joindre le 06.12.34.56.78 demain", "contains_phone"),
        ("Appel au +33 6 12 34 56 78", "contains_phone"),
        ("Rappeler le 0612345678", "contains_phone"),
    ],
)
def test_it_refuses_an_address_or_a_number(text, code):
    with pytest.raises(ValidationError) as refusal:
        validate_anonymous(text)
    assert refusal.value.code == code


@pytest.mark.parametrize(
    "text",
    [
        "Réunion à 14 h 30 avec 12 habitants, 3 agents et la directrice @ l'école.",
        "Atelier du 12.03.2026, deux heures, salle 101.",
        "Les sous-groupes (at least three) ont travaillé sur le contrat.",
    ],
)
def test_it_accepts_an_anonymous_description(text):
    validate_anonymous(text)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "a." * 500_000,
        "a-" * 500_000,
        "a @ " * 250_000,
        "a@" + " " * 1_000_000,
        "a" + " " * 1_000_000 + "@",
        "1 " * 500_000,
        "12345678 " * 110_000,
    ],
    ids=["word", "dots", "dashes", "ats", "spaces-after", "spaces-before", "digits", "eights"],
)
def test_it_reads_a_megabyte_of_adversarial_text_in_linear_time(text):
    # The former e-mail pattern took about 30 s on 40 KB of "a" (it was quadratic); a linear
    # one reads a megabyte in a fraction of a second. The bound is loose for a busy machine.
    started = time.perf_counter()
    EMAIL_PATTERN.search(text)
    PHONE_PATTERN.search(text)
    assert time.perf_counter() - started < 3


@pytest.fixture
def detector_calls(monkeypatch):
    """Every text the entry form's detector is asked to read (the detector still runs)."""
    from supervision.logbook.forms import PracticeEntryForm

    calls: list[str] = []

    def spy(value):
        calls.append(value)
        validate_anonymous(value)

    for name in ("description", "reflection"):
        field = PracticeEntryForm.base_fields[name]
        validators = [spy if v is validate_anonymous else v for v in field.validators]
        assert spy in validators
        monkeypatch.setattr(field, "validators", validators)
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["description", "reflection"])
def test_it_never_lets_over_long_text_reach_the_detector(detector_calls, name):
    from supervision.logbook.forms import PracticeEntryForm
    from tests.supervision.logbook.helpers import form_post

    huge = "Écrire à paul.durand@mairie.fr " * 7_000  # 217 KB, with an address to find
    form = PracticeEntryForm(data=form_post(**{name: huge}))

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()[name]] == ["max_length"]
    assert huge.strip() not in detector_calls


@pytest.mark.django_db
def test_it_still_runs_the_detector_on_text_of_allowed_length(detector_calls):
    from supervision.logbook.forms import PracticeEntryForm
    from tests.supervision.logbook.helpers import form_post

    form = PracticeEntryForm(data=form_post(reflection="Écrire à paul.durand@mairie.fr"))

    assert not form.is_valid()
    assert form.errors.as_data()["reflection"][0].code == "contains_email"
    assert "Écrire à paul.durand@mairie.fr" in detector_calls
