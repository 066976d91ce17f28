"""The portal's URLconf as a list the security tests walk: every route, its name, parameters and view."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

_SAMPLES: dict[str, object] = {"int": 1, "slug": "x", "str": "x", "path": "x", "uuid": uuid.UUID(int=1)}


@dataclasses.dataclass(frozen=True)
class Route:
    """One URL pattern of the portal."""

    name: str
    route: str
    parameters: dict[str, str]  # parameter name -> converter name
    callback: Callable[..., Any]

    def url(self, **values: object) -> str:
        """The route's URL with the given parameter values, or sample values for the others."""
        kwargs = {name: values.get(name, _SAMPLES.get(kind, "x")) for name, kind in self.parameters.items()}
        return reverse(self.name, kwargs=kwargs)


def _converter_name(converter: object) -> str:
    return type(converter).__name__.removesuffix("Converter").lower()


def _walk(patterns: list[Any], namespace: str, prefix: str) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, inner or "", prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            yield Route(
                name=f"{namespace}:{entry.name}" if namespace else entry.name,
                route=prefix + str(entry.pattern),
                parameters={key: _converter_name(value) for key, value in converters.items()},
                callback=entry.callback,
            )


def routes() -> list[Route]:
    """Every named route of the portal (Swedish paths; English ones are the same views under ``/en/``)."""
    return list(_walk(get_resolver().url_patterns, "", ""))
