from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class SharingConfig(AppConfig):
    name = "minasidor.sharing"
    label = "sharing"
    verbose_name = _("Shared access")

    def ready(self) -> None:
        summary = _("see which services you let read your pension data, and withdraw their access")
        menu_entry_add(MenuEntry("sharing:consents", _("Shared access"), summary, order=92))
