"""The issuer's identity and keys: did:web, keys from the environment or a file, the keygen."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from certification.credentials import keys, multikey
from tests.certification.helpers import secret_key_for


@pytest.mark.parametrize(
    ("site_url", "did", "document_url"),
    [
        (
            "https://formation.example.fr",
            "did:web:formation.example.fr",
            "https://formation.example.fr/.well-known/did.json",
        ),
        (
            "http://127.0.0.1:8000",
            "did:web:127.0.0.1%3A8000",
            "http://127.0.0.1:8000/.well-known/did.json",
        ),
        (
            "https://example.org/institut",
            "did:web:example.org:institut",
            "https://example.org/institut/did.json",
        ),
    ],
)
def test_it_derives_the_did_web_from_the_site_url(site_url, did, document_url):
    assert keys.issuer_did(site_url) == did
    assert keys.did_document_url(site_url) == document_url


def test_it_reads_the_key_from_the_environment(settings):
    settings.CREDENTIALS_SIGNING_KEY = secret_key_for("a")
    key = keys.signing_key()
    assert key.public_multibase.startswith("z6Mk")
    assert key.verification_method == f"{keys.issuer_did()}#{key.public_multibase}"


def test_it_reads_the_key_from_a_file(settings, tmp_path):
    path = tmp_path / "key"
    path.write_text(secret_key_for("b") + "\n")
    settings.CREDENTIALS_SIGNING_KEY = ""
    settings.CREDENTIALS_SIGNING_KEY_FILE = str(path)
    expected = multikey.public_multikey(
        multikey.parse_secret_multikey(secret_key_for("b")).public_key()
    )
    assert keys.signing_key().public_multibase == expected


def test_it_says_there_is_no_key_when_none_is_configured(settings, tmp_path):
    settings.CREDENTIALS_SIGNING_KEY = ""
    settings.CREDENTIALS_SIGNING_KEY_FILE = str(tmp_path / "missing")
    assert not keys.has_signing_key()
    with pytest.raises(keys.NoSigningKey):
        keys.signing_key()


def test_it_names_the_variable_that_holds_a_bad_key(settings):
    settings.CREDENTIALS_SIGNING_KEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"  # public
    with pytest.raises(ImproperlyConfigured, match="CREDENTIALS_SIGNING_KEY"):
        keys.signing_key()
    settings.CREDENTIALS_SIGNING_KEY = secret_key_for("a")
    settings.CREDENTIALS_PUBLISHED_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="CREDENTIALS_PUBLISHED_KEYS"):
        keys.configured_public_keys()


def test_it_accepts_a_secret_key_exported_with_its_public_half():
    private = multikey.parse_secret_multikey(secret_key_for("a"))
    raw = multikey.multibase_decode(secret_key_for("a"))
    public = multikey.multibase_decode(multikey.public_multikey(private.public_key()))[2:]
    assert multikey.parse_secret_multikey(multikey.multibase_encode(raw + public))
    wrong = multikey.multibase_decode(
        multikey.public_multikey(multikey.parse_secret_multikey(secret_key_for("b")).public_key())
    )[2:]
    with pytest.raises(multikey.MultikeyError):
        multikey.parse_secret_multikey(multikey.multibase_encode(raw + wrong))


def test_it_writes_a_development_key_once(tmp_path):
    path = tmp_path / "var" / "key"
    call_command("credentials_keygen", file=str(path))
    first = path.read_text()
    assert multikey.parse_secret_multikey(first)
    assert path.stat().st_mode & 0o777 == 0o600
    call_command("credentials_keygen", file=str(path))
    assert path.read_text() == first


def test_it_refuses_to_keep_a_file_that_holds_no_key(tmp_path):
    path = tmp_path / "key"
    path.write_text("hello")
    with pytest.raises(CommandError):
        call_command("credentials_keygen", file=str(path))


def test_it_round_trips_base58():
    for data in (b"", b"\0", b"\0\0abc", bytes(range(64))):
        assert multikey.base58_decode(multikey.base58_encode(data)) == data
