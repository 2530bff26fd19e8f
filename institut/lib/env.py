"""Typed readers for environment variables, with a clear error naming a bad variable."""

from __future__ import annotations

import os
from collections.abc import Mapping

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class EnvError(ValueError):
    """An environment variable holds a value that cannot be used."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(
            f"Environment variable {name}={value!r} is not valid: expected {expected}."
        )
        self.name = name


class Env:
    """Reads typed values from a mapping of environment variables (os.environ by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def str(self, name: str, default: str = "") -> str:
        value = self._raw(name)
        return default if value is None else value

    def bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise EnvError(name, value, "one of true/false, yes/no, on/off, 1/0")

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise EnvError(name, value, "a whole number") from None
        if minimum is not None and number < minimum:
            raise EnvError(name, value, f"a whole number of at least {minimum}")
        return number

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def emails(self, name: str) -> list[str]:
        """Comma-separated e-mail addresses; a value without one stops start-up."""
        addresses = self.list(name)
        for address in addresses:
            local, at, domain = address.partition("@")
            if not (local and at and "." in domain) or any(c.isspace() for c in address):
                raise EnvError(name, address, "e-mail addresses separated by commas")
        return addresses

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self._raw(name)
        if value is None:
            return default
        if value not in choices:
            raise EnvError(name, value, "one of " + ", ".join(choices))
        return value

    def url(self, name: str, default: str = "", *, schemes: tuple[str, ...] = ()) -> str:
        value = self._raw(name)
        if value is None:
            return default
        scheme, sep, rest = value.partition("://")
        if not sep or not rest or (schemes and scheme not in schemes):
            expected = "a URL" + (
                " starting with " + " or ".join(f"{s}://" for s in schemes) if schemes else ""
            )
            raise EnvError(name, value, expected)
        return value
