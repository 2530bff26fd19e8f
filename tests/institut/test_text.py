from institut.lib.text import fold, last_word, search_key, search_words


def test_it_gives_one_key_whatever_the_accents_and_case():
    assert search_key("Éloïse MÜLLER") == search_key("eloise muller") == "eloisemuller"


def test_it_spells_letters_that_do_not_decompose_as_people_type_them():
    assert search_key("Łukasz Strøm Œdipe Straße") == "lukaszstromoedipestrasse"


def test_it_ignores_apostrophes_hyphens_and_spaces_between_name_parts():
    expected = "annesophiedaubigne"
    assert search_key("  Anne-Sophie   d'Aubigné \t") == expected
    assert search_key("anne sophie daubigne") == expected
    assert search_key("Anne\u2013Sophie d\u2019Aubigné.") == expected
    assert search_key("annesophie d aubigne") == expected


def test_it_folds_names_keeping_their_punctuation_for_slugs():
    assert fold("  Anne-Sophie   d'Aubigné \t") == "anne-sophie d'aubigne"


def test_it_reads_a_missing_name_as_empty():
    assert search_key(None) == ""
    assert fold(None) == ""


def test_it_takes_the_last_word_of_a_name_as_its_family_name_guess():
    assert last_word("  Anne-Sophie   d'Aubigné \t") == "d'Aubigné"
    assert last_word("Zoé") == "Zoé"
    assert last_word("") == last_word(None) == ""


def test_it_keeps_the_words_of_a_name_apart_for_near_matches():
    assert search_words("  Anne-Sophie   d\u2019Aubigné \t") == "anne sophie d aubigne"
    assert search_words("Łukasz STRØM") == "lukasz strom"
    assert search_words(None) == ""
