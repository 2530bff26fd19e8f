import pytest

from institut.lib.references import (
    ALPHABET,
    MAX_TYPED_LENGTH,
    new_reference,
    normalise_reference,
    random_code,
    reference_pattern,
)


def test_it_leaves_out_characters_that_read_alike():
    assert not set("01ILO") & set(ALPHABET)


def test_it_draws_codes_from_the_alphabet_only():
    codes = {random_code() for _ in range(200)}
    assert all(len(code) == 6 and set(code) <= set(ALPHABET) for code in codes)
    assert len(codes) > 190  # random, not a counter


def test_it_makes_numbers_of_the_written_form():
    number = new_reference("ATT", 2027)
    assert number.startswith("ATT-2027-")
    assert reference_pattern("ATT").match(number)
    assert not reference_pattern("TST").match(number)


@pytest.mark.parametrize(
    "typed", ["att 2027 7k3m9q", " ATT\u20132027\u20137K3M9Q ", "att.2027.7k3m9q"]
)
def test_it_reads_back_a_typed_number(typed):
    assert normalise_reference(typed, "ATT") == "ATT-2027-7K3M9Q"


@pytest.mark.parametrize(
    "typed",
    [None, "ATT-2027-7K3M9", "ATT-2027-7K3M9L", "TST-2027-7K3M9Q", "A" * (MAX_TYPED_LENGTH + 1)],
)
def test_it_refuses_what_is_not_a_number(typed):
    assert normalise_reference(typed, "ATT") is None
