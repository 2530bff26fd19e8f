from institut.lib.money import format_money


def test_it_writes_cents_as_french_euros():
    assert format_money(12000, "EUR", locale="fr") == "120,00\xa0€"


def test_it_writes_cents_as_english_euros():
    assert format_money(12050, "EUR", locale="en") == "€120.50"


def test_it_writes_a_negative_amount_for_a_credit_note():
    assert format_money(-999, "EUR", locale="en") == "-€9.99"
