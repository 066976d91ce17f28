"""Scores response headers the way the Mozilla HTTP Observatory does (its scoring table, as of v2).

Start at 100, subtract for each missing or weak protection, and add extra credit only when the score before
it is at least 90. Grades: 100 and above A+, 90 A, 85 A-, 80 B+, 70 B, 65 B-, 60 C+, 50 C, 45 C-, 40 D+,
30 D, 25 D-, below F. Tests that need the site's whole history (HSTS preload list membership, redirects
on port 80) are left out: this scores one HTTPS response.
"""

from __future__ import annotations

import dataclasses
from http.cookies import SimpleCookie

GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"), (50, "C"), (45, "C-")]
GRADES += [(40, "D+"), (30, "D"), (25, "D-"), (0, "F")]
PRIVATE_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
SIX_MONTHS = 15_768_000


@dataclasses.dataclass
class Score:
    """The score, the grade, and each test's result with its modifier."""

    results: dict[str, tuple[str, int]] = dataclasses.field(default_factory=dict)

    @property
    def points(self) -> int:
        penalties = 100 + sum(value for _, value in self.results.values() if value < 0)
        bonus = sum(value for _, value in self.results.values() if value > 0)
        return penalties + bonus if penalties >= 90 else penalties

    @property
    def grade(self) -> str:
        return next(grade for floor, grade in GRADES if self.points >= floor)


def _csp(value: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), [word.lower() for word in words[1:]])
    return directives


def _score_csp(headers: dict[str, str]) -> tuple[str, int]:  # noqa: PLR0911 - one return per result in the table
    value = headers.get("content-security-policy")
    if not value:
        return "csp-not-implemented", -25
    csp = _csp(value)
    default = csp.get("default-src", [])
    scripts = csp.get("script-src", default)
    styles = csp.get("style-src", default)
    if "'unsafe-inline'" in scripts and not any(word.startswith("'nonce-") for word in scripts):
        return "csp-implemented-with-unsafe-inline", -20
    if "'unsafe-eval'" in scripts:
        return "csp-implemented-with-unsafe-eval", -10
    if any(word in ("*", "http:", "https:", "data:") for word in scripts):
        return "csp-implemented-with-insecure-scheme", -20
    if "object-src" not in csp and "'none'" not in default:
        return "csp-implemented-but-objects-allowed", -20
    if "'unsafe-inline'" in styles:
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if default == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def _score_cookies(set_cookies: list[str], session_names: set[str]) -> tuple[str, int]:
    if not set_cookies:
        return "cookies-not-found", 0
    jar = SimpleCookie()
    for header in set_cookies:
        jar.load(header)
    for name, morsel in jar.items():
        is_session = name in session_names
        if not morsel["secure"]:
            return ("cookies-session-without-secure-flag", -40) if is_session else ("cookies-without-secure-flag", -20)
        if is_session and not morsel["httponly"]:
            return "cookies-session-without-httponly-flag", -30
        if not morsel["samesite"]:
            return "cookies-secure-with-httponly-sessions", 0
    return "cookies-secure-with-httponly-sessions-and-samesite", 5


def _score_hsts(headers: dict[str, str]) -> tuple[str, int]:
    value = headers.get("strict-transport-security")
    if not value:
        return "hsts-not-implemented", -20
    try:
        max_age = int(next(p.split("=")[1] for p in value.replace(" ", "").split(";") if p.startswith("max-age")))
    except (StopIteration, ValueError, IndexError):
        return "hsts-header-invalid", -20
    if max_age < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0


def _score_referrer(headers: dict[str, str]) -> tuple[str, int]:
    value = headers.get("referrer-policy")
    if not value:
        return "referrer-policy-not-implemented", 0
    last = value.split(",")[-1].strip().lower()
    return ("referrer-policy-private", 5) if last in PRIVATE_REFERRER else ("referrer-policy-unsafe", -5)


def _score_frames(headers: dict[str, str]) -> tuple[str, int]:
    csp = _csp(headers.get("content-security-policy", ""))
    if csp.get("frame-ancestors") in (["'none'"], ["'self'"]):
        return "x-frame-options-implemented-via-csp", 5
    if headers.get("x-frame-options", "").upper() in ("DENY", "SAMEORIGIN"):
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-not-implemented", -20


def score(headers: dict[str, str], set_cookies: list[str], session_names: set[str]) -> Score:
    """The Observatory's score for one HTTPS response (``headers`` with lower-case names)."""
    result = Score()
    result.results["content-security-policy"] = _score_csp(headers)
    result.results["cookies"] = _score_cookies(set_cookies, session_names)
    result.results["strict-transport-security"] = _score_hsts(headers)
    result.results["referrer-policy"] = _score_referrer(headers)
    result.results["x-frame-options"] = _score_frames(headers)
    nosniff = headers.get("x-content-type-options", "").lower() == "nosniff"
    result.results["x-content-type-options"] = (
        ("x-content-type-options-nosniff", 0) if nosniff else ("x-content-type-options-not-implemented", -5)
    )
    if headers.get("access-control-allow-origin") == "*":
        result.results["cross-origin-resource-sharing"] = (
            "cross-origin-resource-sharing-implemented-with-universal-access",
            -50,
        )
    return result
