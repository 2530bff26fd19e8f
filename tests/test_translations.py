"""Every string of the interface has its English: French first, English second.

The strings are extracted as a translator extracts them (Django's makemessages, with GNU gettext)
from a copy of the project's files, then looked up in the English catalogues the site loads
(`locale/en/`, `supervision/locale/en/`, `certification/locale/en/`). A string written in English in
one of our templates (an allauth page we restyle keeps allauth's English words) is covered by the
library's French catalogue instead.

A probe template, added to the copy only, holds a French string with no English: it must be found
missing, so that the check cannot pass by reading nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ("locale", "supervision/locale", "certification/locale")
IGNORED = ("tests/*", "benchmarks/*", "node_modules/*", ".venv/*")
PROBE = "Chaîne de contrôle sans traduction anglaise"


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags or entry.obsolete:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _project_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str | None, str], polib.POEntry]:
    """Every string the interface marks for translation, with where it stands."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) extracts the strings: apt-get install gettext")
    copy = tmp_path_factory.mktemp("extraction")
    for name in _project_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)
    (copy / "templates" / "_translation_probe.html").write_text(
        '{% load i18n %}<p>{% translate "' + PROBE + '" %}</p>\n', encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-wrap", "--verbosity", "0"]
        + [f"--ignore={pattern}" for pattern in IGNORED],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    entries = {}
    for catalogue in CATALOGUES:
        for entry in polib.pofile(str(copy / catalogue / "en/LC_MESSAGES/django.po")):
            if not entry.obsolete:
                entries.setdefault(_key(entry), entry)
    return entries


def _catalogue_entries() -> list[tuple[str, polib.POEntry]]:
    return [
        (catalogue, entry)
        for catalogue in CATALOGUES
        for entry in polib.pofile(str(ROOT / catalogue / "en/LC_MESSAGES/django.po"))
        if not entry.obsolete
    ]


@pytest.fixture(scope="module")
def english() -> set[tuple[str | None, str]]:
    """The strings our English catalogues translate."""
    return {_key(entry) for _, entry in _catalogue_entries() if _translated(entry)}


def _library_translates(french, entry: polib.POEntry) -> bool:
    """An English string of a library, which the library's French catalogue translates."""
    lookup = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    if entry.msgid_plural:
        lookup = (lookup, 0)
    return bool(french.get(lookup))


def _missing(extracted, english) -> list[str]:
    french = trans_real.translation("fr")._catalog
    missing = []
    for key, entry in extracted.items():
        if key in english or _library_translates(french, entry):
            continue
        where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
        missing.append(f"{entry.msgid!r} ({where})")
    return sorted(missing)


def test_the_extraction_reads_the_whole_interface(extracted):
    assert len(extracted) > 2000
    where = {path.split("/")[0] for entry in extracted.values() for path, _ in entry.occurrences}
    assert {"courses", "supervision", "certification", "institut", "home", "templates"} <= where


def test_a_french_string_without_english_is_found(extracted, english):
    assert any(PROBE in line for line in _missing(extracted, english))


def test_every_string_of_the_interface_has_its_english(extracted, english):
    missing = [line for line in _missing(extracted, english) if PROBE not in line]
    assert not missing, (
        f"{len(missing)} string(s) without English: add them (msgid French, msgstr English) to the "
        "app's catalogue under locale/en/, then make messages:\n" + "\n".join(missing)
    )


def test_every_english_entry_is_a_string_the_interface_still_shows(extracted):
    french = trans_real.translation("fr")._catalog
    stale = [
        f"{catalogue}: {entry.msgid[:70]!r}"
        for catalogue, entry in _catalogue_entries()
        if _key(entry) not in extracted and not _library_translates(french, entry)
    ]
    assert not stale, (
        f"{len(stale)} English entr(y/ies) for strings no longer marked anywhere "
        "(a wording changed "
        "or its code went): remove them from the catalogue, then make messages:\n"
        + "\n".join(stale)
    )


def test_a_string_has_the_same_english_in_every_catalogue():
    found: dict[tuple[str | None, str], set[str]] = {}
    for _, entry in _catalogue_entries():
        english = entry.msgstr or " | ".join(
            entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)
        )
        found.setdefault(_key(entry), set()).add(english)
    different = {key[1]: sorted(words) for key, words in found.items() if len(words) > 1}
    assert not different, (
        "The same French string is translated differently in two catalogues (the first catalogue "
        f"found wins for every use): give it a context (pgettext) or one English: {different}"
    )


def test_the_english_calls_the_registre_the_register_everywhere():
    """The registry's page reads « Register of TST® certified practitioners »: its statistics, the
    verification page and the account pages said « registry » beside it."""
    registry = [
        f"{catalogue}: {entry.msgid[:70]!r}"
        for catalogue, entry in _catalogue_entries()
        if "registry" in (entry.msgstr + " ".join(entry.msgstr_plural.values())).lower()
    ]
    assert not registry, registry
