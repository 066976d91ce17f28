"""The citizen's services: what the start page promises and My pages' navigation lists (issue 14.1).

Only services that exist are listed, so each page app adds its own entry when its page lands, in its
``AppConfig.ready()`` — one line, and nothing to change here::

    from minasidor.ui.menu import MenuEntry, menu_entry_add

    class CasesConfig(AppConfig):
        def ready(self) -> None:
            menu_entry_add(MenuEntry("cases:list", _("Your cases"), _("follow your cases"), order=40))

``title`` is the link's text in the navigation after login; ``summary`` completes the start page's "On My
pages you can ..." (lower case, no full stop); ``order`` places it (the pension pages use 10-30, the access
log 90); ``audience`` shows it to everyone, only to people not yet drawing their pension ("saving") or only
to those who draw it ("drawing"). The base knows no feature app (the import contracts): entries come to it,
it never imports them.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from django.utils.functional import Promise

Audience = Literal["all", "saving", "drawing"]


@dataclasses.dataclass(frozen=True, slots=True)
class MenuEntry:
    """One service of My pages: its URL name, its title as a link, and what it lets the citizen do."""

    url_name: str
    title: str | Promise
    summary: str | Promise
    order: int = 100
    audience: Audience = "all"

    def shown_to(self, *, drawing_pension: bool | None) -> bool:
        """Whether the entry is listed for a person who draws their pension (True), does not (False), or is
        not known (None: the start page, and a person the register does not know, see entries for all)."""
        if self.audience == "all":
            return True
        if drawing_pension is None:
            return False
        return drawing_pension == (self.audience == "drawing")


_ENTRIES: dict[str, MenuEntry] = {}


def menu_entry_add(entry: MenuEntry) -> None:
    """Adds ``entry`` to the services listed (again for the same URL name: replaces it)."""
    _ENTRIES[entry.url_name] = entry


def menu_entries(*, drawing_pension: bool | None = None, everyone: bool = False) -> list[MenuEntry]:
    """The services in order: those shown to the person (``drawing_pension``), or all of them (``everyone``,
    for the start page, which speaks to everyone before login)."""
    entries = sorted(_ENTRIES.values(), key=lambda entry: (entry.order, entry.url_name))
    if everyone:
        return entries
    return [entry for entry in entries if entry.shown_to(drawing_pension=drawing_pension)]
