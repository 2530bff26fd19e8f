"""The bitstring of a status list (W3C Bitstring Status List 1.0), framework-free.

Index 0 is the most significant bit of the first byte; the published `encodedList` is the GZIP
of the bytes in base64url without padding, with the multibase prefix `u`. Positions are handed
out in order and turned into indexes by a keyed permutation (a Feistel network on the next even
number of bits, cycle-walked back into the list), so every index is drawn once, at random for
anyone without the list's key, and two allocations can never collide.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import hmac
import zlib

FEISTEL_ROUNDS = 8
MAX_DECODED_BYTES = 1 << 20  # a list of 8 million entries; anything larger is not ours


def get_bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def with_bit(bits: bytes, index: int, value: bool) -> bytes:
    """A copy of the bitstring with the bit at `index` set (True) or cleared (False)."""
    changed = bytearray(bits)
    mask = 0x80 >> (index % 8)
    if value:
        changed[index // 8] |= mask
    else:
        changed[index // 8] &= ~mask & 0xFF
    return bytes(changed)


def encode(bits: bytes) -> str:
    """The `encodedList` of a bitstring (deterministic: GZIP without a timestamp)."""
    compressed = gzip.compress(bits, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    """The bitstring of an `encodedList`; ValueError if it is not one."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("Not a multibase base64url value.")
    data = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        decompressor = zlib.decompressobj(wbits=31)  # gzip framing
        bits = decompressor.decompress(compressed, MAX_DECODED_BYTES)
    except (binascii.Error, zlib.error) as error:
        raise ValueError("Not a GZIP-compressed bitstring.") from error
    if decompressor.unconsumed_tail:
        raise ValueError("Bitstring too large.")
    return bits


def shuffled_index(key: bytes, position: int, size: int) -> int:
    """The index of the `position`-th allocation in a list of `size` entries: a bijection of
    [0, size) onto itself keyed by `key`."""
    if not 0 <= position < size:
        raise ValueError("Position outside the list.")
    half = max(1, ((size - 1).bit_length() + 1) // 2)
    mask = (1 << half) - 1
    value = position
    while True:
        left, right = value >> half, value & mask
        for round_number in range(FEISTEL_ROUNDS):
            digest = hmac.new(key, b"%d:%d" % (round_number, right), hashlib.sha256).digest()
            left, right = right, left ^ (int.from_bytes(digest[:8], "big") & mask)
        value = (left << half) | right
        if value < size:
            return value
