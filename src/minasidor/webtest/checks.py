"""What the web test finds out: from the request (what the server sees) and from the page's script."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from kernel import clock

_BROWSERS = (
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"OPR/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS|HeadlessChrome)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[\d.]* (?:Mobile/\w+ )?Safari/")),
)
_SYSTEMS = (
    ("iOS", re.compile(r"iPhone|iPad|iPod")),
    ("Android", re.compile(r"Android")),
    ("Windows", re.compile(r"Windows NT")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux")),
)
MAX_TEXT = 200


def browser_of(user_agent: str) -> tuple[str, str]:
    """The browser's name and major version from its User-Agent header (a well-known few; else unknown)."""
    for name, pattern in _BROWSERS:
        match = pattern.search(user_agent)
        if match:
            return name, match[1]
    return "", ""


def system_of(user_agent: str) -> str:
    return next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), "")


def server_seen(request: HttpRequest) -> dict[str, Any]:
    """What the server sees without the page's script: browser, system, languages, TLS, protocol, cookies."""
    agent = request.headers.get("user-agent", "")[:400]
    browser, version = browser_of(agent)
    return {
        "browser": browser,
        "browser_version": version,
        "system": system_of(agent),
        "languages": request.headers.get("accept-language", "")[:MAX_TEXT],
        "tls": request.is_secure(),
        "protocol": str(request.META.get("SERVER_PROTOCOL", ""))[:20],
        "cookies": bool(request.COOKIES),
    }


def _int(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if low <= number <= high else None


def script_seen(posted: Mapping[str, str]) -> dict[str, Any]:
    """What the page's script reported (hidden fields), checked and bounded; empty without JavaScript."""
    if posted.get("js") != "1":
        return {"javascript": False}
    client_ms = _int(posted.get("clock_ms", ""), 0, 10**14)
    offset = None if client_ms is None else round(client_ms / 1000 - clock.now().timestamp())
    return {
        "javascript": True,
        "screen": f"{_int(posted.get('screen_w', ''), 0, 20000)}×{_int(posted.get('screen_h', ''), 0, 20000)}",
        "window": f"{_int(posted.get('window_w', ''), 0, 20000)}×{_int(posted.get('window_h', ''), 0, 20000)}",
        "time_zone": posted.get("time_zone", "")[:64],
        "clock_offset_seconds": offset,
        "local_storage": posted.get("local_storage") == "1",
        "script_cookies": posted.get("cookies") == "1",
    }
