from decimal import Decimal

from institut.lib.money import cents, euros, format_money


def test_it_writes_cents_as_french_euros():
    assert format_money(12000, "EUR", locale="fr") == "120,00\xa0€"


def test_it_writes_cents_as_english_euros():
    assert format_money(12050, "EUR", locale="en") == "€120.50"


def test_it_writes_a_negative_amount_for_a_credit_note():
    assert format_money(-999, "EUR", locale="en") == "-€9.99"


def test_it_reads_typed_euros_as_cents_and_back():
    assert cents(Decimal("120")) == 12000
    assert cents(Decimal("120.50")) == 12050
    assert cents(None) is None
    assert euros(12050) == Decimal("120.50")
    assert euros(None) is None
