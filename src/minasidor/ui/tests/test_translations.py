"""Requirement: the Swedish catalogue is complete: every interface string has a Swedish translation, none is a guess."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.SOURCE_ROOT) / "minasidor" / "locale" / "sv" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.M)


def _text(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted))


def test_no_entry_is_fuzzy() -> None:
    assert "#, fuzzy" not in CATALOGUE.read_text()


def test_every_string_is_translated_with_the_same_placeholders() -> None:
    entries = [(_text(m[1]), _text(m[2])) for m in ENTRY.finditer(CATALOGUE.read_text())]
    messages = [(msgid, msgstr) for msgid, msgstr in entries if msgid]
    assert len(messages) > 40
    untranslated = [msgid for msgid, msgstr in messages if not msgstr]
    assert untranslated == []
    placeholder = re.compile(r"%\(\w+\)s")
    for msgid, msgstr in messages:
        assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(msgstr)), msgid
