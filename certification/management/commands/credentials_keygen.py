"""Generate an Ed25519 key that signs the Institut's credentials.

`credentials_keygen` prints a new secret key and its public key, for CREDENTIALS_SIGNING_KEY.
`credentials_keygen --file PATH` writes a new key to PATH (readable by its owner only) unless the
file already holds one: `make run` uses it for the development key, so running it twice changes
nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.credentials import multikey
from certification.credentials.keys import generate_secret_multikey


class Command(BaseCommand):
    help = "Generate an Ed25519 signing key for the credentials (Multikey)."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="write the key to this file unless it already exists")

    def handle(self, *args, file=None, **options):
        if file is None:
            secret = generate_secret_multikey()
            public = multikey.public_multikey(multikey.parse_secret_multikey(secret).public_key())
            self.stdout.write(f"CREDENTIALS_SIGNING_KEY={secret}")
            self.stdout.write(
                f"# public key (for CREDENTIALS_PUBLISHED_KEYS after a rotation): {public}"
            )
            return
        path = Path(file)
        if path.exists() and path.read_text(encoding="utf-8").strip():
            try:
                key = multikey.parse_secret_multikey(path.read_text(encoding="utf-8"))
            except (multikey.MultikeyError, ValueError) as error:
                raise CommandError(f"{path} does not hold a signing key: {error}") from None
            self.stdout.write(
                f"Signing key kept: {path} ({multikey.public_multikey(key.public_key())})"
            )
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(generate_secret_multikey() + "\n")
        key = multikey.parse_secret_multikey(path.read_text(encoding="utf-8"))
        self.stdout.write(
            f"Signing key written: {path} ({multikey.public_multikey(key.public_key())})"
        )
