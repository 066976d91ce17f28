"""The one helper through which settings read the environment.

Every setting that can be configured is read here, by name, with a default and a sentence saying what it
does. The readers register what they read, so ``docs/configuration.md`` can be checked against the code
(a test does) and nothing is configured by a name nobody documented.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclasses.dataclass(frozen=True)
class Documented:
    """One environment variable the settings read: its name, default (as text) and meaning."""

    name: str
    default: str
    doc: str


REGISTRY: dict[str, Documented] = {}


def _read(name: str, default: T, doc: str, parse: Callable[[str], T]) -> T:
    REGISTRY[name] = Documented(name=name, default=str(default), doc=doc)
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return parse(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from error


def string(name: str, default: str, doc: str) -> str:
    """A text setting."""
    return _read(name, default, doc, str)


def boolean(name: str, default: bool, doc: str) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off."""

    def parse(raw: str) -> bool:
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"expected true or false, got {raw!r}")

    return _read(name, default, doc, parse)


def integer(name: str, default: int, doc: str) -> int:
    """A whole-number setting."""
    return _read(name, default, doc, int)


def parsed(name: str, default: str, doc: str, parse: Callable[[str], T]) -> T:
    """A setting written as text in a format of its own (``parse`` raises ValueError for bad text); the default
    is given as text too, and parsed the same way."""
    REGISTRY[name] = Documented(name=name, default=default, doc=doc)
    raw = os.environ.get(name, default)
    try:
        return parse(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from error


def strings(name: str, default: tuple[str, ...], doc: str) -> tuple[str, ...]:
    """A comma-separated list setting."""

    def parse(raw: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in raw.split(",") if part.strip())

    REGISTRY[name] = Documented(name=name, default=",".join(default), doc=doc)
    raw = os.environ.get(name)
    return default if raw is None else parse(raw)
