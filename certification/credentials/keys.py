"""The issuer's identity and keys: its did:web, the key that signs now, the keys still published.

The signing key comes from `CREDENTIALS_SIGNING_KEY` (a secret Multikey, `z3u2…`) or from the
file named by `CREDENTIALS_SIGNING_KEY_FILE`. Rotation: put the new secret key in place and the
old key's public Multikey (`z6Mk…`) in `CREDENTIALS_PUBLISHED_KEYS`; every key that ever signed
is also recorded in the database when it first signs, and stays in the DID document, so the
credentials it signed keep verifying. A verification method's id is the DID with the public
Multikey as fragment (`did:web:example.org#z6Mk…`), unique for each key by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from certification.credentials import multikey


class NoSigningKey(RuntimeError):
    """No signing key is configured: credentials cannot be signed on this machine."""


def issuer_did(site_url: str | None = None) -> str:
    """`did:web` of the site: `https://a.org` -> `did:web:a.org`; a port is percent-encoded and
    a path becomes colon-separated segments, as the did:web method says."""
    parts = urlsplit(site_url or settings.SITE_URL)
    host = quote(parts.netloc, safe="")
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *segments])


def did_document_url(site_url: str | None = None) -> str:
    """Where the DID document is served: /.well-known/did.json at the root of a bare host."""
    base = (site_url or settings.SITE_URL).rstrip("/")
    if urlsplit(base).path:
        return f"{base}/did.json"
    return f"{base}/.well-known/did.json"


def verification_method_id(public_multibase: str) -> str:
    return f"{issuer_did()}#{public_multibase}"


@dataclass(frozen=True)
class SigningKey:
    """The issuer's current key pair."""

    private: Ed25519PrivateKey
    public_multibase: str

    @property
    def verification_method(self) -> str:
        return verification_method_id(self.public_multibase)

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()


@lru_cache(maxsize=8)
def _parse_signing_key(value: str, origin: str) -> SigningKey:
    try:
        private = multikey.parse_secret_multikey(value)
    except (multikey.MultikeyError, ValueError) as error:
        raise ImproperlyConfigured(
            f"{origin} does not hold an Ed25519 secret Multikey (z3u2…): {error} "
            "Generate one with: python manage.py credentials_keygen"
        ) from None
    return SigningKey(
        private=private, public_multibase=multikey.public_multikey(private.public_key())
    )


def _configured_value() -> tuple[str, str] | None:
    value = getattr(settings, "CREDENTIALS_SIGNING_KEY", "")
    if value:
        return value, "CREDENTIALS_SIGNING_KEY"
    path = getattr(settings, "CREDENTIALS_SIGNING_KEY_FILE", "")
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise ImproperlyConfigured(
                f"CREDENTIALS_SIGNING_KEY_FILE={path!r} cannot be read: {error}"
            ) from None
        if text:
            return text, f"CREDENTIALS_SIGNING_KEY_FILE ({path})"
    return None


def signing_key() -> SigningKey:
    """The key that signs now; NoSigningKey when none is configured."""
    configured = _configured_value()
    if configured is None:
        raise NoSigningKey("No credential signing key is configured.")
    return _parse_signing_key(*configured)


def has_signing_key() -> bool:
    try:
        signing_key()
    except NoSigningKey:
        return False
    return True


@lru_cache(maxsize=8)
def _parse_published(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            multikey.parse_public_multikey(value)
        except (multikey.MultikeyError, ValueError):
            raise ImproperlyConfigured(
                f"CREDENTIALS_PUBLISHED_KEYS holds {value!r}, which is not an Ed25519 public "
                "Multikey (z6Mk…)."
            ) from None
    return values


def configured_public_keys() -> list[str]:
    """Public Multikeys named by the settings: the current key first, then retired ones."""
    keys = []
    if has_signing_key():
        keys.append(signing_key().public_multibase)
    for value in _parse_published(tuple(getattr(settings, "CREDENTIALS_PUBLISHED_KEYS", []))):
        if value not in keys:
            keys.append(value)
    return keys


def generate_secret_multikey() -> str:
    """A new random Ed25519 secret key, as a Multikey string."""
    return multikey.secret_multikey(Ed25519PrivateKey.generate())
