from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class HousingConfig(AppConfig):
    name = "minasidor.housing"
    label = "housing"

    def ready(self) -> None:
        summary = _("calculate whether you can get housing supplement, if you draw your pension")
        title = _("Calculate housing supplement")
        menu_entry_add(MenuEntry("housing:calculator", title, summary, order=50, audience="drawing"))
