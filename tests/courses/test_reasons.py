"""The fixed reasons of an enrolment's history, recorded as codes and read in the reader's
language; rows from before the codes, and what a person typed, read as stored."""

from __future__ import annotations

import pytest
from django.utils import translation

from courses.models import EnrolmentEvent, EnrolmentStatus
from courses.reasons import ENROLMENT_REASONS, enrolment_reason, reason_text
from courses.services import enrolment_create
from tests.courses.factories import enrol

# One example of each code's parameters.
EXAMPLES = {
    "enrolled": {},
    "lessons_complete": {},
    "checkout_started": {},
    "checkout_restarted": {},
    "abandoned": {},
    "payment_confirmed": {"payment": 12},
    "payment_accepted": {"payment": 12, "note": "Montant vérifié par téléphone."},
    "refunded": {"payment": 12},
    "refunded_completed": {"payment": 12},
    "refund_failed": {"payment": 12},
    "funded": {"source": "employer", "reference": "BC-2026-114", "waiver": ""},
}


def read(reason, language: str) -> str:
    with translation.override(language):
        return reason_text(reason.code, reason.params, reason.stored)


def test_it_has_an_example_of_every_code():
    assert set(EXAMPLES) == set(ENROLMENT_REASONS)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_every_code_reads_in_french_and_in_english(code):
    reason = enrolment_reason(code, **EXAMPLES[code])

    french, english = read(reason, "fr"), read(reason, "en")

    assert french and english and french != english
    assert reason.stored != french


def test_a_payment_confirmed_reads_in_the_readers_language():
    reason = enrolment_reason("payment_confirmed", payment=12)

    assert read(reason, "fr") == "Paiement n° 12 confirmé par Stripe"
    assert read(reason, "en") == "Payment no. 12 confirmed by Stripe"
    assert reason.stored == "payment 12 confirmed by Stripe"  # the row's text, as before


def test_a_refund_that_failed_reads_in_the_readers_language():
    reason = enrolment_reason("refund_failed", payment=7)

    assert read(reason, "fr") == (
        "Remboursement échoué : le paiement n° 7 compte de nouveau comme payé"
    )
    assert read(reason, "en") == "Refund failed: payment no. 7 counts as paid again"
    assert reason.stored == "payment 7 counts as paid again: refund failed"


def test_what_staff_typed_stays_as_typed_inside_the_translated_words():
    reason = enrolment_reason(
        "funded", source="employer", reference="BC-1", waiver="Formée à la méthode en 2019."
    )

    assert read(reason, "fr") == (
        "Inscription financée (Employeur), référence BC-1 ; "
        "prérequis levés : Formée à la méthode en 2019."
    )
    assert read(reason, "en") == (
        "Funded enrolment (Employer), reference BC-1; "
        "prerequisites waived: Formée à la méthode en 2019."
    )
    assert (
        reason.stored
        == "funded (employer) BC-1; prerequisites waived: Formée à la méthode en 2019."
    )


def test_a_funding_without_reference_names_only_who_pays():
    reason = enrolment_reason("funded", source="institut", reference="", waiver="")

    assert read(reason, "fr") == "Inscription financée (L'Institut)"
    assert read(reason, "en") == "Funded enrolment (The Institut)"
    assert reason.stored == "funded (institut)"


def test_the_stored_text_is_cut_to_the_column():
    reason = enrolment_reason("payment_accepted", payment=3, note="x" * 255)

    assert len(reason.stored) == 255
    assert read(reason, "fr").endswith("x" * 255)  # the parameters keep it whole


def test_a_row_without_a_code_reads_as_stored():
    with translation.override("en"):
        assert reason_text("", {}, "payment 12 confirmed by Stripe") == (
            "payment 12 confirmed by Stripe"
        )
        assert reason_text("", None, "Terminée par l'équipe") == "Terminée par l'équipe"


def test_a_code_this_version_does_not_know_reads_as_stored():
    assert reason_text("moved_to_mars", {"payment": 1}, "stored words") == "stored words"
    assert reason_text("payment_confirmed", {}, "stored words") == "stored words"


def test_a_code_is_refused_when_written_without_its_parameters():
    with pytest.raises(KeyError):
        enrolment_reason("payment_confirmed")
    with pytest.raises(KeyError):
        enrolment_reason("no_such_code")


def test_the_services_record_the_code_and_its_parameters(trainee, free_course):
    enrolment = enrolment_create(user=trainee, course=free_course)

    [event] = enrolment.events.all()

    assert (event.reason_code, event.reason_params, event.reason) == ("enrolled", {}, "enrolment")
    with translation.override("fr"):
        assert event.reason_text == "Inscription à la formation"
    with translation.override("en"):
        assert event.reason_text == "Enrolled in the course"


def test_an_old_row_and_a_typed_reason_read_as_stored(trainee, free_course):
    enrolment = enrol(trainee, free_course)
    old = EnrolmentEvent.objects.create(
        enrolment=enrolment,
        to_status=EnrolmentStatus.ACTIVE,
        reason="payment 4 confirmed by Stripe",
    )

    with translation.override("fr"):
        assert old.reason_text == "payment 4 confirmed by Stripe"
