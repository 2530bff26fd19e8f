import pytest

from institut.lib.env import Env, EnvError


def test_it_reads_booleans_in_several_spellings():
    env = Env({"A": "yes", "B": "OFF", "C": "1"})
    assert env.bool("A", default=False) is True
    assert env.bool("B", default=True) is False
    assert env.bool("C", default=False) is True
    assert env.bool("MISSING", default=True) is True


def test_it_names_the_variable_of_a_bad_boolean():
    with pytest.raises(EnvError, match="DJANGO_DEBUG='maybe'"):
        Env({"DJANGO_DEBUG": "maybe"}).bool("DJANGO_DEBUG", default=True)


def test_it_refuses_a_number_below_the_minimum():
    with pytest.raises(EnvError, match="EMAIL_PORT"):
        Env({"EMAIL_PORT": "0"}).int("EMAIL_PORT", default=587, minimum=1)
    with pytest.raises(EnvError, match="whole number"):
        Env({"EMAIL_PORT": "abc"}).int("EMAIL_PORT", default=587)


def test_it_splits_lists_and_ignores_blanks():
    assert Env({"H": " a.fr, ,b.fr "}).list("H") == ["a.fr", "b.fr"]
    assert Env({}).list("H", default=["x"]) == ["x"]


def test_it_checks_url_schemes():
    env = Env({"DATABASE_URL": "mysql://x/y"})
    with pytest.raises(EnvError, match="DATABASE_URL"):
        env.url("DATABASE_URL", schemes=("sqlite", "postgres"))
    assert Env({"U": "postgres://db/x"}).url("U", schemes=("postgres",)) == "postgres://db/x"


def test_it_reads_addresses_and_names_the_variable_of_a_bad_one():
    assert Env({"A": " a@x.fr, b@y.org "}).emails("A") == ["a@x.fr", "b@y.org"]
    assert Env({}).emails("A") == []
    for bad in ("exploitation", "a@x.fr b@y.org", "a@localhost"):
        with pytest.raises(EnvError, match="DJANGO_ADMINS"):
            Env({"DJANGO_ADMINS": bad}).emails("DJANGO_ADMINS")
