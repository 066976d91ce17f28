from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class CasesConfig(AppConfig):
    name = "minasidor.cases"
    label = "cases"

    def ready(self) -> None:
        summary = _("follow your cases and read our messages to you")
        menu_entry_add(MenuEntry("cases:list", _("My cases"), summary, order=60))
