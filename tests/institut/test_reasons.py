"""The mechanism of fixed reasons (institut.reasons): a code and its parameters, written once,
read in any language; the stored text the same whoever wrote it."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from institut.reasons import Reason, Reasons, Wording, reason_columns

REASONS = Reasons(
    {"expired": Wording(_("La période de validité s'est achevée le %(date)s."))},
    stored_length=20,
)


def test_it_stores_the_french_words_whatever_the_writer_s_language():
    with translation.override("en"):
        reason = REASONS.reason("expired", date="x")

    assert reason.stored == "La période de validi"  # French, cut to the column
    assert reason.params == {"date": "x"}


def test_it_reads_a_code_in_the_reader_s_language_and_a_text_as_stored():
    reason = REASONS.reason("expired", date="x")

    with translation.override("en"):
        assert REASONS.text(reason.code, reason.params, reason.stored) == (
            "The validity period ended on x."
        )
        assert REASONS.text("", {}, "Tapé à la main") == "Tapé à la main"


def test_a_typed_reason_has_no_code_and_a_fixed_one_has_its_columns():
    assert reason_columns("Tapé à la main") == {"reason": "Tapé à la main"}
    assert reason_columns(Reason("expired", {"date": "x"}, "stored")) == {
        "reason": "stored",
        "reason_code": "expired",
        "reason_params": {"date": "x"},
    }
