"""Ed25519 keys as Multikey strings (`z6Mk…` public, `z3u2…` secret) and base58btc multibase.

A Multikey is multibase base58btc (prefix `z`) of a multicodec header and the raw key: `0xed01`
for an Ed25519 public key, `0x8026` for its 32-byte secret seed (W3C Controlled Identifiers).
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: index for index, char in enumerate(BASE58_ALPHABET)}
ED25519_PUB_HEADER = bytes([0xED, 0x01])
ED25519_PRIV_HEADER = bytes([0x80, 0x26])
# Longest multibase value decoded here: a 64-byte signature or secret key with its header.
MAX_MULTIBASE_LENGTH = 128


class MultikeyError(ValueError):
    """A value that is not the expected multibase / Multikey encoding."""


def base58_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58_ALPHABET[remainder] + encoded
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + encoded


def base58_decode(text: str) -> bytes:
    if len(text) > MAX_MULTIBASE_LENGTH:
        raise MultikeyError("Value too long.")
    number = 0
    for char in text:
        if char not in _BASE58_INDEX:
            raise MultikeyError("Not base58btc.")
        number = number * 58 + _BASE58_INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: `z` then base58."""
    return "z" + base58_encode(data)


def multibase_decode(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise MultikeyError("Not a base58btc multibase value.")
    return base58_decode(value[1:])


def public_multikey(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase_encode(ED25519_PUB_HEADER + raw)


def secret_multikey(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return multibase_encode(ED25519_PRIV_HEADER + raw)


def parse_public_multikey(value: str) -> Ed25519PublicKey:
    data = multibase_decode(value)
    if len(data) != 34 or not data.startswith(ED25519_PUB_HEADER):
        raise MultikeyError("Not an Ed25519 public Multikey.")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def parse_secret_multikey(value: str) -> Ed25519PrivateKey:
    """A secret Multikey: the 32-byte seed, or seed then public key (64 bytes) as some tools
    export it; in that case the public half must match the seed."""
    data = multibase_decode(value.strip())
    if not data.startswith(ED25519_PRIV_HEADER) or len(data) not in (34, 66):
        raise MultikeyError("Not an Ed25519 secret Multikey.")
    key = Ed25519PrivateKey.from_private_bytes(data[2:34])
    if len(data) == 66:
        public = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        if public != data[34:]:
            raise MultikeyError("The public half does not match the secret key.")
    return key
