from institut.lib.text import search_key


def test_it_gives_one_key_whatever_the_accents_and_case():
    assert search_key("Éloïse MÜLLER") == search_key("eloise muller") == "eloise muller"


def test_it_spells_letters_that_do_not_decompose_as_people_type_them():
    assert search_key("Łukasz Strøm Œdipe Straße") == "lukasz strom oedipe strasse"


def test_it_collapses_spaces_and_keeps_punctuation():
    assert search_key("  Anne-Sophie   d'Aubigné \t") == "anne-sophie d'aubigne"


def test_it_reads_a_missing_name_as_empty():
    assert search_key(None) == ""
